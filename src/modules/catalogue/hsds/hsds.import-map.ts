/**
 * HSDS import, step 3: HSDS objects as catalogue values (a location as a site, a service as an
 * offer), nothing written yet (see hsds.import.ts for the whole import).
 */
import type { CostKind } from '../../../generated/prisma/enums.ts';
import { canonicalCommune } from '../communes.ts';
import { scheduleEntry, type ScheduleEntry } from '../schedule.ts';
import { asTranslations, type Language, type Translations } from '../translations.ts';
import type { ImportWarning } from './hsds.import.ts';
import { idOf, isObject, objects, Rejected, text, type Json } from './hsds.import-read.ts';
import { COST_OPTION_LABELS } from './hsds.mapping.ts';

interface ThemeRef {
  id: string;
  code: string;
}

export interface MapContext {
  language: Language;
  themesById: Map<string, ThemeRef>;
  themesByCode: Map<string, ThemeRef>;
  warnings: ImportWarning[];
}

export function warn(ctx: MapContext, path: string, message: string, hsdsId?: string): void {
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

export function applyText(current: unknown, change: TextChange): Translations | null {
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

export interface MappedLocation {
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
export function mapLocation(loc: Json, path: string, ctx: MapContext): MappedLocation | null {
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
export interface MappedService {
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

export function mapService(doc: Json, path: string, ctx: MapContext): MappedService {
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
