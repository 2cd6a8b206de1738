-- AlterTable
ALTER TABLE "Consent" ADD COLUMN     "recordedByApiClientId" UUID,
ADD COLUMN     "withdrawnByApiClientId" UUID;

-- AlterTable
ALTER TABLE "ReferralMessage" ADD COLUMN     "authorApiClientId" UUID;

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "previousHash" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "refreshedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "revokedReason" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInCode" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SignInCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Session_previousHash_key" ON "Session"("previousHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "SignInCode_codeHash_key" ON "SignInCode"("codeHash");

-- CreateIndex
CREATE INDEX "SignInCode_userId_createdAt_idx" ON "SignInCode"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "SignInCode_expiresAt_idx" ON "SignInCode"("expiresAt");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignInCode" ADD CONSTRAINT "SignInCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: messages and consents an API client wrote before these columns, from the event
-- written with them at the same instant by the same organisation (what was read before).
UPDATE "ReferralMessage" m SET "authorApiClientId" = e."actorApiClientId"
FROM "ReferralEvent" e
WHERE m."authorUserId" IS NULL AND m."authorApiClientId" IS NULL
  AND e."referralId" = m."referralId" AND e.type = 'MESSAGE' AND e.at = m.at
  AND e."actorOrganisationId" = m."authorOrganisationId" AND e."actorApiClientId" IS NOT NULL;

UPDATE "Consent" c SET "recordedByApiClientId" = e."actorApiClientId"
FROM "ReferralEvent" e, "Referral" r
WHERE c."recordedByUserId" IS NULL AND c."recordedByApiClientId" IS NULL
  AND r.id = c."referralId" AND e."referralId" = c."referralId" AND e.type IN ('CREATED', 'UPDATED')
  AND e.at = c."recordedAt" AND e."actorOrganisationId" = r."senderOrganisationId"
  AND e."actorApiClientId" IS NOT NULL;

UPDATE "Consent" c SET "withdrawnByApiClientId" = e."actorApiClientId"
FROM "ReferralEvent" e, "Referral" r
WHERE c."withdrawnAt" IS NOT NULL AND c."withdrawnByUserId" IS NULL AND c."withdrawnByApiClientId" IS NULL
  AND r.id = c."referralId" AND e."referralId" = c."referralId" AND e.type = 'CONSENT_WITHDRAWN'
  AND e.at = c."withdrawnAt" AND e."actorOrganisationId" = r."senderOrganisationId"
  AND e."actorApiClientId" IS NOT NULL;
