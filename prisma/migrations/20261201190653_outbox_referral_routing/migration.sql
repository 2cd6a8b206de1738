-- Written by hand. The referral trigger records routing only: both sides and when the referral
-- was sent. Who may hear of a referral event is decided where every other path decides who sees a
-- referral, in TypeScript (src/modules/referrals/referral.access.ts#referralEventAudience): the
-- trigger used to decide it here too (a draft's events to its sender only), a copy that drifts.
CREATE OR REPLACE FUNCTION maillage_outbox_referral_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r "Referral"%ROWTYPE;
BEGIN
  SELECT * INTO r FROM "Referral" WHERE id = NEW."referralId";
  PERFORM maillage_outbox_append(
    'REFERRAL_EVENT', r.id, r."offerId", NULL, NULL,
    ARRAY[r."senderOrganisationId", r."receiverOrganisationId"], false,
    jsonb_build_object(
      'event', jsonb_build_object(
        'id', NEW.id, 'type', NEW.type, 'fromStatus', NEW."fromStatus", 'toStatus', NEW."toStatus",
        'at', NEW.at, 'actorOrganisationId', NEW."actorOrganisationId"),
      'referral', jsonb_build_object(
        'id', r.id, 'reference', r.reference, 'status', r.status, 'version', r.version,
        'urgency', r.urgency, 'senderOrganisationId', r."senderOrganisationId",
        'receiverOrganisationId', r."receiverOrganisationId", 'offerId', r."offerId",
        'assigneeUserId', r."assigneeUserId", 'dueAt', r."dueAt", 'sentAt', r."sentAt")));
  RETURN NULL;
END
$$;

-- Rows written before: the old trigger listed the receiver only once the referral was sent, which
-- is what their routing now says. `sentAt` never changes once set, so the referral's own is right;
-- a referral deleted since gets the event's time.
UPDATE "OutboxEvent" o
SET payload = jsonb_set(o.payload, '{referral,sentAt}',
  CASE WHEN (o.payload #>> '{referral,receiverOrganisationId}')::uuid = ANY (o."organisationIds")
            AND cardinality(o."organisationIds") > 1
       THEN to_jsonb(coalesce((SELECT r."sentAt" FROM "Referral" r WHERE r.id = o."referralId"), o.at))
       ELSE 'null'::jsonb END)
WHERE o.type = 'REFERRAL_EVENT' AND jsonb_typeof(o.payload -> 'referral') = 'object'
  AND NOT (o.payload -> 'referral') ? 'sentAt';
