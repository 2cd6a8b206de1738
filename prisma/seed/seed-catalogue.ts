/**
 * Loads the catalogue's demo data: the theme taxonomy, then the demo organisations' sites and
 * offers. Idempotent: themes are matched by code, sites and offers by (organisation, HSDS id) with
 * `hsdsId = 'demo:' + key`, so running it again updates in place. Bad demo data fails loudly:
 * every offer and site is checked (themes, site keys, communes, schedules) before anything is
 * written, and the error names the key at fault.
 */
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts';
import type { OfferStatus } from '../../src/generated/prisma/enums.ts';
import { canonicalCommune } from '../../src/modules/catalogue/communes.ts';
import { scheduleEntry } from '../../src/modules/catalogue/schedule.ts';
import { interActionsOffers, interActionsSites } from './demo-catalogue-inter-actions.ts';
import { partnerOffers, partnerSites } from './demo-catalogue-partners.ts';
import { translationList, type DemoOffer, type DemoSite, type DemoText } from './demo-catalogue-types.ts';
import { demoThemes } from './demo-themes.ts';

export const demoSites: DemoSite[] = [...interActionsSites, ...partnerSites];
export const demoOffers: DemoOffer[] = [...interActionsOffers, ...partnerOffers];

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Statuses that mean the offer has been published at some point. */
const ONCE_PUBLISHED: readonly OfferStatus[] = ['PUBLISHED', 'PAUSED'];

const hsdsIdOf = (key: string) => `demo:${key}`;
/** Translated text as a JSON object (only the languages present), or SQL NULL. */
const text = (value: DemoText): Prisma.InputJsonObject =>
  Object.fromEntries(translationList(value).map((t) => [t.language, t.text]));
const json = (value: DemoText | undefined) => (value ? text(value) : Prisma.DbNull);

function commune(name: string, what: string): string {
  const official = canonicalCommune(name);
  if (!official) throw new Error(`${what}: "${name}" is not a commune of Luxembourg`);
  return official;
}

/**
 * Checks the demo data against the taxonomy, the sites and the communes; returns the official
 * spelling of each site's commune and each offer's service area. Throws on the first problem.
 */
export function checkDemoCatalogue(
  sites: readonly DemoSite[] = demoSites,
  offers: readonly DemoOffer[] = demoOffers,
): { siteCommunes: Map<string, string>; serviceAreas: Map<string, string[]> } {
  const themeCodes = new Set(demoThemes.map((t) => t.code));
  const siteOrganisation = new Map<string, string>();
  const siteCommunes = new Map<string, string>();
  for (const site of sites) {
    const what = `demo site ${site.key}`;
    if (siteOrganisation.has(site.key)) throw new Error(`${what}: duplicate key`);
    siteOrganisation.set(site.key, site.organisation);
    siteCommunes.set(site.key, commune(site.commune, what));
    if (site.postcode !== undefined && !/^\d{4}$/.test(site.postcode)) {
      throw new Error(`${what}: postcode "${site.postcode}" is not four digits`);
    }
    for (const h of site.openingHours ?? []) {
      if (!HHMM.test(h.opens) || !HHMM.test(h.closes) || h.opens >= h.closes) {
        throw new Error(`${what}: bad opening hours ${h.weekday} ${h.opens}–${h.closes}`);
      }
    }
  }
  const offerKeys = new Set<string>();
  const serviceAreas = new Map<string, string[]>();
  for (const offer of offers) {
    const what = `demo offer ${offer.key}`;
    if (offerKeys.has(offer.key)) throw new Error(`${what}: duplicate key`);
    offerKeys.add(offer.key);
    if (offer.themes.length === 0) throw new Error(`${what}: no theme`);
    for (const code of offer.themes) {
      if (!themeCodes.has(code)) throw new Error(`${what}: unknown theme code "${code}"`);
    }
    for (const key of offer.sites ?? []) {
      const owner = siteOrganisation.get(key);
      if (!owner) throw new Error(`${what}: unknown site key "${key}"`);
      if (owner !== offer.organisation) throw new Error(`${what}: site "${key}" belongs to ${owner}`);
    }
    const area = [...new Set((offer.serviceArea ?? []).map((c) => commune(c, what)))];
    if (offer.status === 'PUBLISHED' && area.length === 0 && (offer.sites ?? []).length === 0) {
      throw new Error(`${what}: a published offer needs a site or a service area`);
    }
    serviceAreas.set(offer.key, area);
    for (const [i, entry] of (offer.schedule ?? []).entries()) {
      const parsed = scheduleEntry.safeParse(entry);
      if (!parsed.success) throw new Error(`${what}: schedule[${i}]: ${parsed.error.issues[0]?.message}`);
    }
    if (offer.minAge !== undefined && offer.maxAge !== undefined && offer.minAge > offer.maxAge) {
      throw new Error(`${what}: minAge is above maxAge`);
    }
    if (offer.capacityFree !== undefined && offer.capacityPlaces !== undefined) {
      if (offer.capacityFree > offer.capacityPlaces) throw new Error(`${what}: more free places than places`);
    }
    if (offer.contactEmail && !offer.contactEmail.endsWith('.example')) {
      throw new Error(`${what}: demo e-mail addresses must use the reserved .example domain`);
    }
  }
  return { siteCommunes, serviceAreas };
}

