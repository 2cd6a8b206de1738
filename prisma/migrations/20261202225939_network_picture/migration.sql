-- CreateEnum
CREATE TYPE "DemandSource" AS ENUM ('SEARCH', 'MATCH');

-- CreateEnum
CREATE TYPE "DemandMissKind" AS ENUM ('NO_RESULT', 'NO_FREE_PLACE');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'NETWORK_COORDINATOR';

-- CreateTable
CREATE TABLE "NetworkReferralFact" (
    "referralId" UUID NOT NULL,
    "senderOrganisationId" UUID NOT NULL,
    "receiverOrganisationId" UUID NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "ReferralStatus" NOT NULL,
    "declineReason" "DeclineReason",
    "themeCodes" TEXT[],
    "communes" TEXT[],
    "firstAnswerDays" DOUBLE PRECISION,
    "acceptanceDays" DOUBLE PRECISION,
    "completionDays" DOUBLE PRECISION,
    "refreshedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NetworkReferralFact_pkey" PRIMARY KEY ("referralId")
);

-- CreateTable
CREATE TABLE "NetworkFactsState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "outboxSeq" BIGINT NOT NULL DEFAULT 0,
    "refreshedAt" TIMESTAMPTZ(3),

    CONSTRAINT "NetworkFactsState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DemandMiss" (
    "day" DATE NOT NULL,
    "source" "DemandSource" NOT NULL,
    "kind" "DemandMissKind" NOT NULL,
    "themeCode" TEXT NOT NULL DEFAULT '',
    "commune" TEXT NOT NULL DEFAULT '',
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DemandMiss_pkey" PRIMARY KEY ("day","source","kind","themeCode","commune")
);

-- CreateTable
CREATE TABLE "StatisticsQueryLog" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" UUID,
    "apiClientId" UUID,
    "query" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "organisationIds" UUID[],
    "periodFrom" TIMESTAMPTZ(3),
    "periodTo" TIMESTAMPTZ(3),
    "outcome" TEXT NOT NULL,

    CONSTRAINT "StatisticsQueryLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NetworkReferralFact_sentAt_idx" ON "NetworkReferralFact"("sentAt");

-- CreateIndex
CREATE INDEX "NetworkReferralFact_senderOrganisationId_sentAt_idx" ON "NetworkReferralFact"("senderOrganisationId", "sentAt");

-- CreateIndex
CREATE INDEX "NetworkReferralFact_receiverOrganisationId_sentAt_idx" ON "NetworkReferralFact"("receiverOrganisationId", "sentAt");

-- CreateIndex
CREATE INDEX "StatisticsQueryLog_at_idx" ON "StatisticsQueryLog"("at");

-- The one state row: nothing read yet (the first refresh rebuilds every fact).
INSERT INTO "NetworkFactsState" ("id") VALUES (1);
