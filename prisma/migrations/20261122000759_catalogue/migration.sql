-- CreateEnum
CREATE TYPE "OfferStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'PAUSED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "Audience" AS ENUM ('EVERYONE', 'CHILDREN', 'YOUTH', 'ADULTS', 'SENIORS', 'FAMILIES', 'WOMEN', 'MEN', 'NEWCOMERS', 'REFUGEES', 'HOMELESS', 'PEOPLE_WITH_DISABILITIES', 'PEOPLE_IN_DEBT', 'PEOPLE_WITH_ADDICTIONS', 'JOBSEEKERS', 'PROFESSIONALS');

-- CreateEnum
CREATE TYPE "CostKind" AS ENUM ('FREE', 'PAID', 'INCOME_BASED', 'ON_REQUEST');

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "description" JSONB,
ADD COLUMN     "email" TEXT,
ADD COLUMN     "hsdsId" TEXT,
ADD COLUMN     "phone" TEXT;

-- CreateTable
CREATE TABLE "Theme" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "parentId" UUID,
    "label" JSONB NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Theme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Site" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "hsdsId" TEXT,
    "name" TEXT NOT NULL,
    "street" TEXT,
    "postcode" TEXT,
    "commune" TEXT NOT NULL,
    "quarter" TEXT,
    "country" TEXT NOT NULL DEFAULT 'LU',
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "wheelchairAccessible" BOOLEAN,
    "accessibility" JSONB,
    "openingHours" JSONB,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Offer" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "hsdsId" TEXT,
    "title" JSONB NOT NULL,
    "description" JSONB,
    "status" "OfferStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "audiences" "Audience"[],
    "minAge" INTEGER,
    "maxAge" INTEGER,
    "eligibility" JSONB,
    "languages" TEXT[],
    "costKind" "CostKind" NOT NULL DEFAULT 'FREE',
    "costDescription" JSONB,
    "serviceArea" TEXT[],
    "schedule" JSONB,
    "contactName" TEXT,
    "contactEmail" TEXT,
    "contactPhone" TEXT,
    "website" TEXT,
    "capacityPlaces" INTEGER,
    "capacityFree" INTEGER,
    "waitlist" BOOLEAN NOT NULL DEFAULT false,
    "capacityUpdatedAt" TIMESTAMPTZ(3),
    "acceptsReferrals" BOOLEAN NOT NULL DEFAULT false,
    "referralRequirements" JSONB,
    "responseDays" INTEGER NOT NULL DEFAULT 2,
    "publishedAt" TIMESTAMPTZ(3),
    "search" tsvector,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogueChange" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "offerId" UUID,
    "action" TEXT NOT NULL,
    "fields" TEXT[],
    "before" JSONB,
    "after" JSONB,
    "actorUserId" UUID,
    "actorApiClientId" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CatalogueChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_OfferToTheme" (
    "A" UUID NOT NULL,
    "B" UUID NOT NULL,

    CONSTRAINT "_OfferToTheme_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateTable
CREATE TABLE "_OfferToSite" (
    "A" UUID NOT NULL,
    "B" UUID NOT NULL,

    CONSTRAINT "_OfferToSite_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "Theme_code_key" ON "Theme"("code");

-- CreateIndex
CREATE INDEX "Theme_parentId_idx" ON "Theme"("parentId");

-- CreateIndex
CREATE INDEX "Site_organisationId_idx" ON "Site"("organisationId");

-- CreateIndex
CREATE INDEX "Site_commune_idx" ON "Site"("commune");

-- CreateIndex
CREATE UNIQUE INDEX "Site_organisationId_hsdsId_key" ON "Site"("organisationId", "hsdsId");

-- CreateIndex
CREATE INDEX "Offer_organisationId_status_idx" ON "Offer"("organisationId", "status");

-- CreateIndex
CREATE INDEX "Offer_status_updatedAt_idx" ON "Offer"("status", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_organisationId_hsdsId_key" ON "Offer"("organisationId", "hsdsId");

-- CreateIndex
CREATE INDEX "CatalogueChange_organisationId_at_idx" ON "CatalogueChange"("organisationId", "at");

-- CreateIndex
CREATE INDEX "CatalogueChange_entityId_at_idx" ON "CatalogueChange"("entityId", "at");

-- CreateIndex
CREATE INDEX "_OfferToTheme_B_index" ON "_OfferToTheme"("B");

-- CreateIndex
CREATE INDEX "_OfferToSite_B_index" ON "_OfferToSite"("B");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_hsdsId_key" ON "Organisation"("hsdsId");

-- AddForeignKey
ALTER TABLE "Theme" ADD CONSTRAINT "Theme_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Theme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Site" ADD CONSTRAINT "Site_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogueChange" ADD CONSTRAINT "CatalogueChange_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogueChange" ADD CONSTRAINT "CatalogueChange_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogueChange" ADD CONSTRAINT "CatalogueChange_actorUserId_fkey" FOREIGN KEY ("actorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_OfferToTheme" ADD CONSTRAINT "_OfferToTheme_A_fkey" FOREIGN KEY ("A") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_OfferToTheme" ADD CONSTRAINT "_OfferToTheme_B_fkey" FOREIGN KEY ("B") REFERENCES "Theme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_OfferToSite" ADD CONSTRAINT "_OfferToSite_A_fkey" FOREIGN KEY ("A") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_OfferToSite" ADD CONSTRAINT "_OfferToSite_B_fkey" FOREIGN KEY ("B") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full-text search over offers, written by hand (Prisma models neither text search
-- configurations nor triggers). Accent-insensitive French and German stemming, and a plain
-- configuration that catches the other languages and proper names. A trigger keeps "search"
-- in step with title and description; a GIN index serves the queries.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION maillage_fr (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION maillage_fr
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION maillage_de (COPY = pg_catalog.german);
ALTER TEXT SEARCH CONFIGURATION maillage_de
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
CREATE TEXT SEARCH CONFIGURATION maillage_simple (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION maillage_simple
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

CREATE FUNCTION maillage_text_values(doc jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(value, ' '), '')
  FROM jsonb_each_text(CASE WHEN jsonb_typeof(doc) = 'object' THEN doc ELSE '{}'::jsonb END)
$$;

CREATE FUNCTION maillage_offer_document(title jsonb, description jsonb) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT
    setweight(to_tsvector('maillage_fr', coalesce(title->>'fr', '')), 'A') ||
    setweight(to_tsvector('maillage_de', coalesce(title->>'de', '') || ' ' || coalesce(title->>'lb', '')), 'A') ||
    setweight(to_tsvector('maillage_simple', maillage_text_values(title)), 'A') ||
    setweight(to_tsvector('maillage_fr', coalesce(description->>'fr', '')), 'B') ||
    setweight(to_tsvector('maillage_de', coalesce(description->>'de', '') || ' ' || coalesce(description->>'lb', '')), 'B') ||
    setweight(to_tsvector('maillage_simple', maillage_text_values(description)), 'B')
$$;

CREATE FUNCTION maillage_offer_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := maillage_offer_document(NEW.title, NEW.description);
  RETURN NEW;
END
$$;

CREATE TRIGGER "Offer_search_update"
  BEFORE INSERT OR UPDATE OF title, description ON "Offer"
  FOR EACH ROW EXECUTE FUNCTION maillage_offer_search_trigger();

CREATE INDEX "Offer_search_idx" ON "Offer" USING GIN (search);
