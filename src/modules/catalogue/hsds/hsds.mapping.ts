/**
 * Catalogue rows → HSDS 3.0 documents (organization, service, location, taxonomy, taxonomy_term
 * and the API's Page wrapper). Pure functions: the queries live in hsds.service.ts.
 *
 * Text is served in French, falling back along translations.ts's chain; every translated field
 * also rides along whole in `x_translations`, and Maillage's own fields (capacity, referrals…) as
 * other `x_` properties, which HSDS allows ("extending"). HSDS wants an `id` (uuid) on every
 * nested object, most of which are not rows here (a language, a schedule entry, an address):
 * those get name-based uuids derived from their owner's id, so they are stable between requests.
 */
import { createHash } from 'node:crypto';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { Offer, Organisation, Site, Theme } from '../../../generated/prisma/client.ts';
import { asTranslations, localize, type Translations } from '../translations.ts';

/** HSDS version this API speaks. */
export const HSDS_VERSION = '3.0';
/** No formal HSDS profile: base HSDS 3.0, extended with `x_` properties. */
export const HSDS_PROFILE = 'https://github.com/openreferral/specification/tree/3.0';
export const HSDS_OPENAPI_URL =
  'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json';
/** Name of the one taxonomy: the catalogue's themes. */
export const TAXONOMY_NAME = 'maillage-themes';

/** Namespace of the name-based (version 5) uuids of nested objects. */
const NAMESPACE = Buffer.from('5a0c6f0e9d2b4c1e8f3a7b6d2e4c9a10', 'hex');

/** A uuid (RFC 9562 version 5) derived from `parts`: the same parts always give the same id. */
export function stableUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Id of the one taxonomy (it has no row). */
export const TAXONOMY_ID = stableUuid('taxonomy', TAXONOMY_NAME);

/** An offer as the mapping needs it: with its organisation, themes and sites. */
export type OfferRow = Offer & { organisation: Organisation; themes: Theme[]; sites: Site[] };
/** Every theme by id, to write a term's path and parent. */
export type ThemeIndex = ReadonlyMap<string, Theme>;

type Doc = Record<string, unknown>;

// The schemas declare `format: uri` and `format: email`; a value the validator would refuse is
// left out rather than served, so that every document stays valid whatever editors typed.
const uriFormat = fullFormats.uri as (s: string) => boolean;
const emailFormat = fullFormats.email as RegExp;
const asUri = (value: string | null | undefined) => (value && uriFormat(value) ? value : undefined);
const asEmail = (value: string | null | undefined) => (value && emailFormat.test(value) ? value : undefined);

/** French first, then the fallback chain; undefined when there is no text at all. */
export function frenchText(value: unknown): string | undefined {
  return localize(value, ['fr'])?.text;
}

/** Drops undefined properties, so that absent data is absent rather than null. */
function compact<T extends Doc>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as T;
}

