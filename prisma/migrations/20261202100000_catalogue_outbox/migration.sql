-- Written by hand (Prisma models no triggers): issue 15's public cache.
--
-- Every hub process caches answers to anonymous catalogue reads (src/http/public-cache.ts) and
-- empties its cache when the outbox says the catalogue changed. OFFER_CHANGED covers only an
-- offer's status and places; any other change of an offer, a site, an organisation, a theme or
-- the links between them now appends one CATALOGUE_CHANGED row per transaction, whatever path
-- wrote it (GraphQL, HSDS import, seed, psql).
--
-- The trigger is DEFERRED to commit, so that the outbox's lock ("OutboxSequence", held to commit)
-- is taken last, after every lock of the transaction's statements, as `offer_changes` does for
-- its own sequence; on "Offer" it is named to sort before "Offer_match_change_*", which fire at
-- the same moment, so that both sequences are always locked in the same order (outbox first,
-- as a referral step that changes an offer's places does). A transaction-local setting keeps it
-- to one row however many rows the transaction touched, and to none when the transaction wrote an
-- OFFER_CHANGED row already (committed with it, it empties the caches as well). No routing, no
-- payload beyond the flag: nothing in it is secret, and nobody is told of it but the caches.
CREATE FUNCTION maillage_outbox_catalogue_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('maillage.catalogue_changed', true) = 'yes' THEN RETURN NULL; END IF;
  PERFORM set_config('maillage.catalogue_changed', 'yes', true);
  PERFORM maillage_outbox_append(
    'CATALOGUE_CHANGED', NULL, NULL, NULL, NULL, '{}', false, jsonb_build_object('catalogue', true));
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "Offer_catalogue_outbox" AFTER INSERT OR UPDATE OR DELETE ON "Offer"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_outbox_catalogue_changed();
CREATE CONSTRAINT TRIGGER "Site_catalogue_outbox" AFTER INSERT OR UPDATE OR DELETE ON "Site"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_outbox_catalogue_changed();
CREATE CONSTRAINT TRIGGER "Organisation_catalogue_outbox" AFTER INSERT OR UPDATE OR DELETE ON "Organisation"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_outbox_catalogue_changed();
CREATE CONSTRAINT TRIGGER "Theme_catalogue_outbox" AFTER INSERT OR UPDATE OR DELETE ON "Theme"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_outbox_catalogue_changed();
CREATE CONSTRAINT TRIGGER "OfferToSite_catalogue_outbox" AFTER INSERT OR UPDATE OR DELETE ON "_OfferToSite"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_outbox_catalogue_changed();
CREATE CONSTRAINT TRIGGER "OfferToTheme_catalogue_outbox" AFTER INSERT OR UPDATE OR DELETE ON "_OfferToTheme"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_outbox_catalogue_changed();

-- OFFER_CHANGED as before (migration `outbox_offer_routing`), and it marks the transaction: the
-- caches hear of its catalogue change from this row.
CREATE OR REPLACE FUNCTION maillage_outbox_offer_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('maillage.catalogue_changed', 'yes', true);
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
