-- CreateEnum
CREATE TYPE "ShelterKind" AS ENUM ('EMERGENCY', 'REFUGEE_HOME', 'YOUTH_FOYER', 'FAMILY_HOME', 'OTHER');

-- CreateEnum
CREATE TYPE "GuideStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "GuideItemStatus" AS ENUM ('PROPOSED', 'CONFIRMED', 'DECLINED', 'REGULAR', 'ENDED', 'WITHDRAWN');

-- AlterEnum
ALTER TYPE "ApiScope" ADD VALUE 'GUIDES_READ';

-- CreateTable
CREATE TABLE "Shelter" (
    "id" UUID NOT NULL,
    "siteId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "kind" "ShelterKind" NOT NULL DEFAULT 'OTHER',
    "capacity" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Shelter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShelterPartner" (
    "shelterId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "role" JSONB,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShelterPartner_pkey" PRIMARY KEY ("shelterId","organisationId")
);

-- CreateTable
CREATE TABLE "ResidentProfile" (
    "id" UUID NOT NULL,
    "shelterId" UUID NOT NULL,
    "asOf" DATE NOT NULL,
    "total" INTEGER NOT NULL,
    "languages" JSONB NOT NULL,
    "ageBands" JSONB NOT NULL,
    "householdTypes" JSONB NOT NULL,
    "recordedByUserId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResidentProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Guide" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "organisationId" UUID NOT NULL,
    "shelterId" UUID,
    "audiences" "Audience"[],
    "commune" TEXT,
    "title" JSONB NOT NULL,
    "intro" JSONB,
    "sourceLanguage" TEXT NOT NULL DEFAULT 'fr',
    "textVersion" INTEGER NOT NULL DEFAULT 1,
    "translatedFrom" JSONB NOT NULL DEFAULT '{}',
    "languages" TEXT[],
    "status" "GuideStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "publishedAt" TIMESTAMPTZ(3),
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Guide_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuideItem" (
    "id" UUID NOT NULL,
    "guideId" UUID NOT NULL,
    "offerId" UUID NOT NULL,
    "providerOrganisationId" UUID NOT NULL,
    "status" "GuideItemStatus" NOT NULL DEFAULT 'PROPOSED',
    "position" INTEGER NOT NULL DEFAULT 0,
    "relevanceNote" JSONB,
    "noteVersion" INTEGER NOT NULL DEFAULT 1,
    "noteTranslatedFrom" JSONB NOT NULL DEFAULT '{}',
    "audiences" "Audience"[],
    "languages" TEXT[],
    "placesPerWeek" INTEGER,
    "weekday" INTEGER,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "contactEmail" TEXT,
    "schedule" JSONB,
    "closures" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "declineReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "proposedById" UUID,
    "decidedById" UUID,
    "decidedAt" TIMESTAMPTZ(3),
    "verifiedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GuideItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuideAttendance" (
    "guideItemId" UUID NOT NULL,
    "weekStart" DATE NOT NULL,
    "count" INTEGER NOT NULL,
    "recordedByOrganisationId" UUID NOT NULL,
    "recordedByUserId" UUID,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GuideAttendance_pkey" PRIMARY KEY ("guideItemId","weekStart")
);

-- CreateTable
CREATE TABLE "GuideAlert" (
    "id" UUID NOT NULL,
    "guideId" UUID NOT NULL,
    "guideItemId" UUID NOT NULL,
    "offerId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "GuideAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Shelter_siteId_key" ON "Shelter"("siteId");

-- CreateIndex
CREATE INDEX "Shelter_organisationId_idx" ON "Shelter"("organisationId");

-- CreateIndex
CREATE INDEX "ShelterPartner_organisationId_idx" ON "ShelterPartner"("organisationId");

-- CreateIndex
CREATE INDEX "ResidentProfile_shelterId_asOf_idx" ON "ResidentProfile"("shelterId", "asOf");

-- CreateIndex
CREATE UNIQUE INDEX "Guide_slug_key" ON "Guide"("slug");

-- CreateIndex
CREATE INDEX "Guide_organisationId_idx" ON "Guide"("organisationId");

-- CreateIndex
CREATE INDEX "Guide_shelterId_idx" ON "Guide"("shelterId");

-- CreateIndex
CREATE INDEX "Guide_status_idx" ON "Guide"("status");

-- CreateIndex
CREATE INDEX "GuideItem_providerOrganisationId_status_idx" ON "GuideItem"("providerOrganisationId", "status");

-- CreateIndex
CREATE INDEX "GuideItem_offerId_idx" ON "GuideItem"("offerId");

-- CreateIndex
CREATE UNIQUE INDEX "GuideItem_guideId_offerId_key" ON "GuideItem"("guideId", "offerId");

-- CreateIndex
CREATE INDEX "GuideAlert_guideId_at_idx" ON "GuideAlert"("guideId", "at");

-- AddForeignKey
ALTER TABLE "Shelter" ADD CONSTRAINT "Shelter_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shelter" ADD CONSTRAINT "Shelter_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterPartner" ADD CONSTRAINT "ShelterPartner_shelterId_fkey" FOREIGN KEY ("shelterId") REFERENCES "Shelter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterPartner" ADD CONSTRAINT "ShelterPartner_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidentProfile" ADD CONSTRAINT "ResidentProfile_shelterId_fkey" FOREIGN KEY ("shelterId") REFERENCES "Shelter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guide" ADD CONSTRAINT "Guide_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Guide" ADD CONSTRAINT "Guide_shelterId_fkey" FOREIGN KEY ("shelterId") REFERENCES "Shelter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuideItem" ADD CONSTRAINT "GuideItem_guideId_fkey" FOREIGN KEY ("guideId") REFERENCES "Guide"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuideItem" ADD CONSTRAINT "GuideItem_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuideItem" ADD CONSTRAINT "GuideItem_providerOrganisationId_fkey" FOREIGN KEY ("providerOrganisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuideAttendance" ADD CONSTRAINT "GuideAttendance_guideItemId_fkey" FOREIGN KEY ("guideItemId") REFERENCES "GuideItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuideAlert" ADD CONSTRAINT "GuideAlert_guideId_fkey" FOREIGN KEY ("guideId") REFERENCES "Guide"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuideAlert" ADD CONSTRAINT "GuideAlert_guideItemId_fkey" FOREIGN KEY ("guideItemId") REFERENCES "GuideItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
