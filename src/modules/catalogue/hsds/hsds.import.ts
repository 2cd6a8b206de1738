/**
 * Loading HSDS 3.0 documents into one organisation's catalogue (the target): a service, an
 * organization with its services and locations, a list of either, or an API Page (`contents`).
 *
 * - Each object is validated against the official compiled schema of its kind before mapping;
 *   an invalid service, or one whose data does not fit the catalogue, is rejected with the reason
 *   and the others still import. Each service is one transaction (its sites, its offer, their
 *   change-log entries): a rejected service writes nothing.
 * - Idempotent by HSDS id (Offer.hsdsId, Site.hsdsId, unique per organisation): a second import
 *   updates in place, bumps `version` and logs a change only when a mapped field differs.
 * - A property absent from the document leaves its field as it is, so that a list item (which
 *   HSDS lets omit child arrays) does not wipe schedules or sites; a property present, even null
 *   or empty, sets it. Text goes into the import language (French by default) next to the other
 *   translations; `x_translations`, as Maillage itself serves it, replaces them whole.
 * - Themes are matched by taxonomy term id or code and never created; unknown terms, places
 *   outside Luxembourg's communes and other things left out are reported as warnings.
 * - status "active" publishes the offer (with publishedAt) if it meets the publishing rules
 *   (a title, a theme, a site or service area: see offer.service.ts); anything else is a draft.
 *   An offer that the organisation paused or withdrew keeps that status.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Prisma, type PrismaClient, type Site } from '../../../generated/prisma/client.ts';
import type { CostKind, OfferStatus } from '../../../generated/prisma/enums.ts';
import { canonicalCommune } from '../communes.ts';
import { scheduleEntry, type ScheduleEntry } from '../schedule.ts';
import { asTranslations, isLanguage, type Language, type Translations } from '../translations.ts';
import { COST_OPTION_LABELS } from './hsds.mapping.ts';

// ajv and ajv-formats are CommonJS: the default import is module.exports, which is the class
// (or plugin) itself and also carries it as `.default`, the one TypeScript knows about.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** One row the import created, updated or found unchanged. */
export interface ImportEntry {
  type: 'Offer' | 'Site';
  hsdsId: string;
  id: string;
}

export interface ImportRejection {
  hsdsId?: string;
  /** Where in the document: `$`, `$[2]`, `$.contents[0]`, `$.services[1]`… */
  path: string;
  reason: string;
}

/** Something left out of an imported object, which still imported. */
export interface ImportWarning {
  hsdsId?: string;
  path: string;
  message: string;
}

export interface ImportReport {
  created: ImportEntry[];
  updated: ImportEntry[];
  unchanged: ImportEntry[];
  rejected: ImportRejection[];
  warnings: ImportWarning[];
}

