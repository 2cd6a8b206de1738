-- Written by hand. The offer trigger records routing only: the offer's organisation. Who may hear
-- of an offer change is decided where every other path decides who sees an offer, in TypeScript
-- (src/modules/catalogue/catalogue.access.ts#offerChangeView, called by offer subscriptions and
-- the webhook fan-out): the trigger used to decide it here too (`public`: the offer is or was
-- published), a copy that drifts. The column stays, unread; new rows get false, as referral rows do.
CREATE OR REPLACE FUNCTION maillage_outbox_offer_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maillage_outbox_append(
    'OFFER_CHANGED', NULL, NEW.id, NULL, NULL, ARRAY[NEW."organisationId"], false,
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