/** `{ field: translations }` of the translated fields that have any text, or undefined. */
function translationsOf(fields: Record<string, unknown>): Record<string, Translations> | undefined {
  const out: Record<string, Translations> = {};
  for (const [name, value] of Object.entries(fields)) {
    const t = asTranslations(value);
    if (Object.keys(t).length > 0) out[name] = t;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const iso = (d: Date) => d.toISOString();
const latest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

const languageNames = new Intl.DisplayNames(['fr'], { type: 'language' });
function languageName(code: string): string | undefined {
  try {
    const name = languageNames.of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined; // not a language code Intl knows
  }
}

// ---------------------------------------------------------------------------------------------
// Root and pages
// ---------------------------------------------------------------------------------------------

/** `GET /`: the API's version and profile. */
export function apiRoot(): Doc {
  return { version: HSDS_VERSION, profile: HSDS_PROFILE, openapi_url: HSDS_OPENAPI_URL };
}

/** The HSDS Page wrapper. `page` is 1-based; a page past the end is empty, not an error. */
export function toPage<T>(contents: T[], totalItems: number, page: number, perPage: number) {
  const totalPages = Math.ceil(totalItems / perPage);
  return {
    total_items: totalItems,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

// ---------------------------------------------------------------------------------------------
// Organisation → organization
// ---------------------------------------------------------------------------------------------

/** An organization's one-to-one fields (the list shape, and the one nested in a service). */
export function toOrganizationSummary(org: Organisation): Doc {
  return compact({
    id: org.id,
    name: org.name,
    // required by HSDS; an organisation may not have written one yet
    description: frenchText(org.description) ?? '',
    email: asEmail(org.email),
    website: asUri(org.website),
    legal_status: org.legalForm ?? undefined,
    parent_organization_id: org.parentId ?? undefined,
    x_slug: org.slug,
    x_kind: org.kind,
    x_translations: translationsOf({ description: org.description }),
  });
}

/** A fully nested organization: its phones, its public locations and its published services. */
export function toOrganization(org: Organisation, locations: Site[], services: Doc[]): Doc {
  return compact({
    ...toOrganizationSummary(org),
    phones: org.phone
      ? [{ id: stableUuid('phone', org.id), organization_id: org.id, number: org.phone }]
      : [],
    locations: locations.map((site) => toLocation(site)),
    services,
  });
}

// ---------------------------------------------------------------------------------------------
// Site → location
// ---------------------------------------------------------------------------------------------

const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

interface OpeningHour {
  weekday: number;
  opens: string;
  closes: string;
}

function readOpeningHours(value: unknown): OpeningHour[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (h): h is OpeningHour =>
      !!h &&
      typeof h === 'object' &&
      Number.isInteger((h as OpeningHour).weekday) &&
      (h as OpeningHour).weekday >= 1 &&
      (h as OpeningHour).weekday <= 7 &&
      typeof (h as OpeningHour).opens === 'string' &&
      typeof (h as OpeningHour).closes === 'string',
  );
}

/** Opening hours (one row per weekday and slot) as HSDS weekly schedules, one per time slot. */
function openingSchedules(site: Site): Doc[] {
  const slots = new Map<string, { opens: string; closes: string; days: Set<number> }>();
  for (const h of readOpeningHours(site.openingHours)) {
    const key = `${h.opens}-${h.closes}`;
    const slot = slots.get(key) ?? { opens: h.opens, closes: h.closes, days: new Set<number>() };
    slot.days.add(h.weekday);
    slots.set(key, slot);
  }
  return [...slots.values()].map((slot) => ({
    id: stableUuid('opening', site.id, slot.opens, slot.closes),
    location_id: site.id,
    freq: 'WEEKLY',
    byday: [...slot.days]
      .sort()
      .map((d) => WEEKDAY_CODES[d - 1])
      .join(','),
    opens_at: slot.opens,
    closes_at: slot.closes,
  }));
}

/**
 * A site as an HSDS location. Luxembourg has no states or provinces and the canton is not
 * stored, so `state_province` (required by HSDS) carries the country's name for Luxembourg
 * addresses; the quarter goes to `region`.
 */
export function toLocation(site: Site): Doc {
  const accessibility = frenchText(site.accessibility);
  const wheelchair =
    site.wheelchairAccessible == null
      ? undefined
      : site.wheelchairAccessible
        ? 'Accessible en fauteuil roulant'
        : 'Non accessible en fauteuil roulant';
  const access = accessibility ?? wheelchair;
  return compact({
    id: site.id,
    location_type: 'physical',
    organization_id: site.organisationId,
    name: site.name,
    latitude: site.latitude ?? undefined,
    longitude: site.longitude ?? undefined,
    addresses: [
      compact({
        id: stableUuid('address', site.id),
        location_id: site.id,
        address_1: site.street ?? '',
        city: site.commune,
        region: site.quarter ?? undefined,
        state_province: site.country === 'LU' ? 'Luxembourg' : '',
        postal_code: site.postcode ?? '',
        country: site.country,
        address_type: 'physical',
      }),
    ],
    accessibility: access
      ? [
          compact({
            id: stableUuid('accessibility', site.id),
            location_id: site.id,
            description: access,
            details: accessibility && wheelchair ? wheelchair : undefined,
          }),
        ]
      : [],
    schedules: openingSchedules(site),
    x_wheelchair_accessible: site.wheelchairAccessible ?? undefined,
    x_translations: translationsOf({ accessibility: site.accessibility }),
  });
}

// ---------------------------------------------------------------------------------------------
// Theme → taxonomy_term, and the one taxonomy
// ---------------------------------------------------------------------------------------------

/** The catalogue's themes as one HSDS taxonomy. */
export function toTaxonomy(): Doc {
  return {
    id: TAXONOMY_ID,
    name: TAXONOMY_NAME,
    description:
      'Thèmes du catalogue Maillage : taxonomie hiérarchique, codes en chemins pointés (logement.hebergement_urgence).',
  };
}

/** "Santé › Santé mentale": the labels from the root down, for the term's description. */
function themePath(theme: Theme, index: ThemeIndex): string {
  const labels: string[] = [];
  const seen = new Set<string>();
  for (
    let t: Theme | undefined = theme;
    t && !seen.has(t.id);
    t = t.parentId ? index.get(t.parentId) : undefined
  ) {
    seen.add(t.id);
    labels.unshift(frenchText(t.label) ?? t.code);
  }
  return labels.join(' › ');
}

export function toTaxonomyTerm(theme: Theme, index: ThemeIndex): Doc {
  return compact({
    id: theme.id,
    code: theme.code,
    name: frenchText(theme.label) ?? theme.code,
    description: themePath(theme, index),
    parent_id: theme.parentId ?? undefined,
    taxonomy: TAXONOMY_NAME,
    taxonomy_id: TAXONOMY_ID,
    language: 'fr',
    x_position: theme.position,
    x_translations: translationsOf({ name: theme.label }),
  });
}

// ---------------------------------------------------------------------------------------------
// Offer → service
// ---------------------------------------------------------------------------------------------

/** A stored schedule entry, read tolerantly (see catalogue/schedule.ts for what is written). */
interface StoredScheduleEntry {
  freq?: string;
  byday: string[];
  opensAt?: string;
  closesAt?: string;
  validFrom?: string;
  validTo?: string;
  description: Translations;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Schedule descriptions are stored as [{ language, text }]; plain text and objects are read too. */
function readDescription(value: unknown): Translations {
  if (typeof value === 'string') return value.trim() ? { fr: value } : {};
  if (Array.isArray(value)) {
    return asTranslations(
      Object.fromEntries(
        value
          .filter((d): d is { language: string; text: string } => !!d && typeof d === 'object')
          .map((d) => [d.language, d.text]),
      ),
    );
  }
  return asTranslations(value);
}

function readSchedule(value: unknown): StoredScheduleEntry[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e))
    .map((e) => ({
      freq: str(e.freq),
      byday: Array.isArray(e.byday)
        ? e.byday.filter((d): d is string => typeof d === 'string')
        : (str(e.byday)?.split(',') ?? []),
      opensAt: str(e.opensAt),
      closesAt: str(e.closesAt),
      validFrom: str(e.validFrom),
      validTo: str(e.validTo),
      description: readDescription(e.description),
    }));
}

function toSchedules(offer: Offer): Doc[] {
  return readSchedule(offer.schedule).map((e, i) =>
    compact({
      id: stableUuid('schedule', offer.id, String(i)),
      service_id: offer.id,
      freq: e.freq === 'WEEKLY' || e.freq === 'MONTHLY' ? e.freq : undefined,
      byday: e.byday.length > 0 ? e.byday.join(',') : undefined,
      opens_at: e.opensAt,
      closes_at: e.closesAt,
      valid_from: e.validFrom,
      valid_to: e.validTo,
      description: frenchText(e.description),
      x_translations: translationsOf({ description: e.description }),
    }),
  );
}

/** French labels of the cost kinds, as HSDS cost_options' free-text `option`. */
export const COST_OPTION_LABELS = {
  FREE: 'Gratuit',
  PAID: 'Payant',
  INCOME_BASED: 'Selon les revenus',
  ON_REQUEST: 'Sur demande',
} as const;

function toCostOptions(offer: Offer): Doc[] {
  const details = frenchText(offer.costDescription);
  return [
    compact({
      id: stableUuid('cost', offer.id),
      service_id: offer.id,
      option: COST_OPTION_LABELS[offer.costKind],
      ...(offer.costKind === 'FREE' ? { amount: 0, currency: 'EUR' } : {}),
      amount_description: offer.costKind === 'FREE' ? undefined : details,
    }),
  ];
}

function toContacts(offer: Offer): Doc[] {
  const email = asEmail(offer.contactEmail);
  if (!offer.contactName && !email && !offer.contactPhone) return [];
  const id = stableUuid('contact', offer.id);
  return [
    compact({
      id,
      service_id: offer.id,
      name: offer.contactName ?? undefined,
      email,
      phones: offer.contactPhone
        ? [{ id: stableUuid('contact-phone', offer.id), contact_id: id, number: offer.contactPhone }]
        : [],
    }),
  ];
}

/** Themes as HSDS attributes, each carrying its whole taxonomy term. */
function toAttributes(offer: OfferRow, index: ThemeIndex): Doc[] {
  return [...offer.themes]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((theme) => ({
      id: stableUuid('attribute', offer.id, theme.id),
      link_id: offer.id,
      link_type: 'theme',
      link_entity: 'service',
      taxonomy_term_id: theme.id,
      taxonomy_term: toTaxonomyTerm(theme, index),
    }));
}

/** When anything a service document shows last changed. */
export function lastModified(offer: OfferRow): Date {
  return latest([
    offer.updatedAt,
    offer.organisation.updatedAt,
    ...offer.sites.map((s) => s.updatedAt),
    ...offer.themes.map((t) => t.updatedAt),
  ]);
}

/** A service's one-to-one fields, and Maillage's own (the list shape). */
export function toServiceSummary(offer: OfferRow): Doc {
  return compact({
    id: offer.id,
    organization_id: offer.organisationId,
    name: frenchText(offer.title) ?? '',
    description: frenchText(offer.description),
    url: asUri(offer.website),
    email: asEmail(offer.contactEmail),
    // Only published offers are served, and a published offer is running.
    status: 'active',
    fees_description: frenchText(offer.costDescription),
    eligibility_description: frenchText(offer.eligibility),
    minimum_age: offer.minAge ?? undefined,
    maximum_age: offer.maxAge ?? undefined,
    last_modified: iso(lastModified(offer)),
    organization: toOrganizationSummary(offer.organisation),
    x_translations: translationsOf({
      name: offer.title,
      description: offer.description,
      eligibility_description: offer.eligibility,
      fees_description: offer.costDescription,
      x_referral_requirements: offer.referralRequirements,
    }),
    x_capacity: {
      places: offer.capacityPlaces,
      free_places: offer.capacityFree,
      waitlist: offer.waitlist,
      updated_at: offer.capacityUpdatedAt ? iso(offer.capacityUpdatedAt) : null,
    },
    x_accepts_referrals: offer.acceptsReferrals,
    x_referral_requirements: frenchText(offer.referralRequirements),
    x_audiences: offer.audiences,
    x_cost_kind: offer.costKind,
  });
}

/** A fully nested service. `withOrganization: false` inside an organization document. */
export function toService(
  offer: OfferRow,
  index: ThemeIndex,
  opts: { withOrganization?: boolean } = {},
): Doc {
  const summary = toServiceSummary(offer);
  if (opts.withOrganization === false) delete summary.organization;
  const phone = offer.contactPhone;
  return {
    ...summary,
    phones: phone ? [{ id: stableUuid('phone', offer.id), service_id: offer.id, number: phone }] : [],
    schedules: toSchedules(offer),
    service_areas: offer.serviceArea.map((commune) => ({
      id: stableUuid('service-area', offer.id, commune),
      service_id: offer.id,
      name: commune,
    })),
    service_at_locations: [...offer.sites]
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
      .map((site) => ({
        id: stableUuid('service-at-location', offer.id, site.id),
        service_id: offer.id,
        location_id: site.id,
        location: toLocation(site),
      })),
    languages: offer.languages.map((code) =>
      compact({
        id: stableUuid('language', offer.id, code),
        service_id: offer.id,
        name: languageName(code),
        code,
      }),
    ),
    cost_options: toCostOptions(offer),
    contacts: toContacts(offer),
    attributes: toAttributes(offer, index),
  };
}
