-- CreateTable
CREATE TABLE "OutboxEvent" (
    "seq" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "referralId" UUID,
    "offerId" UUID,
    "userId" UUID,
    "apiClientId" UUID,
    "organisationIds" UUID[],
    "public" BOOLEAN NOT NULL DEFAULT false,
    "payload" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "OutboxSequence" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "value" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "OutboxSequence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxEvent_at_idx" ON "OutboxEvent"("at");

-- Written by hand: the outbox is written by triggers, in the transaction of the change, so that no
-- writer (the API, the seed, the HSDS import, bulk SQL) can forget it.
--
-- Sequence: every writer takes the next value from the one OutboxSequence row with an UPDATE. The
-- row stays locked until the writer commits or rolls back, so sequence numbers are handed out in
-- commit order with no gap: a reader that has read up to N never later sees a row below N appear.
-- The price is that outbox writers commit one after another; keep the outbox write the LAST lock a
-- transaction takes (the triggers fire on the last statements of each service transaction), which
-- also rules out deadlocks on it. NOTIFY wakes every hub instance at commit.
INSERT INTO "OutboxSequence" (id, value) VALUES (1, 0);

CREATE FUNCTION maillage_outbox_append(
  kind text, referral uuid, offer uuid, usr uuid, client uuid, orgs uuid[], is_public boolean, body jsonb
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  seq_no bigint;
BEGIN
  UPDATE "OutboxSequence" SET value = value + 1 WHERE id = 1 RETURNING value INTO seq_no;
  INSERT INTO "OutboxEvent" (seq, type, "referralId", "offerId", "userId", "apiClientId",
                             "organisationIds", public, payload)
  VALUES (seq_no, kind, referral, offer, usr, client, coalesce(orgs, '{}'), is_public, body);
  PERFORM pg_notify('maillage_outbox', seq_no::text);
  RETURN seq_no;
END
$$;

-- Every referral event (status change, assignment, message, consent, draft edit) with the
-- referral's state after it. No person data.
CREATE FUNCTION maillage_outbox_referral_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r "Referral"%ROWTYPE;
BEGIN
  SELECT * INTO r FROM "Referral" WHERE id = NEW."referralId";
  PERFORM maillage_outbox_append(
    'REFERRAL_EVENT', r.id, r."offerId", NULL, NULL,
    -- The receiving side hears of a referral once it is sent, never of a draft.
    CASE WHEN r."sentAt" IS NULL THEN ARRAY[r."senderOrganisationId"]
         ELSE ARRAY[r."senderOrganisationId", r."receiverOrganisationId"] END, false,
    jsonb_build_object(
      'event', jsonb_build_object(
        'id', NEW.id, 'type', NEW.type, 'fromStatus', NEW."fromStatus", 'toStatus', NEW."toStatus",
        'at', NEW.at, 'actorOrganisationId', NEW."actorOrganisationId"),
      'referral', jsonb_build_object(
        'id', r.id, 'reference', r.reference, 'status', r.status, 'version', r.version,
        'urgency', r.urgency, 'senderOrganisationId', r."senderOrganisationId",
        'receiverOrganisationId', r."receiverOrganisationId", 'offerId', r."offerId",
        'assigneeUserId', r."assigneeUserId", 'dueAt', r."dueAt")));
  RETURN NULL;
END
$$;

CREATE TRIGGER "ReferralEvent_outbox" AFTER INSERT ON "ReferralEvent"
  FOR EACH ROW EXECUTE FUNCTION maillage_outbox_referral_event();

-- An offer's places, status or openness to referrals changed. Public while it is (or was) published.
CREATE FUNCTION maillage_outbox_offer_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maillage_outbox_append(
    'OFFER_CHANGED', NULL, NEW.id, NULL, NULL, ARRAY[NEW."organisationId"],
    NEW.status = 'PUBLISHED' OR OLD.status = 'PUBLISHED',
    jsonb_build_object(
      'offer', jsonb_build_object(
        'id', NEW.id, 'organisationId', NEW."organisationId", 'status', NEW.status,
        'previousStatus', OLD.status, 'capacityPlaces', NEW."capacityPlaces",
        'capacityFree', NEW."capacityFree", 'previousCapacityFree', OLD."capacityFree",
        'waitlist', NEW.waitlist, 'acceptsReferrals', NEW."acceptsReferrals",
        'themePath', NEW."themePath", 'communes', NEW.communes, 'version', NEW.version)));
  RETURN NULL;
END
$$;

CREATE TRIGGER "Offer_outbox" AFTER UPDATE OF status, "capacityPlaces", "capacityFree", waitlist, "acceptsReferrals"
  ON "Offer" FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
     OR OLD."capacityPlaces" IS DISTINCT FROM NEW."capacityPlaces"
     OR OLD."capacityFree" IS DISTINCT FROM NEW."capacityFree"
     OR OLD.waitlist IS DISTINCT FROM NEW.waitlist
     OR OLD."acceptsReferrals" IS DISTINCT FROM NEW."acceptsReferrals")
  EXECUTE FUNCTION maillage_outbox_offer_changed();

-- Someone's access changed (membership roles, membership removed, account disabled, API client
-- revoked): their subscriptions end, and they subscribe again with what they may now see.
CREATE FUNCTION maillage_outbox_membership_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maillage_outbox_append('ACCESS_CHANGED', NULL, NULL, OLD."userId", NULL, '{}', false,
    jsonb_build_object('userId', OLD."userId", 'organisationId', OLD."organisationId"));
  RETURN NULL;
END
$$;

CREATE TRIGGER "Membership_outbox" AFTER UPDATE OF roles OR DELETE ON "Membership"
  FOR EACH ROW EXECUTE FUNCTION maillage_outbox_membership_changed();

CREATE FUNCTION maillage_outbox_user_disabled() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maillage_outbox_append('ACCESS_CHANGED', NULL, NULL, NEW.id, NULL, '{}', false,
    jsonb_build_object('userId', NEW.id));
  RETURN NULL;
END
$$;

CREATE TRIGGER "User_outbox" AFTER UPDATE OF "disabledAt" ON "User" FOR EACH ROW
  WHEN (NEW."disabledAt" IS NOT NULL AND OLD."disabledAt" IS NULL)
  EXECUTE FUNCTION maillage_outbox_user_disabled();

CREATE FUNCTION maillage_outbox_api_client_revoked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maillage_outbox_append('ACCESS_CHANGED', NULL, NULL, NULL, NEW.id, '{}', false,
    jsonb_build_object('apiClientId', NEW.id));
  RETURN NULL;
END
$$;

CREATE TRIGGER "ApiClient_outbox" AFTER UPDATE OF "revokedAt" ON "ApiClient" FOR EACH ROW
  WHEN (NEW."revokedAt" IS NOT NULL AND OLD."revokedAt" IS NULL)
  EXECUTE FUNCTION maillage_outbox_api_client_revoked();