export interface ImportOptions {
  /** Recorded as the author of every change-log entry. */
  actorUserId?: string;
  /** Language of the document's plain text fields (default French). */
  language?: Language;
  /** Do everything, report it, then roll each transaction back. */
  dryRun?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Validation against the official schemas
// ---------------------------------------------------------------------------------------------

/**
 * The compiled (fully dereferenced) official HSDS 3.0 schemas, vendored in ./schema;
 * HSDS_SCHEMA_DIR names another folder.
 */
function schemaDir(): string {
  return process.env.HSDS_SCHEMA_DIR ?? fileURLToPath(new URL('./schema/', import.meta.url));
}

interface Validators {
  service: ValidateFunction;
  organization: ValidateFunction;
  location: ValidateFunction;
  serviceAtLocation: ValidateFunction;
}
let validators: Validators | undefined;

/**
 * Compiled once per process: each schema is megabytes and takes about a second. A location and
 * a service_at_location have no compiled file of their own; being fully dereferenced, the
 * organization's and the service's schemas hold theirs whole.
 */
function hsdsValidators(): Validators {
  if (!validators) {
    // strict: false, because the HSDS schemas carry their own keywords (constraints, core…).
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const read = (name: string) =>
      JSON.parse(readFileSync(`${schemaDir()}/${name}.json`, 'utf8')) as {
        properties: Record<string, { items: object }>;
      };
    const service = read('service');
    const organization = read('organization');
    validators = {
      service: ajv.compile(service),
      organization: ajv.compile(organization),
      location: ajv.compile(organization.properties.locations!.items),
      serviceAtLocation: ajv.compile(service.properties.service_at_locations!.items),
    };
  }
  return validators;
}

/** "name is required; minimum_age must be number", readable in a report. */
function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const list = errors ?? [];
  const text = list.slice(0, 5).map((e) => {
    const where = e.instancePath
      .slice(1)
      .replace(/\/(\d+)/g, '[$1]')
      .replace(/\//g, '.');
    if (e.keyword === 'required') {
      return `${where ? `${where}.` : ''}${(e.params as { missingProperty: string }).missingProperty} is required`;
    }
    return `${where || 'the document'} ${e.message ?? 'is invalid'}`;
  });
  return `not valid HSDS 3.0: ${text.join('; ')}${list.length > 5 ? ` (and ${list.length - 5} more)` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Walking the document
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const idOf = (doc: Json): string | undefined => (typeof doc.id === 'string' ? doc.id : undefined);

/** Why a service cannot be imported; the whole service is rejected. */
class Rejected extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(reason);
  }
}

const words = (list: string) => list.trim().split(/\s+/);
const SERVICE_KEYS = words(`
  status organization_id program_id service_at_locations schedules service_areas
  eligibility_description minimum_age maximum_age fees_description fees cost_options languages url
  application_process interpretation_services required_documents program organization
`);
const ORGANIZATION_KEYS = words(`
  services website locations legal_status year_incorporated organization_identifiers tax_status
  tax_id logo uri parent_organization_id programs
`);
const TAXONOMY_KEYS = words(`
  code parent_id taxonomy taxonomy_detail taxonomy_id term_uri version
`);

type Kind = 'service' | 'organization' | 'location' | 'service_at_location' | 'taxonomy';

/** Which HSDS object this is, from the properties only one kind has (a bare one: a service). */
function kindOf(doc: Json): Kind {
  if (isObject(doc.service) || (('location' in doc || 'location_id' in doc) && !('name' in doc))) {
    return 'service_at_location';
  }
  if ('location_type' in doc || 'addresses' in doc) return 'location';
  const score = (keys: string[]) => keys.filter((k) => k in doc).length;
  const service = score(SERVICE_KEYS);
  const organization = score(ORGANIZATION_KEYS);
  if (service === 0 && organization === 0 && score(TAXONOMY_KEYS) > 0) return 'taxonomy';
  return organization > service ? 'organization' : 'service';
}

interface Found {
  services: { doc: Json; path: string }[];
  locations: { doc: Json; path: string }[];
  rejected: ImportRejection[];
  warnings: ImportWarning[];
}

/**
 * Collects the services and the locations of their own (an organization's, a bare location) to
 * import, validating each object against its schema.
 */
function collect(document: unknown): Found {
  const found: Found = { services: [], locations: [], rejected: [], warnings: [] };
  const valid = hsdsValidators();
  const check = (validate: ValidateFunction, doc: Json, path: string, hsdsId = idOf(doc)) => {
    if (validate(doc)) return true;
    found.rejected.push({ ...(hsdsId ? { hsdsId } : {}), path, reason: describeErrors(validate.errors) });
    return false;
  };

  const visit = (item: unknown, path: string) => {
    if (!isObject(item)) {
      found.rejected.push({ path, reason: 'not an HSDS object (expected a service or an organization)' });
      return;
    }
    switch (kindOf(item)) {
      case 'taxonomy':
        found.warnings.push({
          path,
          message: 'a taxonomy or taxonomy term: themes are managed by the hub, skipped',
        });
        return;
      case 'service':
        if (check(valid.service, item, path)) found.services.push({ doc: item, path });
        return;
      case 'location':
        if (check(valid.location, item, path)) found.locations.push({ doc: item, path });
        return;
      case 'service_at_location': {
        // The service, delivered at this location: imported as the service with it attached.
        const { service, ...sal } = item;
        if (!check(valid.serviceAtLocation, sal, path)) return;
        if (isObject(service)) {
          const others = objects(service.service_at_locations);
          visit({ ...service, service_at_locations: [...others, sal] }, `${path}.service`);
        } else if (isObject(sal.location)) {
          found.locations.push({ doc: sal.location, path: `${path}.location` });
        } else {
          found.warnings.push({
            path,
            message: 'service_at_location without its service or location: skipped',
          });
        }
        return;
      }
      case 'organization': {
        // The organization is validated without its services, which are validated (and
        // rejected) one by one, so that one bad service does not stop the others.
        const { services, ...shell } = item;
        if (check(valid.organization, shell, path)) {
          objects(shell.locations).forEach((doc, i) =>
            found.locations.push({ doc, path: `${path}.locations[${i}]` }),
          );
        }
        if (services !== undefined && !Array.isArray(services)) {
          found.rejected.push({ path: `${path}.services`, reason: 'services must be an array' });
        }
        (Array.isArray(services) ? services : []).forEach((s, i) => visit(s, `${path}.services[${i}]`));
      }
    }
  };

  if (Array.isArray(document)) document.forEach((item, i) => visit(item, `$[${i}]`));
  else if (isObject(document) && Array.isArray(document.contents)) {
    document.contents.forEach((item, i) => visit(item, `$.contents[${i}]`));
  } else visit(document, '$');
  return found;
}

// ---------------------------------------------------------------------------------------------
// HSDS → catalogue fields
// ---------------------------------------------------------------------------------------------

interface ThemeRef {
  id: string;
  code: string;
}

interface MapContext {
  language: Language;
  themesById: Map<string, ThemeRef>;
  themesByCode: Map<string, ThemeRef>;
  warnings: ImportWarning[];
}

function warn(ctx: MapContext, path: string, message: string, hsdsId?: string): void {
  ctx.warnings.push({ ...(hsdsId ? { hsdsId } : {}), path, message });
}

/**
 * How a translated field changes: replaced whole (x_translations), one language set or removed,
 * or left alone (undefined).
 */
type TextChange = { all: Translations } | { language: Language; text: string | undefined } | undefined;

function textChange(doc: Json, field: string, ctx: MapContext, xName = field): TextChange {
  const x = isObject(doc.x_translations) ? asTranslations(doc.x_translations[xName]) : {};
  if (Object.keys(x).length > 0) return { all: x };
  if (!(field in doc)) return undefined;
  return { language: ctx.language, text: text(doc[field]) };
}

function applyText(current: unknown, change: TextChange): Translations | null {
  let next: Translations;
  if (change === undefined) next = asTranslations(current);
  else if ('all' in change) next = change.all;
  else {
    next = { ...asTranslations(current) };
    if (change.text === undefined) delete next[change.language];
    else next[change.language] = change.text;
  }
  return Object.keys(next).length > 0 ? next : null;
}

type OpeningHour = { weekday: number; opens: string; closes: string };

/** Site columns from an HSDS location; undefined = left as it is. */
interface SiteValues {
  name: string;
  street: string | null;
  postcode: string | null;
  commune: string;
  quarter: string | null;
  country: string;
  latitude: number | null;
  longitude: number | null;
  wheelchairAccessible?: boolean | null;
  accessibility?: TextChange;
  openingHours?: OpeningHour[];
}

interface MappedLocation {
  hsdsId: string;
  values: SiteValues;
}

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
type Weekday = (typeof WEEKDAYS)[number];
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/;

/** HH:MM from an HSDS time ("10:00:00", "10:00Z"); the offset is dropped (times are local). */
function hhmm(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const m = typeof value === 'string' ? TIME.exec(value.trim()) : null;
  if (!m) throw new Rejected(path, `${path.split('.').pop()} ${JSON.stringify(value)} is not a time (HH:MM)`);
  return `${m[1]}:${m[2]}`;
}

function isoDate(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const m = typeof value === 'string' ? DATE.exec(value.trim()) : null;
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const valid = m && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (!valid)
    throw new Rejected(path, `${path.split('.').pop()} ${JSON.stringify(value)} is not a date (YYYY-MM-DD)`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Weekday codes of `byday`, or null when it uses what the catalogue cannot hold ("1MO"). */
function weekdays(value: unknown, path: string): Weekday[] | null {
  const parts = (typeof value === 'string' ? value : '')
    .split(',')
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean);
  if (parts.some((p) => /^[+-]?\d{1,2}(MO|TU|WE|TH|FR|SA|SU)$/.test(p))) return null;
  for (const p of parts) {
    if (!(WEEKDAYS as readonly string[]).includes(p))
      throw new Rejected(path, `byday "${p}" is not a weekday`);
  }
  return [...new Set(parts as Weekday[])].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
}

/**
 * An HSDS schedule as a catalogue schedule entry (catalogue/schedule.ts), or null when it holds
 * nothing the catalogue can (no times, ordinal weekdays): then it is skipped with a warning.
 * Malformed values reject the service.
 */
function scheduleOf(s: Json, path: string, ctx: MapContext, hsdsId: string): ScheduleEntry | null {
  const opensAt = hhmm(s.opens_at, `${path}.opens_at`);
  const closesAt = hhmm(s.closes_at, `${path}.closes_at`);
  const byday = weekdays(s.byday, `${path}.byday`);
  const validFrom = isoDate(s.valid_from, `${path}.valid_from`);
  const validTo = isoDate(s.valid_to, `${path}.valid_to`);
  if (!opensAt || !closesAt || !byday || byday.length === 0) {
    warn(
      ctx,
      path,
      'schedule without weekdays and opening times (or with ordinal weekdays): skipped',
      hsdsId,
    );
    return null;
  }
  const description = applyText({}, textChange(s, 'description', ctx));
  const entry = {
    freq: typeof s.freq === 'string' ? s.freq : 'WEEKLY',
    byday,
    opensAt,
    closesAt,
    ...(validFrom ? { validFrom } : {}),
    ...(validTo ? { validTo } : {}),
    ...(description
      ? { description: Object.entries(description).map(([language, t]) => ({ language, text: t })) }
      : {}),
  };
  const parsed = scheduleEntry.safeParse(entry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Rejected(
      path,
      `schedule ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`.trim(),
    );
  }
  return parsed.data;
}

/** Weekly schedules of a location as the site's opening hours. */
function openingHoursOf(schedules: Json[], path: string, ctx: MapContext, hsdsId: string): OpeningHour[] {
  const hours: OpeningHour[] = [];
  schedules.forEach((s, i) => {
    const entry = scheduleOf(s, `${path}.schedules[${i}]`, ctx, hsdsId);
    if (!entry) return;
    if (entry.freq !== 'WEEKLY') {
      warn(ctx, `${path}.schedules[${i}]`, 'only weekly opening hours are kept for a site: skipped', hsdsId);
      return;
    }
    for (const day of entry.byday) {
      hours.push({ weekday: WEEKDAYS.indexOf(day) + 1, opens: entry.opensAt, closes: entry.closesAt });
    }
  });
  return hours.sort((a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens));
}

/**
 * An HSDS location as a site, or null when it cannot be one (virtual, or not in one of
 * Luxembourg's communes: sites and their filters only know those).
 */
function mapLocation(loc: Json, path: string, ctx: MapContext): MappedLocation | null {
  const hsdsId = idOf(loc)!;
  if (loc.location_type === 'virtual') {
    warn(ctx, path, 'virtual location: not a site, skipped', hsdsId);
    return null;
  }
  const addresses = objects(loc.addresses);
  const address = addresses.find((a) => a.address_type === 'physical') ?? addresses[0] ?? {};
  const city = text(address.city);
  const region = text(address.region);
  const candidates = [city, region, text(address.state_province)].filter((c): c is string => !!c);
  const commune = candidates.map((c) => canonicalCommune(c)).find((c): c is string => !!c);
  if (!commune) {
    warn(
      ctx,
      path,
      `"${candidates.join(', ') || 'no address'}" is not a commune of Luxembourg: site skipped`,
      hsdsId,
    );
    return null;
  }
  // A locality that is not the commune itself ("Bonnevoie", "Belval") is kept as the quarter.
  const quarter = [city, region].find((c) => c && canonicalCommune(c) !== commune) ?? null;
  const street = [text(address.address_1), text(address.address_2)].filter(Boolean).join(', ') || null;
  let latitude = typeof loc.latitude === 'number' ? loc.latitude : null;
  let longitude = typeof loc.longitude === 'number' ? loc.longitude : null;
  if (latitude !== null || longitude !== null) {
    const ok =
      latitude !== null && longitude !== null && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
    if (!ok) {
      warn(
        ctx,
        path,
        `coordinates ${String(latitude)}, ${String(longitude)} are not valid WGS84: left out`,
        hsdsId,
      );
      latitude = longitude = null;
    }
  }
  const country =
    typeof address.country === 'string' && /^[a-z]{2}$/i.test(address.country) ? address.country : 'LU';
  const values: SiteValues = {
    name: text(loc.name) ?? street ?? commune,
    street,
    postcode: text(address.postal_code) ?? null,
    commune,
    quarter,
    country: country.toUpperCase(),
    latitude,
    longitude,
  };
  if (typeof loc.x_wheelchair_accessible === 'boolean')
    values.wheelchairAccessible = loc.x_wheelchair_accessible;
  if (isObject(loc.x_translations) || 'x_wheelchair_accessible' in loc) {
    // Served by Maillage: its accessibility entries repeat x_translations and the wheelchair flag.
    const x = isObject(loc.x_translations) ? loc.x_translations.accessibility : undefined;
    values.accessibility = { all: asTranslations(x) };
  } else if ('accessibility' in loc) {
    const notes = objects(loc.accessibility)
      .flatMap((a) => [text(a.description), text(a.details)])
      .filter(Boolean)
      .join('\n');
    values.accessibility = { language: ctx.language, text: notes || undefined };
  }
  if ('schedules' in loc) values.openingHours = openingHoursOf(objects(loc.schedules), path, ctx, hsdsId);
  return { hsdsId, values };
}

/** Offer columns from an HSDS service; undefined = left as it is. */
interface MappedService {
  hsdsId: string;
  path: string;
  active: boolean;
  title: TextChange;
  description: TextChange;
  eligibility: TextChange;
  costDescription: TextChange;
  minAge?: number | null;
  maxAge?: number | null;
  languages?: string[];
  costKind?: CostKind;
  serviceArea?: string[];
  schedule?: ScheduleEntry[];
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  website?: string | null;
  themeIds?: string[];
  /** Sites of the offer: locations to upsert, and ids of sites the document only refers to. */
  sites?: { locations: MappedLocation[]; refs: string[] };
}

function age(doc: Json, field: string, path: string): number | null | undefined {
  if (!(field in doc)) return undefined;
  const v = doc[field];
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 150) {
    throw new Rejected(`${path}.${field}`, `${field} must be a whole number of years from 0 to 150`);
  }
  return v;
}

const COST_KINDS: CostKind[] = ['FREE', 'PAID', 'INCOME_BASED', 'ON_REQUEST'];

/** The cost kind: Maillage's own `x_cost_kind`, else read from the amounts or the labels. */
function costKindOf(doc: Json): CostKind | undefined {
  if (typeof doc.x_cost_kind === 'string' && (COST_KINDS as string[]).includes(doc.x_cost_kind)) {
    return doc.x_cost_kind as CostKind;
  }
  if (!('cost_options' in doc)) return undefined;
  const options = objects(doc.cost_options);
  if (options.length === 0) return 'FREE';
  const amounts = options.map((o) => o.amount).filter((a): a is number => typeof a === 'number');
  if (amounts.some((a) => a > 0)) return 'PAID';
  if (amounts.length > 0) return 'FREE';
  const labels = Object.entries(COST_OPTION_LABELS) as [CostKind, string][];
  const byLabel = labels.find(([, label]) =>
    options.some((o) => text(o.option)?.toLowerCase() === label.toLowerCase()),
  );
  return byLabel?.[0] ?? 'ON_REQUEST';
}

/** Fees in words: `fees_description`, else a sentence per cost option. */
function feesChange(doc: Json, ctx: MapContext): TextChange {
  const direct = textChange(doc, 'fees_description', ctx);
  if (direct !== undefined || !('cost_options' in doc)) return direct;
  const lines = objects(doc.cost_options)
    .map((o) => {
      const amount =
        typeof o.amount === 'number' ? `${o.amount} ${text(o.currency)?.toUpperCase() ?? ''}`.trim() : '';
      return [text(o.option), amount, text(o.amount_description)].filter(Boolean).join(' — ');
    })
    .filter(Boolean);
  return lines.length > 0 ? { language: ctx.language, text: lines.join('\n') } : undefined;
}

function mapService(doc: Json, path: string, ctx: MapContext): MappedService {
  const hsdsId = idOf(doc)!;
  const title = textChange(doc, 'name', ctx);
  if (applyText({}, title) === null) throw new Rejected(`${path}.name`, 'the service has no name');
  const out: MappedService = {
    hsdsId,
    path,
    active: doc.status === 'active',
    title,
    description: textChange(doc, 'description', ctx),
    eligibility: textChange(doc, 'eligibility_description', ctx),
    costDescription: feesChange(doc, ctx),
    minAge: age(doc, 'minimum_age', path),
    maxAge: age(doc, 'maximum_age', path),
    costKind: costKindOf(doc),
  };
  if (out.minAge != null && out.maxAge != null && out.minAge > out.maxAge) {
    throw new Rejected(`${path}.maximum_age`, 'maximum_age is below minimum_age');
  }

  if ('languages' in doc) {
    const codes: string[] = [];
    objects(doc.languages).forEach((l, i) => {
      const code = text(l.code)?.toLowerCase();
      if (code && /^[a-z]{2,3}$/.test(code)) codes.push(code);
      else
        warn(
          ctx,
          `${path}.languages[${i}]`,
          `language without an ISO 639 code (${String(l.name ?? l.code)}): skipped`,
          hsdsId,
        );
    });
    out.languages = [...new Set(codes)].sort();
  }

  if ('service_areas' in doc) {
    const communes: string[] = [];
    objects(doc.service_areas).forEach((a, i) => {
      const commune = canonicalCommune(text(a.name) ?? '');
      if (commune) communes.push(commune);
      else
        warn(
          ctx,
          `${path}.service_areas[${i}]`,
          `${JSON.stringify(a.name ?? '')} is not a commune of Luxembourg: skipped`,
          hsdsId,
        );
    });
    out.serviceArea = [...new Set(communes)].sort();
  }

  const sals = objects(doc.service_at_locations);
  const salSchedules = sals.flatMap((sal, i) =>
    objects(sal.schedules).map((s, j) => ({ s, at: `${path}.service_at_locations[${i}].schedules[${j}]` })),
  );
  if ('schedules' in doc || salSchedules.length > 0) {
    const all = [
      ...objects(doc.schedules).map((s, i) => ({ s, at: `${path}.schedules[${i}]` })),
      ...salSchedules,
    ];
    out.schedule = all
      .map(({ s, at }) => scheduleOf(s, at, ctx, hsdsId))
      .filter((e): e is ScheduleEntry => !!e);
    if (out.schedule.length > 50) throw new Rejected(`${path}.schedules`, 'more than 50 schedule entries');
  }

  // Contacts: the service's own email and phone first, else its first contact's.
  const contact = objects(doc.contacts)[0];
  const firstPhone = (v: unknown) => text(objects(v)[0]?.number);
  if ('contacts' in doc) out.contactName = text(contact?.name) ?? null;
  if ('email' in doc || 'contacts' in doc) out.contactEmail = text(doc.email) ?? text(contact?.email) ?? null;
  if ('phones' in doc || 'contacts' in doc) {
    out.contactPhone = firstPhone(doc.phones) ?? firstPhone(contact?.phones) ?? null;
  }
  if ('url' in doc) out.website = text(doc.url) ?? null;

  if ('attributes' in doc) {
    const ids = new Set<string>();
    objects(doc.attributes).forEach((a, i) => {
      const term = isObject(a.taxonomy_term) ? a.taxonomy_term : undefined;
      const termId = text(a.taxonomy_term_id) ?? text(term?.id);
      const code = text(term?.code);
      if (!termId && !code) return; // an attribute that is not a taxonomy term
      const theme = (termId && ctx.themesById.get(termId)) || (code && ctx.themesByCode.get(code));
      if (theme) ids.add(theme.id);
      else {
        warn(
          ctx,
          `${path}.attributes[${i}]`,
          `unknown taxonomy term ${code ? `code "${code}"` : termId}: not linked (terms are not created)`,
          hsdsId,
        );
      }
    });
    out.themeIds = [...ids];
  }

  if ('service_at_locations' in doc) {
    const sites: { locations: MappedLocation[]; refs: string[] } = { locations: [], refs: [] };
    sals.forEach((sal, i) => {
      const at = `${path}.service_at_locations[${i}]`;
      if (isObject(sal.location)) {
        const mapped = mapLocation(sal.location, `${at}.location`, ctx);
        if (mapped) sites.locations.push(mapped);
      } else if (text(sal.location_id)) sites.refs.push(text(sal.location_id)!);
      else warn(ctx, at, 'service_at_location without a location: skipped', hsdsId);
    });
    out.sites = sites;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

type Status = 'created' | 'updated' | 'unchanged';
interface Outcome extends ImportEntry {
  status: Status;
}

/** Rolls a dry run's transaction back, carrying what it would have done. */
class DryRun extends Error {
  constructor(readonly outcomes: Outcome[]) {
    super('dry run');
  }
}

/** JSON with sorted keys: PostgreSQL's jsonb does not keep key order, so compare this way. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Empty objects and arrays read as null: the catalogue stores a cleared field either way. */
function normal(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (isObject(value) && Object.keys(value).length === 0) return null;
  return value;
}

function diff(before: Json, after: Json): string[] {
  return Object.keys(after)
    .filter((k) => stable(normal(before[k])) !== stable(normal(after[k])))
    .sort();
}

const pick = (snapshot: Json, fields: string[]): Prisma.InputJsonObject =>
  Object.fromEntries(fields.map((f) => [f, (snapshot[f] ?? null) as Prisma.InputJsonValue | null]));

const json = (v: unknown) => (normal(v) === null ? Prisma.DbNull : (v as Prisma.InputJsonValue));

interface Writer {
  tx: Prisma.TransactionClient;
  organisationId: string;
  actorUserId?: string;
}

async function logChange(
  w: Writer,
  entityType: 'Offer' | 'Site',
  entityId: string,
  fields: string[],
  before: Json | null,
  after: Json,
): Promise<void> {
  await w.tx.catalogueChange.create({
    data: {
      organisationId: w.organisationId,
      entityType,
      entityId,
      offerId: entityType === 'Offer' ? entityId : null,
      action: 'IMPORT',
      fields,
      before: before === null ? Prisma.DbNull : pick(before, fields),
      after: pick(after, fields),
      actorUserId: w.actorUserId ?? null,
    },
  });
}

const SITE_FIELDS = [
  'name',
  'street',
  'postcode',
  'commune',
  'quarter',
  'country',
  'latitude',
  'longitude',
  'wheelchairAccessible',
  'accessibility',
  'openingHours',
] as const;

function siteSnapshot(site: Site): Json {
  return Object.fromEntries(SITE_FIELDS.map((f) => [f, normal(site[f])]));
}

/** Creates or updates a site by HSDS id; the change log gets the fields that changed. */
async function upsertSite(w: Writer, loc: MappedLocation): Promise<Outcome> {
  const existing = await w.tx.site.findUnique({
    where: { organisationId_hsdsId: { organisationId: w.organisationId, hsdsId: loc.hsdsId } },
  });
  const { accessibility, openingHours, wheelchairAccessible, ...plain } = loc.values;
  const before = existing ? siteSnapshot(existing) : null;
  const after: Json = {
    ...(before ?? { wheelchairAccessible: null, accessibility: null, openingHours: null }),
    ...plain,
    ...(wheelchairAccessible !== undefined ? { wheelchairAccessible } : {}),
    accessibility: applyText(existing?.accessibility, accessibility),
    ...(openingHours !== undefined ? { openingHours: normal(openingHours) } : {}),
  };
  const data = {
    ...plain,
    wheelchairAccessible: after.wheelchairAccessible as boolean | null,
    accessibility: json(after.accessibility),
    openingHours: json(after.openingHours),
  };
  const entry = { type: 'Site' as const, hsdsId: loc.hsdsId };
  if (!existing) {
    const site = await w.tx.site.create({
      data: { ...data, organisationId: w.organisationId, hsdsId: loc.hsdsId },
    });
    const fields = Object.keys(after).filter((k) => normal(after[k]) !== null);
    await logChange(w, 'Site', site.id, fields, null, after);
    return { ...entry, id: site.id, status: 'created' };
  }
  const fields = diff(before!, after);
  if (fields.length === 0) return { ...entry, id: existing.id, status: 'unchanged' };
  await w.tx.site.update({ where: { id: existing.id }, data: { ...data, version: { increment: 1 } } });
  await logChange(w, 'Site', existing.id, fields, before, after);
  return { ...entry, id: existing.id, status: 'updated' };
}

const offerInclude = {
  themes: { select: { id: true, code: true } },
  sites: { select: { id: true } },
} as const;
type ExistingOffer = Prisma.OfferGetPayload<{ include: typeof offerInclude }>;

/** The mapped fields of an offer, as compared and logged. */
function offerSnapshot(o: ExistingOffer): Json {
  return {
    title: normal(o.title),
    description: normal(o.description),
    status: o.status,
    minAge: o.minAge,
    maxAge: o.maxAge,
    eligibility: normal(o.eligibility),
    languages: [...o.languages].sort(),
    costKind: o.costKind,
    costDescription: normal(o.costDescription),
    serviceArea: [...o.serviceArea].sort(),
    schedule: normal(o.schedule),
    contactName: o.contactName,
    contactEmail: o.contactEmail,
    contactPhone: o.contactPhone,
    website: o.website,
    themes: o.themes.map((t) => t.code).sort(),
    siteIds: o.sites.map((s) => s.id).sort(),
  };
}

/** The publishing rules of offer.service.ts's publishProblems, on the imported values. */
function publishProblems(after: Json): string[] {
  const problems: string[] = [];
  if (normal(after.title) === null) problems.push('a title');
  if ((after.themes as string[]).length === 0) problems.push('a known theme');
  if ((after.siteIds as string[]).length === 0 && (after.serviceArea as string[]).length === 0) {
    problems.push('a site or a service area in Luxembourg');
  }
  return problems;
}

/** One service: its sites, then its offer, in the caller's transaction. */
async function writeService(w: Writer, svc: MappedService, ctx: MapContext): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let siteIds: string[] | undefined;
  if (svc.sites) {
    siteIds = [];
    for (const loc of svc.sites.locations) {
      const outcome = await upsertSite(w, loc);
      outcomes.push(outcome);
      siteIds.push(outcome.id);
    }
    for (const ref of svc.sites.refs) {
      const site = await w.tx.site.findUnique({
        where: { organisationId_hsdsId: { organisationId: w.organisationId, hsdsId: ref } },
        select: { id: true },
      });
      if (site) siteIds.push(site.id);
      else
        warn(
          ctx,
          svc.path,
          `location ${ref} is neither in the document nor already imported: not linked`,
          svc.hsdsId,
        );
    }
    siteIds = [...new Set(siteIds)];
  }

  const key = { organisationId_hsdsId: { organisationId: w.organisationId, hsdsId: svc.hsdsId } };
  const existing = await w.tx.offer.findUnique({ where: key, include: offerInclude });
  if (existing) await w.tx.$queryRaw`SELECT id FROM "Offer" WHERE id = ${existing.id}::uuid FOR UPDATE`;
  const before = existing ? offerSnapshot(existing) : null;
  const themeCodes = svc.themeIds?.map((id) => ctx.themesById.get(id)!.code).sort();
  const keep = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
  const after: Json = {
    title: applyText(existing?.title, svc.title),
    description: applyText(existing?.description, svc.description),
    status: existing?.status ?? 'DRAFT',
    minAge: keep(svc.minAge, existing?.minAge ?? null),
    maxAge: keep(svc.maxAge, existing?.maxAge ?? null),
    eligibility: applyText(existing?.eligibility, svc.eligibility),
    languages: keep(svc.languages, before?.languages ?? []),
    costKind: keep(svc.costKind, existing?.costKind ?? 'FREE'),
    costDescription: applyText(existing?.costDescription, svc.costDescription),
    serviceArea: keep(svc.serviceArea, before?.serviceArea ?? []),
    schedule: normal(keep<unknown>(svc.schedule, before?.schedule ?? null)),
    contactName: keep(svc.contactName, existing?.contactName ?? null),
    contactEmail: keep(svc.contactEmail, existing?.contactEmail ?? null),
    contactPhone: keep(svc.contactPhone, existing?.contactPhone ?? null),
    website: keep(svc.website, existing?.website ?? null),
    themes: keep(themeCodes, before?.themes ?? []),
    siteIds: keep(siteIds?.sort(), before?.siteIds ?? []),
  };
  const minAge = after.minAge as number | null;
  const maxAge = after.maxAge as number | null;
  if (minAge !== null && maxAge !== null && minAge > maxAge) {
    throw new Rejected(`${svc.path}.maximum_age`, 'maximum_age would be below the offer’s minimum age');
  }

  // Status: the document says whether it runs; the organisation's pause or withdrawal stands.
  const current = existing?.status;
  if (current !== 'PAUSED' && current !== 'WITHDRAWN') {
    const problems = svc.active ? publishProblems(after) : [];
    if (problems.length > 0) {
      warn(
        ctx,
        svc.path,
        `active, but imported as a draft: publishing needs ${problems.join(', ')}`,
        svc.hsdsId,
      );
    }
    after.status = (svc.active && problems.length === 0 ? 'PUBLISHED' : 'DRAFT') satisfies OfferStatus;
  }
  const publishing = after.status === 'PUBLISHED' && current !== 'PUBLISHED';
  if (publishing) after.publishedAt = new Date().toISOString();

  const themeIds = (after.themes as string[]).map((code) => ({ id: ctx.themesByCode.get(code)!.id }));
  const sites = (after.siteIds as string[]).map((id) => ({ id }));
  const data = {
    title: after.title as Prisma.InputJsonValue,
    description: json(after.description),
    status: after.status as OfferStatus,
    minAge,
    maxAge,
    eligibility: json(after.eligibility),
    languages: after.languages as string[],
    costKind: after.costKind as CostKind,
    costDescription: json(after.costDescription),
    serviceArea: after.serviceArea as string[],
    schedule: json(after.schedule),
    contactName: after.contactName as string | null,
    contactEmail: after.contactEmail as string | null,
    contactPhone: after.contactPhone as string | null,
    website: after.website as string | null,
    ...(publishing ? { publishedAt: new Date(after.publishedAt as string) } : {}),
  };
  const entry = { type: 'Offer' as const, hsdsId: svc.hsdsId };
  if (!existing) {
    const offer = await w.tx.offer.create({
      data: {
        ...data,
        organisationId: w.organisationId,
        hsdsId: svc.hsdsId,
        themes: { connect: themeIds },
        sites: { connect: sites },
      },
    });
    const fields = Object.keys(after).filter((k) => normal(after[k]) !== null);
    await logChange(w, 'Offer', offer.id, fields, null, after);
    return [...outcomes, { ...entry, id: offer.id, status: 'created' }];
  }
  const fields = diff(before!, after);
  if (fields.length === 0) return [...outcomes, { ...entry, id: existing.id, status: 'unchanged' }];
  await w.tx.offer.update({
    where: { id: existing.id },
    data: { ...data, version: { increment: 1 }, themes: { set: themeIds }, sites: { set: sites } },
  });
  await logChange(w, 'Offer', existing.id, fields, before, after);
  return [...outcomes, { ...entry, id: existing.id, status: 'updated' }];
}

// ---------------------------------------------------------------------------------------------
// The import
// ---------------------------------------------------------------------------------------------

/** Runs `fn` in a transaction, or in one rolled back at the end for a dry run. */
async function transaction(
  prisma: PrismaClient,
  dryRun: boolean,
  fn: (tx: Prisma.TransactionClient) => Promise<Outcome[]>,
): Promise<Outcome[]> {
  try {
    return await prisma.$transaction(
      async (tx) => {
        const outcomes = await fn(tx);
        if (dryRun) throw new DryRun(outcomes);
        return outcomes;
      },
      { timeout: 30_000 },
    );
  } catch (err) {
    if (err instanceof DryRun) return err.outcomes;
    throw err;
  }
}

/**
 * Imports an HSDS 3.0 document into the organisation `organisationId`. Throws only when the
 * organisation does not exist or the database fails; everything about the document is in the
 * report.
 */
export async function importHsds(
  prisma: PrismaClient,
  organisationId: string,
  document: unknown,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const org = /^[0-9a-f-]{36}$/i.test(organisationId)
    ? await prisma.organisation.findUnique({ where: { id: organisationId }, select: { id: true } })
    : null;
  if (!org) throw new Error(`No organisation with id "${organisationId}".`);
  if (opts.language !== undefined && !isLanguage(opts.language))
    throw new Error(`Unknown language ${JSON.stringify(opts.language)}.`);

  const found = collect(document);
  const themes = await prisma.theme.findMany({ select: { id: true, code: true } });
  const report: ImportReport = {
    created: [],
    updated: [],
    unchanged: [],
    rejected: found.rejected,
    warnings: found.warnings,
  };
  const statusOf = new Map<string, Outcome>();
  const record = (outcomes: Outcome[]) => {
    // A site shared by several services is reported once, with its strongest outcome.
    const rank = { created: 2, updated: 1, unchanged: 0 };
    for (const o of outcomes) {
      const k = `${o.type}:${o.hsdsId}`;
      const seen = statusOf.get(k);
      if (!seen || rank[o.status] > rank[seen.status]) statusOf.set(k, o);
    }
  };
  const newContext = (): MapContext => ({
    language: opts.language ?? 'fr',
    themesById: new Map(themes.map((t) => [t.id, t])),
    themesByCode: new Map(themes.map((t) => [t.code, t])),
    warnings: [],
  });
  const writer = (tx: Prisma.TransactionClient): Writer => ({
    tx,
    organisationId: org.id,
    actorUserId: opts.actorUserId,
  });
  const dryRun = opts.dryRun ?? false;

  for (const { doc, path } of found.locations) {
    const ctx = newContext();
    try {
      const loc = mapLocation(doc, path, ctx);
      if (loc) record(await transaction(prisma, dryRun, async (tx) => [await upsertSite(writer(tx), loc)]));
      report.warnings.push(...ctx.warnings);
    } catch (err) {
      report.rejected.push({
        hsdsId: idOf(doc),
        path: err instanceof Rejected ? err.path : path,
        reason: reasonOf(err),
      });
    }
  }

  for (const { doc, path } of found.services) {
    const ctx = newContext();
    try {
      const svc = mapService(doc, path, ctx);
      record(await transaction(prisma, dryRun, (tx) => writeService(writer(tx), svc, ctx)));
      report.warnings.push(...ctx.warnings);
    } catch (err) {
      report.rejected.push({
        hsdsId: idOf(doc),
        path: err instanceof Rejected ? err.path : path,
        reason: reasonOf(err),
      });
    }
  }

  for (const o of statusOf.values()) report[o.status].push({ type: o.type, hsdsId: o.hsdsId, id: o.id });
  return report;
}

/** A rejection's reason; errors that are not about the document propagate. */
function reasonOf(err: unknown): string {
  if (err instanceof Rejected) return err.message;
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
    return 'another import wrote the same HSDS id at the same time: import again';
  }
  throw err;
}
