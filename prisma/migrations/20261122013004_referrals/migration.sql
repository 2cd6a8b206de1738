-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('DRAFT', 'SENT', 'RECEIVED', 'ACCEPTED', 'DECLINED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ReferralUrgency" AS ENUM ('ROUTINE', 'URGENT', 'ASAP');

-- CreateEnum
CREATE TYPE "ContactChannel" AS ENUM ('PHONE', 'EMAIL', 'SMS', 'POST', 'IN_PERSON', 'THROUGH_SENDER');

-- CreateTable
CREATE TABLE "Referral" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "senderOrganisationId" UUID NOT NULL,
    "senderUserId" UUID,
    "receiverOrganisationId" UUID NOT NULL,
    "offerId" UUID NOT NULL,
    "status" "ReferralStatus" NOT NULL DEFAULT 'DRAFT',
    "urgency" "ReferralUrgency" NOT NULL DEFAULT 'ROUTINE',
    "needs" TEXT NOT NULL,
    "assigneeUserId" UUID,
    "dueAt" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "firstAnswerAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "statusReason" TEXT,
    "outcome" TEXT,
    "waitlisted" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "idempotencyKey" TEXT,
    "idempotencyHash" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralPerson" (
    "referralId" UUID NOT NULL,
    "name" TEXT,
    "initials" TEXT,
    "birthYear" INTEGER,
    "languages" TEXT[],
    "contactChannel" "ContactChannel",
    "contact" TEXT,
    "interpreterNeeded" BOOLEAN NOT NULL DEFAULT false,
    "anonymisedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReferralPerson_pkey" PRIMARY KEY ("referralId")
);

-- CreateTable
CREATE TABLE "Consent" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "recordedByUserId" UUID,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "purpose" TEXT NOT NULL,
    "recipientOrganisationIds" UUID[],
    "expiresAt" TIMESTAMPTZ(3),
    "withdrawnAt" TIMESTAMPTZ(3),
    "withdrawnByUserId" UUID,

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralEvent" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "fromStatus" "ReferralStatus",
    "toStatus" "ReferralStatus",
    "actorUserId" UUID,
    "actorApiClientId" UUID,
    "actorOrganisationId" UUID,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralMessage" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "authorUserId" UUID,
    "authorOrganisationId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonDataAccess" (
    "id" UUID NOT NULL,
    "referralId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "userId" UUID,
    "apiClientId" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonDataAccess_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_ReferralThemes" (
    "A" UUID NOT NULL,
    "B" UUID NOT NULL,

    CONSTRAINT "_ReferralThemes_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "Referral_reference_key" ON "Referral"("reference");

-- CreateIndex
CREATE INDEX "Referral_receiverOrganisationId_status_createdAt_idx" ON "Referral"("receiverOrganisationId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_senderOrganisationId_status_createdAt_idx" ON "Referral"("senderOrganisationId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_offerId_idx" ON "Referral"("offerId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_senderOrganisationId_idempotencyKey_key" ON "Referral"("senderOrganisationId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Consent_referralId_idx" ON "Consent"("referralId");

-- CreateIndex
CREATE INDEX "ReferralEvent_referralId_at_idx" ON "ReferralEvent"("referralId", "at");

-- CreateIndex
CREATE INDEX "ReferralMessage_referralId_at_idx" ON "ReferralMessage"("referralId", "at");

-- CreateIndex
CREATE INDEX "PersonDataAccess_referralId_at_idx" ON "PersonDataAccess"("referralId", "at");

-- CreateIndex
CREATE INDEX "PersonDataAccess_organisationId_at_idx" ON "PersonDataAccess"("organisationId", "at");

-- CreateIndex
CREATE INDEX "_ReferralThemes_B_index" ON "_ReferralThemes"("B");

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_senderOrganisationId_fkey" FOREIGN KEY ("senderOrganisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_senderUserId_fkey" FOREIGN KEY ("senderUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_receiverOrganisationId_fkey" FOREIGN KEY ("receiverOrganisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_assigneeUserId_fkey" FOREIGN KEY ("assigneeUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralPerson" ADD CONSTRAINT "ReferralPerson_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralEvent" ADD CONSTRAINT "ReferralEvent_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralMessage" ADD CONSTRAINT "ReferralMessage_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonDataAccess" ADD CONSTRAINT "PersonDataAccess_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_ReferralThemes" ADD CONSTRAINT "_ReferralThemes_A_fkey" FOREIGN KEY ("A") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_ReferralThemes" ADD CONSTRAINT "_ReferralThemes_B_fkey" FOREIGN KEY ("B") REFERENCES "Theme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand: human references (REF-2026-000123) come from one sequence, so that every hub
-- instance hands out unique numbers without coordination.
CREATE SEQUENCE "Referral_reference_seq" AS integer;
