-- CreateTable
CREATE TABLE "OfferChange" (
    "seq" BIGINT NOT NULL,
    "offerIds" UUID[],
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfferChange_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "OfferChangeSequence" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "value" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "OfferChangeSequence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OfferChange_at_idx" ON "OfferChange"("at");

-- Written by hand (Prisma models no triggers): what changed for matching.
--
-- The match index (src/modules/welcome/match-index.ts) keeps what ranking reads of every offer in
-- the hub process, and before each ranking asks "OfferChangeSequence" whether anything changed
-- since it last read (one primary-key read), then reloads only the offers named by the newer
-- "OfferChange" rows. For that to miss nothing, the rows are numbered in commit order: the triggers
-- are DEFERRED to commit, where each takes the next number from the one "OfferChangeSequence" row
-- with an UPDATE and holds its lock until the commit ends. Being the very last thing a transaction
-- does, after every lock of its statements (the outbox's included), it cannot deadlock with them;
-- catalogue writers commit one after another only for the instant of the commit itself.
INSERT INTO "OfferChangeSequence" (id, value) VALUES (1, 0);

CREATE FUNCTION maillage_offer_change_append(offers uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  seq_no bigint;
BEGIN
  IF coalesce(cardinality(offers), 0) = 0 THEN RETURN; END IF;
  UPDATE "OfferChangeSequence" SET value = value + 1 WHERE id = 1 RETURNING value INTO seq_no;
  INSERT INTO "OfferChange" (seq, "offerIds") VALUES (seq_no, offers);
END
$$;

CREATE FUNCTION maillage_offer_change_offer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maillage_offer_change_append(ARRAY[CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END]);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "Offer_match_change_insert_delete" AFTER INSERT OR DELETE ON "Offer"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_offer_change_offer();

-- What ranking reads of an offer (match.ts#MatchCandidate); "communes" and "themePath" are kept by
-- triggers of their own, so a change of sites, service area or themes arrives here too.
CREATE CONSTRAINT TRIGGER "Offer_match_change_update" AFTER UPDATE ON "Offer"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD."organisationId" IS DISTINCT FROM NEW."organisationId"
     OR OLD.status IS DISTINCT FROM NEW.status
     OR OLD."themePath" IS DISTINCT FROM NEW."themePath"
     OR OLD.languages IS DISTINCT FROM NEW.languages
     OR OLD.audiences IS DISTINCT FROM NEW.audiences
     OR OLD."minAge" IS DISTINCT FROM NEW."minAge"
     OR OLD."maxAge" IS DISTINCT FROM NEW."maxAge"
     OR OLD.communes IS DISTINCT FROM NEW.communes
     OR OLD."capacityFree" IS DISTINCT FROM NEW."capacityFree"
     OR OLD.waitlist IS DISTINCT FROM NEW.waitlist
     OR OLD.schedule IS DISTINCT FROM NEW.schedule)
  EXECUTE FUNCTION maillage_offer_change_offer();

CREATE FUNCTION maillage_offer_change_link() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maillage_offer_change_append(ARRAY[CASE WHEN TG_OP = 'DELETE' THEN OLD."A" ELSE NEW."A" END]);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "OfferToSite_match_change" AFTER INSERT OR DELETE ON "_OfferToSite"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION maillage_offer_change_link();

-- A site moved or changed its opening hours: every offer held there.
CREATE FUNCTION maillage_offer_change_site() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maillage_offer_change_append(ARRAY(SELECT "A" FROM "_OfferToSite" WHERE "B" = NEW.id ORDER BY "A"));
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "Site_match_change" AFTER UPDATE ON "Site"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.latitude IS DISTINCT FROM NEW.latitude
     OR OLD.longitude IS DISTINCT FROM NEW.longitude
     OR OLD."openingHours" IS DISTINCT FROM NEW."openingHours")
  EXECUTE FUNCTION maillage_offer_change_site();
