-- CreateEnum
CREATE TYPE "EditionStatus" AS ENUM ('DRAFT', 'OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "SessionKind" AS ENUM ('PLENARY', 'ROUND_TABLE', 'WORKSHOP', 'OTHER');

-- CreateEnum
CREATE TYPE "ParticipantCategory" AS ENUM ('PARTNER_STAFF', 'VOLUNTEER', 'PUBLIC_SECTOR', 'PRESS', 'SPEAKER', 'ORGANISER', 'OTHER');

-- CreateEnum
CREATE TYPE "RegistrationSource" AS ENUM ('SELF', 'ORGANISATION', 'ORGANISER');

-- CreateEnum
CREATE TYPE "RegistrationStatus" AS ENUM ('REGISTERED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SeatStatus" AS ENUM ('CONFIRMED', 'WAITLISTED');

-- CreateEnum
CREATE TYPE "ContactExchangeStatus" AS ENUM ('REQUESTED', 'ACCEPTED', 'DECLINED');

-- CreateTable
CREATE TABLE "Event" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "organisationId" UUID NOT NULL,
    "name" JSONB NOT NULL,
    "description" JSONB,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventEdition" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "organisationId" UUID NOT NULL,
    "title" JSONB NOT NULL,
    "description" JSONB,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "venueSiteId" UUID,
    "status" "EditionStatus" NOT NULL DEFAULT 'DRAFT',
    "registrationClosesAt" TIMESTAMPTZ(3),
    "anonymisedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EventEdition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EditionInvitation" (
    "editionId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "codeHash" TEXT NOT NULL,
    "codeSealed" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EditionInvitation_pkey" PRIMARY KEY ("editionId","organisationId")
);

-- CreateTable
CREATE TABLE "EventSession" (
    "id" UUID NOT NULL,
    "editionId" UUID NOT NULL,
    "kind" "SessionKind" NOT NULL,
    "title" JSONB NOT NULL,
    "description" JSONB,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "room" TEXT,
    "capacity" INTEGER,
    "speakers" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EventSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Registration" (
    "id" UUID NOT NULL,
    "editionId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "organisationId" UUID,
    "organisationName" TEXT,
    "function" TEXT,
    "category" "ParticipantCategory" NOT NULL,
    "accessibilityNeeds" TEXT,
    "showName" BOOLEAN NOT NULL DEFAULT false,
    "showOrganisation" BOOLEAN NOT NULL DEFAULT false,
    "showFunction" BOOLEAN NOT NULL DEFAULT false,
    "contactable" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT NOT NULL DEFAULT 'fr',
    "source" "RegistrationSource" NOT NULL,
    "registeredByUserId" UUID,
    "status" "RegistrationStatus" NOT NULL DEFAULT 'REGISTERED',
    "cancelledAt" TIMESTAMPTZ(3),
    "manageTokenHash" TEXT NOT NULL,
    "badgeCode" TEXT NOT NULL,
    "checkedInAt" TIMESTAMPTZ(3),
    "anonymisedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegistrationSeat" (
    "registrationId" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "status" "SeatStatus" NOT NULL,
    "queuedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegistrationSeat_pkey" PRIMARY KEY ("registrationId","sessionId")
);

-- CreateTable
CREATE TABLE "Stand" (
    "id" UUID NOT NULL,
    "editionId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "number" TEXT,
    "title" JSONB NOT NULL,
    "description" JSONB,
    "results" JSONB,
    "figures" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Stand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StandMember" (
    "standId" UUID NOT NULL,
    "registrationId" UUID NOT NULL,

    CONSTRAINT "StandMember_pkey" PRIMARY KEY ("standId","registrationId")
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "id" UUID NOT NULL,
    "editionId" UUID NOT NULL,
    "registrationId" UUID NOT NULL,
    "scannerKey" TEXT NOT NULL,
    "scanId" TEXT NOT NULL,
    "arrived" BOOLEAN NOT NULL,
    "scannedAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "byUserId" UUID,

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactExchange" (
    "id" UUID NOT NULL,
    "editionId" UUID NOT NULL,
    "fromId" UUID NOT NULL,
    "toId" UUID NOT NULL,
    "message" TEXT,
    "status" "ContactExchangeStatus" NOT NULL DEFAULT 'REQUESTED',
    "answeredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactExchange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_StandOffers" (
    "A" UUID NOT NULL,
    "B" UUID NOT NULL,

    CONSTRAINT "_StandOffers_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "Event_slug_key" ON "Event"("slug");

-- CreateIndex
CREATE INDEX "Event_organisationId_idx" ON "Event"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "EventEdition_slug_key" ON "EventEdition"("slug");

-- CreateIndex
CREATE INDEX "EventEdition_eventId_startsAt_idx" ON "EventEdition"("eventId", "startsAt");

-- CreateIndex
CREATE INDEX "EventEdition_organisationId_idx" ON "EventEdition"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "EditionInvitation_codeHash_key" ON "EditionInvitation"("codeHash");

-- CreateIndex
CREATE INDEX "EditionInvitation_organisationId_idx" ON "EditionInvitation"("organisationId");

-- CreateIndex
CREATE INDEX "EventSession_editionId_startsAt_idx" ON "EventSession"("editionId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_manageTokenHash_key" ON "Registration"("manageTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_badgeCode_key" ON "Registration"("badgeCode");

-- CreateIndex
CREATE INDEX "Registration_editionId_status_category_idx" ON "Registration"("editionId", "status", "category");

-- CreateIndex
CREATE INDEX "Registration_organisationId_editionId_idx" ON "Registration"("organisationId", "editionId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_editionId_email_key" ON "Registration"("editionId", "email");

-- CreateIndex
CREATE INDEX "RegistrationSeat_sessionId_status_queuedAt_idx" ON "RegistrationSeat"("sessionId", "status", "queuedAt");

-- CreateIndex
CREATE INDEX "Stand_editionId_idx" ON "Stand"("editionId");

-- CreateIndex
CREATE INDEX "Stand_organisationId_idx" ON "Stand"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "Stand_editionId_number_key" ON "Stand"("editionId", "number");

-- CreateIndex
CREATE INDEX "StandMember_registrationId_idx" ON "StandMember"("registrationId");

-- CreateIndex
CREATE INDEX "CheckIn_registrationId_scannedAt_idx" ON "CheckIn"("registrationId", "scannedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CheckIn_editionId_scannerKey_scanId_key" ON "CheckIn"("editionId", "scannerKey", "scanId");

-- CreateIndex
CREATE INDEX "ContactExchange_toId_status_idx" ON "ContactExchange"("toId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ContactExchange_fromId_toId_key" ON "ContactExchange"("fromId", "toId");

-- CreateIndex
CREATE INDEX "_StandOffers_B_index" ON "_StandOffers"("B");

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventEdition" ADD CONSTRAINT "EventEdition_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventEdition" ADD CONSTRAINT "EventEdition_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventEdition" ADD CONSTRAINT "EventEdition_venueSiteId_fkey" FOREIGN KEY ("venueSiteId") REFERENCES "Site"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EditionInvitation" ADD CONSTRAINT "EditionInvitation_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "EventEdition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EditionInvitation" ADD CONSTRAINT "EditionInvitation_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventSession" ADD CONSTRAINT "EventSession_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "EventEdition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "EventEdition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegistrationSeat" ADD CONSTRAINT "RegistrationSeat_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegistrationSeat" ADD CONSTRAINT "RegistrationSeat_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "EventSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Stand" ADD CONSTRAINT "Stand_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "EventEdition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Stand" ADD CONSTRAINT "Stand_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StandMember" ADD CONSTRAINT "StandMember_standId_fkey" FOREIGN KEY ("standId") REFERENCES "Stand"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StandMember" ADD CONSTRAINT "StandMember_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "EventEdition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactExchange" ADD CONSTRAINT "ContactExchange_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "EventEdition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactExchange" ADD CONSTRAINT "ContactExchange_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Registration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactExchange" ADD CONSTRAINT "ContactExchange_toId_fkey" FOREIGN KEY ("toId") REFERENCES "Registration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_StandOffers" ADD CONSTRAINT "_StandOffers_A_fkey" FOREIGN KEY ("A") REFERENCES "Offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_StandOffers" ADD CONSTRAINT "_StandOffers_B_fkey" FOREIGN KEY ("B") REFERENCES "Stand"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma models no triggers): live arrivals.
--
-- Each recorded scan (an arrival or its undoing) appends one outbox row EVENT_CHECK_IN, from a
-- statement-level trigger so that the outbox write (the "OutboxSequence" lock, held to commit) is
-- the last lock the check-in takes (see migration `outbox`): the service updates the registration
-- first and inserts the scan last. Routing: the edition's organising organisation; who hears is
-- decided in TypeScript (src/modules/events/events.access.ts). Payload: ids, the participant's
-- organisation and category, never a name or an address.
CREATE FUNCTION maillage_outbox_check_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT n.*, e."organisationId" AS organiser_org, e."eventId" AS event_id,
           r."organisationId" AS participant_org, r.category::text AS category
    FROM added n
    JOIN "EventEdition" e ON e.id = n."editionId"
    JOIN "Registration" r ON r.id = n."registrationId"
    ORDER BY n."recordedAt", n.id
  LOOP
    PERFORM maillage_outbox_append(
      'EVENT_CHECK_IN', NULL, NULL, NULL, NULL, ARRAY[c.organiser_org], false,
      jsonb_build_object('checkIn', jsonb_build_object(
        'id', c.id, 'eventId', c.event_id, 'editionId', c."editionId",
        'registrationId', c."registrationId", 'organisationId', c.participant_org,
        'category', c.category, 'arrived', c.arrived, 'scannedAt', c."scannedAt",
        'recordedAt', c."recordedAt")));
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER "CheckIn_outbox" AFTER INSERT ON "CheckIn"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION maillage_outbox_check_ins();
