-- Written by hand (Prisma models no triggers, so `db:diff` stays clean): guide alerts.
--
-- When an offer that is in a guide (an entry not DECLINED, ENDED or WITHDRAWN) is paused, is
-- withdrawn, becomes full (no free place and no waiting list), changes its schedule, or changes its
-- sites (a site added or removed, or a site of it moved), one "GuideAlert" row per such entry is
-- written in the same transaction, whatever path changed the offer (the API, the seed, the HSDS
-- import, bulk SQL). Several changes of one kind to one entry in one transaction make one alert.
--
-- Each alert inserted appends one outbox row GUIDE_ALERT through maillage_outbox_append, from a
-- statement-level trigger: it runs after the rows of its statement and their foreign-key checks,
-- so that the outbox write (which takes the "OutboxSequence" row lock, held to commit) is the last
-- lock the statement takes (see migration `outbox`). Routing: the guide's organisation, the
-- shelter's operator and its partners; who hears is decided in TypeScript
-- (src/modules/welcome/welcome.access.ts#guideAlertAudience). Payload: ids and codes only.

CREATE FUNCTION maillage_guide_alerts_for(offer uuid, alert_kind text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "GuideAlert" (id, "guideId", "guideItemId", "offerId", kind, at)
  SELECT gen_random_uuid(), i."guideId", i.id, i."offerId", alert_kind, now()
  FROM "GuideItem" i
  WHERE i."offerId" = offer
    AND i.status NOT IN ('DECLINED', 'ENDED', 'WITHDRAWN')
    AND NOT EXISTS (
      SELECT 1 FROM "GuideAlert" a
      WHERE a."guideItemId" = i.id AND a.kind = alert_kind AND a.at = now()::timestamptz(3))
  ORDER BY i.id;
$$;

CREATE FUNCTION maillage_offer_guide_alerts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'PAUSED' AND OLD.status IS DISTINCT FROM 'PAUSED' THEN
    PERFORM maillage_guide_alerts_for(NEW.id, 'OFFER_PAUSED');
  END IF;
  IF NEW.status = 'WITHDRAWN' AND OLD.status IS DISTINCT FROM 'WITHDRAWN' THEN
    PERFORM maillage_guide_alerts_for(NEW.id, 'OFFER_WITHDRAWN');
  END IF;
  IF NEW."capacityFree" = 0 AND NOT NEW.waitlist
     AND NOT (OLD."capacityFree" IS NOT DISTINCT FROM 0 AND NOT OLD.waitlist) THEN
    PERFORM maillage_guide_alerts_for(NEW.id, 'OFFER_FULL');
  END IF;
  IF OLD.schedule IS DISTINCT FROM NEW.schedule THEN
    PERFORM maillage_guide_alerts_for(NEW.id, 'SCHEDULE_CHANGED');
  END IF;
  RETURN NULL;
END
$$;

-- Named to fire before "Offer_outbox" (triggers of one event fire in name order).
CREATE TRIGGER "Offer_guide_alerts" AFTER UPDATE OF status, "capacityFree", waitlist, schedule
  ON "Offer" FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
     OR OLD."capacityFree" IS DISTINCT FROM NEW."capacityFree"
     OR OLD.waitlist IS DISTINCT FROM NEW.waitlist
     OR OLD.schedule IS DISTINCT FROM NEW.schedule)
  EXECUTE FUNCTION maillage_offer_guide_alerts();

-- Sites added to or removed from an offer (Prisma's `set` deletes and inserts link rows).
CREATE FUNCTION maillage_offer_sites_guide_alerts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  offer uuid;
BEGIN
  FOR offer IN SELECT DISTINCT "A" FROM changed ORDER BY "A" LOOP
    PERFORM maillage_guide_alerts_for(offer, 'SITE_CHANGED');
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER "OfferToSite_guide_alerts_insert" AFTER INSERT ON "_OfferToSite"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION maillage_offer_sites_guide_alerts();
CREATE TRIGGER "OfferToSite_guide_alerts_delete" AFTER DELETE ON "_OfferToSite"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION maillage_offer_sites_guide_alerts();

-- A site of an offer moved (its address or its coordinates changed).
CREATE FUNCTION maillage_site_moved_guide_alerts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  offer uuid;
BEGIN
  FOR offer IN
    SELECT DISTINCT os."A" FROM "_OfferToSite" os
    JOIN changed_new n ON n.id = os."B"
    JOIN changed_old o ON o.id = n.id
    WHERE (n.street, n.postcode, n.commune, n.latitude, n.longitude)
          IS DISTINCT FROM (o.street, o.postcode, o.commune, o.latitude, o.longitude)
    ORDER BY os."A"
  LOOP
    PERFORM maillage_guide_alerts_for(offer, 'SITE_CHANGED');
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Site_guide_alerts_update" AFTER UPDATE ON "Site"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION maillage_site_moved_guide_alerts();

-- One outbox row per alert, routed to the guide's organisation, the shelter's operator and partners.
CREATE FUNCTION maillage_outbox_guide_alerts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  a record;
BEGIN
  FOR a IN
    SELECT n.*, g."organisationId" AS guide_org, s."organisationId" AS shelter_org,
           (SELECT coalesce(array_agg(p."organisationId" ORDER BY p."organisationId"), '{}')
              FROM "ShelterPartner" p WHERE p."shelterId" = g."shelterId") AS partner_orgs
    FROM added n
    JOIN "Guide" g ON g.id = n."guideId"
    LEFT JOIN "Shelter" s ON s.id = g."shelterId"
    ORDER BY n.id
  LOOP
    PERFORM maillage_outbox_append(
      'GUIDE_ALERT', NULL, a."offerId", NULL, NULL,
      ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[a.guide_org, a.shelter_org] || a.partner_orgs) AS x
            WHERE x IS NOT NULL),
      false,
      jsonb_build_object('alert', jsonb_build_object(
        'id', a.id, 'kind', a.kind, 'guideId', a."guideId", 'guideItemId', a."guideItemId",
        'offerId', a."offerId", 'at', a.at)));
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER "GuideAlert_outbox" AFTER INSERT ON "GuideAlert"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION maillage_outbox_guide_alerts();
