-- AlterTable
ALTER TABLE "Offer" ADD COLUMN     "communes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "themePath" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Offer_themePath_idx" ON "Offer" USING GIN ("themePath");

-- CreateIndex
CREATE INDEX "Offer_communes_idx" ON "Offer" USING GIN ("communes");

-- Written by hand: the facets are kept by triggers, so that every writer (the API, the HSDS
-- import, the seed, bulk SQL) leaves them right. Link changes are handled per statement, with
-- transition tables, so that a bulk insert recomputes each offer once.
CREATE FUNCTION maillage_offer_theme_path(offer uuid) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT array_to_string(parts[1:n], '.')), '{}')
  FROM "_OfferToTheme" ot
  JOIN "Theme" th ON th.id = ot."B"
  CROSS JOIN LATERAL string_to_array(th.code, '.') AS parts
  CROSS JOIN LATERAL generate_series(1, cardinality(parts)) AS n
  WHERE ot."A" = offer
$$;

CREATE FUNCTION maillage_offer_communes(offer uuid, service_area text[]) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT c), '{}') FROM (
    SELECT unnest(service_area) AS c
    UNION
    SELECT s.commune FROM "_OfferToSite" os JOIN "Site" s ON s.id = os."B" WHERE os."A" = offer
  ) AS x
$$;

CREATE FUNCTION maillage_offer_communes_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.communes := maillage_offer_communes(NEW.id, NEW."serviceArea");
  RETURN NEW;
END
$$;

CREATE TRIGGER "Offer_communes_update"
  BEFORE INSERT OR UPDATE OF "serviceArea" ON "Offer"
  FOR EACH ROW EXECUTE FUNCTION maillage_offer_communes_row();

CREATE FUNCTION maillage_offer_themes_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Offer" SET "themePath" = maillage_offer_theme_path(id)
  WHERE id IN (SELECT "A" FROM changed);
  RETURN NULL;
END
$$;

CREATE TRIGGER "OfferToTheme_insert" AFTER INSERT ON "_OfferToTheme"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION maillage_offer_themes_changed();
CREATE TRIGGER "OfferToTheme_delete" AFTER DELETE ON "_OfferToTheme"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION maillage_offer_themes_changed();

CREATE FUNCTION maillage_offer_sites_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Offer" SET communes = maillage_offer_communes(id, "serviceArea")
  WHERE id IN (SELECT "A" FROM changed);
  RETURN NULL;
END
$$;

CREATE TRIGGER "OfferToSite_insert" AFTER INSERT ON "_OfferToSite"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION maillage_offer_sites_changed();
CREATE TRIGGER "OfferToSite_delete" AFTER DELETE ON "_OfferToSite"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION maillage_offer_sites_changed();

CREATE FUNCTION maillage_site_commune_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Offer" SET communes = maillage_offer_communes(id, "serviceArea")
  WHERE id IN (
    SELECT os."A" FROM "_OfferToSite" os
    JOIN changed_new n ON n.id = os."B"
    JOIN changed_old o ON o.id = n.id
    WHERE n.commune IS DISTINCT FROM o.commune
  );
  RETURN NULL;
END
$$;

CREATE TRIGGER "Site_commune_update" AFTER UPDATE ON "Site"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION maillage_site_commune_changed();

-- Existing offers.
UPDATE "Offer" SET "themePath" = maillage_offer_theme_path(id), communes = maillage_offer_communes(id, "serviceArea");
