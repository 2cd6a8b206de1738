-- CreateEnum
CREATE TYPE "DeclineReason" AS ENUM ('NO_CAPACITY', 'NOT_ELIGIBLE', 'OUT_OF_AREA', 'PERSON_UNREACHABLE', 'PERSON_REFUSED', 'DUPLICATE', 'OTHER');

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "declineReason" "DeclineReason";

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "referralId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE INDEX "IdempotencyRecord_referralId_idx" ON "IdempotencyRecord"("referralId");

-- CreateIndex
CREATE INDEX "Referral_closedAt_idx" ON "Referral"("closedAt");

-- AddForeignKey
ALTER TABLE "IdempotencyRecord" ADD CONSTRAINT "IdempotencyRecord_referralId_fkey" FOREIGN KEY ("referralId") REFERENCES "Referral"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonDataAccess" ADD CONSTRAINT "PersonDataAccess_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonDataAccess" ADD CONSTRAINT "PersonDataAccess_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonDataAccess" ADD CONSTRAINT "PersonDataAccess_apiClientId_fkey" FOREIGN KEY ("apiClientId") REFERENCES "ApiClient"("id") ON DELETE SET NULL ON UPDATE CASCADE;