async function seedThemes(prisma: PrismaClient): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const siblings = new Map<string, number>();
  // The taxonomy lists parents before their children.
  for (const theme of demoThemes) {
    const parentId = theme.parent ? ids.get(theme.parent) : null;
    if (parentId === undefined)
      throw new Error(`demo theme ${theme.code}: parent ${theme.parent} comes later`);
    const position = siblings.get(theme.parent ?? '') ?? 0;
    siblings.set(theme.parent ?? '', position + 1);
    const data = { label: { ...theme.label }, parentId, position };
    const row = await prisma.theme.upsert({
      where: { code: theme.code },
      create: { code: theme.code, ...data },
      update: data,
      select: { id: true },
    });
    ids.set(theme.code, row.id);
  }
  return ids;
}

/** The same set of ids (order aside). */
function sameIds(current: { id: string }[] | undefined, wanted: { id: string }[]): boolean {
  if (!current || current.length !== wanted.length) return false;
  const ids = new Set(current.map((r) => r.id));
  return wanted.every((r) => ids.has(r.id));
}

function organisationId(organisationIds: Map<string, string>, slug: string, what: string): string {
  const id = organisationIds.get(slug);
  if (!id) throw new Error(`${what}: unknown organisation ${slug}`);
  return id;
}

export async function seedCatalogue(
  prisma: PrismaClient,
  organisationIds: Map<string, string>,
): Promise<{ themes: number; sites: number; offers: number }> {
  const { siteCommunes, serviceAreas } = checkDemoCatalogue();
  const themeIds = await seedThemes(prisma);

  const siteIds = new Map<string, string>();
  for (const site of demoSites) {
    const orgId = organisationId(organisationIds, site.organisation, `demo site ${site.key}`);
    const hsdsId = hsdsIdOf(site.key);
    const data = {
      name: site.name,
      street: site.street ?? null,
      postcode: site.postcode ?? null,
      commune: siteCommunes.get(site.key)!,
      quarter: site.quarter ?? null,
      latitude: site.latitude ?? null,
      longitude: site.longitude ?? null,
      wheelchairAccessible: site.wheelchairAccessible ?? null,
      accessibility: json(site.accessibility),
      openingHours: (site.openingHours ?? []) as unknown as Prisma.InputJsonValue,
    };
    const row = await prisma.site.upsert({
      where: { organisationId_hsdsId: { organisationId: orgId, hsdsId } },
      create: { organisationId: orgId, hsdsId, ...data },
      update: data,
      select: { id: true },
    });
    siteIds.set(site.key, row.id);
  }

  const now = new Date();
  for (const offer of demoOffers) {
    const what = `demo offer ${offer.key}`;
    const orgId = organisationId(organisationIds, offer.organisation, what);
    const hsdsId = hsdsIdOf(offer.key);
    const where = { organisationId_hsdsId: { organisationId: orgId, hsdsId } };
    const existing = await prisma.offer.findUnique({
      where,
      select: {
        publishedAt: true,
        capacityPlaces: true,
        capacityFree: true,
        capacityUpdatedAt: true,
        sites: { select: { id: true } },
      },
    });
    const capacityPlaces = offer.capacityPlaces ?? null;
    const capacityFree = offer.capacityFree ?? null;
    const hasCapacity = capacityPlaces !== null || capacityFree !== null;
    const capacityUnchanged =
      existing?.capacityPlaces === capacityPlaces && existing.capacityFree === capacityFree;
    const keptCapacityDate = capacityUnchanged ? existing.capacityUpdatedAt : null;
    const themes = offer.themes.map((code) => ({ id: themeIds.get(code)! }));
    const sites = (offer.sites ?? []).map((key) => ({ id: siteIds.get(key)! }));
    const data = {
      title: text(offer.title),
      description: json(offer.description),
      status: offer.status,
      audiences: offer.audiences,
      minAge: offer.minAge ?? null,
      maxAge: offer.maxAge ?? null,
      eligibility: json(offer.eligibility),
      languages: offer.languages,
      costKind: offer.costKind,
      costDescription: json(offer.costDescription),
      serviceArea: serviceAreas.get(offer.key)!,
      schedule: (offer.schedule ?? []) as unknown as Prisma.InputJsonValue,
      contactName: offer.contactName ?? null,
      contactEmail: offer.contactEmail ?? null,
      contactPhone: offer.contactPhone ?? null,
      website: offer.website ?? null,
      capacityPlaces,
      capacityFree,
      waitlist: offer.waitlist ?? false,
      capacityUpdatedAt: hasCapacity ? (keptCapacityDate ?? now) : null,
      acceptsReferrals: offer.acceptsReferrals ?? false,
      referralRequirements: json(offer.referralRequirements),
      responseDays: offer.responseDays ?? 2,
      // Keep the first publication date; a draft has none.
      publishedAt: ONCE_PUBLISHED.includes(offer.status) ? (existing?.publishedAt ?? now) : null,
    };
    await prisma.offer.upsert({
      where,
      create: {
        organisationId: orgId,
        hsdsId,
        ...data,
        themes: { connect: themes },
        sites: { connect: sites },
      },
      // Prisma's `set` deletes and re-inserts every link, which reads as sites removed and added
      // (guide alerts, migration `guide_alerts`): only when they really changed.
      update: {
        ...data,
        themes: { set: themes },
        ...(sameIds(existing?.sites, sites) ? {} : { sites: { set: sites } }),
      },
      select: { id: true },
    });
  }

  return { themes: themeIds.size, sites: siteIds.size, offers: demoOffers.length };
}
