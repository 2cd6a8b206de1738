/**
 * Matching, as a pure function: candidates (offers that share a theme with the need, fetched by
 * match.service.ts) in, ranked matches and near misses out, each with one reason per factor.
 * No database, no clock, no GraphQL: unit-tested in test/welcome/match-scoring.test.ts.
 *
 * Hard filters drop an offer (it becomes a near miss, with the filter and words): not published,
 * commune not served, age outside the offer's bounds, full without a waitlist. Soft factors add
 * their signed weight (match.weights.ts) to the score: theme, languages, audiences, distance, free
 * places, open days. The score is the sum of the reasons' weights and nothing else.
 */
import type { Audience, OfferStatus } from '../../generated/prisma/enums.ts';
import { WEEKDAYS } from '../catalogue/schedule.ts';
import { localize } from '../catalogue/translations.ts';
import {
  AUDIENCE_WEIGHTS,
  CLOSED_ON_DAYS_WEIGHT,
  DISTANCE_WEIGHT,
  DISTANCE_ZERO_AT_METERS,
  LANGUAGE_WEIGHTS,
  MAX_EXCLUDED,
  OPEN_DAYS_WEIGHT,
  PLACES_WEIGHTS,
  THEME_WEIGHTS,
  WALKING_DETOUR_FACTOR,
  WALKING_SPEED_KMH,
} from './match.weights.ts';
import { frenchSpacing } from '../../../clients/typography.ts';

// ---------------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------------

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** Mean Earth radius (IUGG), in metres. */
const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine). */
export function haversineMeters(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Minutes on foot for a straight-line distance: streets are longer than the line
 * (`WALKING_DETOUR_FACTOR`) and residents walk at `WALKING_SPEED_KMH`. Rounded up: a guide that
 * says 23 minutes should not make anyone late.
 */
export function walkingMinutes(straightMeters: number): number {
  const metersPerMinute = (WALKING_SPEED_KMH * 1000) / 60;
  return Math.ceil((straightMeters * WALKING_DETOUR_FACTOR) / metersPerMinute);
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** What is asked for, validated (known theme and language codes, canonical commune). */
export interface MatchCriteria {
  themes: string[];
  languages: string[];
  audiences: Audience[];
  age: number | null;
  commune: string | null;
  /** Where distances are measured from (a point asked for, or a shelter's site). */
  point: GeoPoint | null;
  placesWanted: number | null;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  openOn: number[];
}

/** The taxonomy: each code's parent code and translated label. */
export type ThemeTree = ReadonlyMap<string, { parent: string | null; label: unknown }>;

/** What scoring reads of an offer (match.service.ts fetches exactly this). */
export interface MatchCandidate {
  id: string;
  organisationId: string;
  status: OfferStatus;
  /** Trigger-kept: the offer's theme codes with their ancestors. */
  themePath: string[];
  languages: string[];
  audiences: Audience[];
  minAge: number | null;
  maxAge: number | null;
  /** Trigger-kept: the communes of its sites and service area. */
  communes: string[];
  capacityFree: number | null;
  waitlist: boolean;
  schedule: unknown;
  sites: { latitude: number | null; longitude: number | null; openingHours: unknown }[];
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

export type MatchFactor = 'THEME' | 'LANGUAGE' | 'AUDIENCE' | 'DISTANCE' | 'FREE_PLACES' | 'OPEN_DAYS';
export type MatchFilter = 'NOT_PUBLISHED' | 'AREA' | 'AGE' | 'FULL';

export type ReasonDetail =
  | { factor: 'THEME'; kind: keyof typeof THEME_WEIGHTS; code: string }
  | { factor: 'LANGUAGE'; spoken: string[]; asked: string[] }
  | { factor: 'AUDIENCE'; kind: keyof typeof AUDIENCE_WEIGHTS; audiences: Audience[] }
  | { factor: 'DISTANCE'; meters: number | null; walkingMinutes: number | null }
  | {
      factor: 'FREE_PLACES';
      kind: keyof typeof PLACES_WEIGHTS | 'UNKNOWN';
      free: number | null;
      wanted: number | null;
    }
  | { factor: 'OPEN_DAYS'; open: number[]; closed: number[]; known: boolean };

/** One line of a result's explanation: the factor, its signed weight, and what it is about. */
export interface MatchReason {
  factor: MatchFactor;
  weight: number;
  detail: ReasonDetail;
}

export type ExclusionDetail =
  | { filter: 'NOT_PUBLISHED'; status: OfferStatus }
  | { filter: 'AREA'; commune: string }
  | { filter: 'AGE'; age: number; minAge: number | null; maxAge: number | null }
  | { filter: 'FULL' };

export interface ScoredOffer {
  id: string;
  score: number;
  distanceMeters: number | null;
  walkingMinutes: number | null;
  reasons: MatchReason[];
}

/** An offer that matched the themes but a hard filter dropped: every filter it failed. */
export interface ExcludedOffer extends ScoredOffer {
  filters: ExclusionDetail[];
}

export interface MatchOutcome {
  matches: ScoredOffer[];
  /** How many offers passed the hard filters (the page is the first `first` of them). */
  totalCount: number;
  excluded: ExcludedOffer[];
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/** Rounds away float noise (0.1 + 0.2), so that scores compare and print as their weights add. */
const round = (n: number) => Math.round(n * 1000) / 1000;

function ancestors(code: string, tree: ThemeTree): string[] {
  const out: string[] = [];
  for (
    let p = tree.get(code)?.parent ?? null;
    p !== null && !out.includes(p);
    p = tree.get(p)?.parent ?? null
  ) {
    out.push(p);
  }
  return out;
}

/**
 * The asked themes, prepared once per ranking: for each, the codes below it (a path holding one
 * is filed under a sub-theme), its parent, and the parent's other children (a path holding one
 * is a sibling's, not a match).
 */
interface ThemePlan {
  asked: { code: string; below: Set<string>; parent: string | null; parentChildren: Set<string> }[];
}

function themePlan(asked: readonly string[], tree: ThemeTree): ThemePlan {
  const below = new Map<string, Set<string>>();
  const children = new Map<string, Set<string>>();
  for (const [code, node] of tree) {
    for (const a of ancestors(code, tree)) {
      if (!below.has(a)) below.set(a, new Set());
      below.get(a)!.add(code);
    }
    if (node.parent !== null) {
      if (!children.has(node.parent)) children.set(node.parent, new Set());
      children.get(node.parent)!.add(code);
    }
  }
  return {
    asked: asked.map((code) => {
      const parent = tree.get(code)?.parent ?? null;
      return {
        code,
        below: below.get(code) ?? new Set(),
        parent,
        parentChildren: (parent !== null && children.get(parent)) || new Set(),
      };
    }),
  };
}

function planMatch(plan: ThemePlan, themePath: readonly string[]): MatchReason | null {
  let kind: keyof typeof THEME_WEIGHTS | null = null;
  let code = '';
  for (const a of plan.asked) {
    let has = false;
    let deeper = false;
    let hasParent = false;
    let sibling = false;
    for (const c of themePath) {
      if (c === a.code) has = true;
      else if (a.below.has(c)) deeper = true;
      if (c === a.parent) hasParent = true;
      else if (a.parentChildren.has(c)) sibling = true;
    }
    const level: keyof typeof THEME_WEIGHTS | null = has
      ? deeper
        ? 'SUB_THEME'
        : 'EXACT'
      : hasParent && !sibling
        ? 'PARENT'
        : null;
    if (level !== null && (kind === null || THEME_WEIGHTS[level] > THEME_WEIGHTS[kind])) {
      kind = level;
      code = level === 'PARENT' ? a.parent! : a.code;
    }
  }
  return kind === null
    ? null
    : { factor: 'THEME', weight: THEME_WEIGHTS[kind], detail: { factor: 'THEME', kind, code } };
}

/** How the offer's themes meet the asked ones: the best level, or null (a sibling, not a match). */
export function themeMatch(
  asked: readonly string[],
  themePath: readonly string[],
  tree: ThemeTree,
): MatchReason | null {
  return planMatch(themePlan(asked, tree), themePath);
}

const ISO_DAY: Record<string, number> = Object.fromEntries(WEEKDAYS.map((d, i) => [d, i + 1]));

/**
 * Open weekdays of candidates already read: the match index keeps its candidates for as long as
 * they do not change (a changed offer is a new object), so each is read once, not per request.
 */
const OPEN_WEEKDAYS = new WeakMap<object, Set<number> | null>();

/** ISO weekdays the offer is open: its schedule, else its sites' opening hours; null if unknown. */
export function openWeekdays(candidate: Pick<MatchCandidate, 'schedule' | 'sites'>): Set<number> | null {
  const known = OPEN_WEEKDAYS.get(candidate);
  if (known !== undefined) return known;
  const days = readOpenWeekdays(candidate);
  OPEN_WEEKDAYS.set(candidate, days);
  return days;
}

function readOpenWeekdays(candidate: Pick<MatchCandidate, 'schedule' | 'sites'>): Set<number> | null {
  const days = new Set<number>();
  if (Array.isArray(candidate.schedule)) {
    for (const entry of candidate.schedule as { byday?: unknown }[]) {
      if (!Array.isArray(entry?.byday)) continue;
      for (const d of entry.byday) if (typeof d === 'string' && ISO_DAY[d]) days.add(ISO_DAY[d]);
    }
  }
  if (days.size > 0) return days;
  for (const site of candidate.sites) {
    if (!Array.isArray(site.openingHours)) continue;
    for (const h of site.openingHours as { weekday?: unknown }[]) {
      if (typeof h?.weekday === 'number' && h.weekday >= 1 && h.weekday <= 7) days.add(h.weekday);
    }
  }
  return days.size > 0 ? days : null;
}

/** The nearest site with coordinates, in metres, or null. */
export function nearestSiteMeters(point: GeoPoint, sites: MatchCandidate['sites']): number | null {
  let best: number | null = null;
  for (const s of sites) {
    if (s.latitude === null || s.longitude === null) continue;
    const d = haversineMeters(point, { latitude: s.latitude, longitude: s.longitude });
    if (best === null || d < best) best = d;
  }
  return best;
}

/**
 * The score (the theme's weight plus the soft factors after it) and, with `explain`, one reason
 * per soft factor.
 * Ranking calls it twice: without `explain` for every candidate (no allocation: a broad need has
 * thousands), then with it for the page and the near misses shown. Both read the same lines, so
 * a score is always the sum of the weights its reasons show.
 */
function softFactors(
  c: MatchCriteria,
  o: MatchCandidate,
  meters: number | null,
  explain: MatchReason[] | null,
  themeWeight: number,
): number {
  // Summed in the order the reasons are listed, from the theme's weight: the same float as theirs.
  let sum = themeWeight;
  if (c.languages.length > 0) {
    const spokenAny = c.languages.some((l) => o.languages.includes(l));
    const weight = spokenAny ? LANGUAGE_WEIGHTS.SPOKEN : LANGUAGE_WEIGHTS.NOT_SPOKEN;
    sum += weight;
    explain?.push({
      factor: 'LANGUAGE',
      weight,
      detail: {
        factor: 'LANGUAGE',
        spoken: c.languages.filter((l) => o.languages.includes(l)),
        asked: c.languages,
      },
    });
  }
  if (c.audiences.length > 0) {
    const kind = c.audiences.some((a) => o.audiences.includes(a))
      ? 'MATCH'
      : o.audiences.length === 0 || o.audiences.includes('EVERYONE')
        ? 'EVERYONE'
        : 'OTHER';
    sum += AUDIENCE_WEIGHTS[kind];
    explain?.push({
      factor: 'AUDIENCE',
      weight: AUDIENCE_WEIGHTS[kind],
      detail: {
        factor: 'AUDIENCE',
        kind,
        audiences: kind === 'MATCH' ? c.audiences.filter((a) => o.audiences.includes(a)) : o.audiences,
      },
    });
  }
  if (c.point) {
    const weight = round(
      meters === null ? 0 : DISTANCE_WEIGHT * Math.max(0, 1 - meters / DISTANCE_ZERO_AT_METERS),
    );
    sum += weight;
    explain?.push({
      factor: 'DISTANCE',
      weight,
      detail: {
        factor: 'DISTANCE',
        meters: meters === null ? null : Math.round(meters),
        walkingMinutes: meters === null ? null : walkingMinutes(meters),
      },
    });
  }
  const full = o.capacityFree !== null && o.capacityFree <= 0;
  if (full && o.waitlist) {
    // Said whether or not places were asked for: whoever is sent there will wait.
    sum += PLACES_WEIGHTS.WAITLIST;
    explain?.push({
      factor: 'FREE_PLACES',
      weight: PLACES_WEIGHTS.WAITLIST,
      detail: { factor: 'FREE_PLACES', kind: 'WAITLIST', free: 0, wanted: c.placesWanted },
    });
  } else if (c.placesWanted !== null) {
    const kind = o.capacityFree === null ? 'UNKNOWN' : o.capacityFree >= c.placesWanted ? 'ENOUGH' : 'SOME';
    const weight = kind === 'UNKNOWN' ? 0 : PLACES_WEIGHTS[kind];
    sum += weight;
    explain?.push({
      factor: 'FREE_PLACES',
      weight,
      detail: { factor: 'FREE_PLACES', kind, free: o.capacityFree, wanted: c.placesWanted },
    });
  }
  if (c.openOn.length > 0) {
    const days = openWeekdays(o);
    const asked = c.openOn;
    let openCount = 0;
    if (days) for (const d of asked) if (days.has(d)) openCount++;
    const weight = round(
      !days ? 0 : openCount === 0 ? CLOSED_ON_DAYS_WEIGHT : (OPEN_DAYS_WEIGHT * openCount) / asked.length,
    );
    sum += weight;
    explain?.push({
      factor: 'OPEN_DAYS',
      weight,
      detail: {
        factor: 'OPEN_DAYS',
        open: days ? asked.filter((d) => days.has(d)) : [],
        closed: days ? asked.filter((d) => !days.has(d)) : [],
        known: days !== null,
      },
    });
  }
  return sum;
}

function hardFilters(c: MatchCriteria, o: MatchCandidate): ExclusionDetail[] {
  const out: ExclusionDetail[] = [];
  if (o.status !== 'PUBLISHED') out.push({ filter: 'NOT_PUBLISHED', status: o.status });
  if (c.commune !== null && !o.communes.includes(c.commune)) out.push({ filter: 'AREA', commune: c.commune });
  if (
    c.age !== null &&
    ((o.minAge !== null && c.age < o.minAge) || (o.maxAge !== null && c.age > o.maxAge))
  ) {
    out.push({ filter: 'AGE', age: c.age, minAge: o.minAge, maxAge: o.maxAge });
  }
  if (o.capacityFree !== null && o.capacityFree <= 0 && !o.waitlist) out.push({ filter: 'FULL' });
  return out;
}

/** A candidate scored without its reasons (the first pass of ranking). */
interface Scored {
  offer: MatchCandidate;
  theme: MatchReason;
  meters: number | null;
  score: number;
  distanceMeters: number | null;
  filters: ExclusionDetail[];
}

/** Best first: score, then nearer, then the id (stable across requests). */
function compare(a: Scored, b: Scored): number {
  return (
    b.score - a.score ||
    (a.distanceMeters ?? Number.MAX_VALUE) - (b.distanceMeters ?? Number.MAX_VALUE) ||
    (a.offer.id < b.offer.id ? -1 : a.offer.id > b.offer.id ? 1 : 0)
  );
}

/** The full explanation of a scored candidate: its reasons in factor order. */
function explained(c: MatchCriteria, s: Scored): ScoredOffer {
  const reasons: MatchReason[] = [s.theme];
  softFactors(c, s.offer, s.meters, reasons, s.theme.weight);
  return {
    id: s.offer.id,
    score: s.score,
    distanceMeters: s.distanceMeters,
    walkingMinutes: s.meters === null ? null : walkingMinutes(s.meters),
    reasons,
  };
}

/**
 * Ranks the candidates for the criteria: the first `first` matches, how many there are, and the
 * best `maxExcluded` near misses. Candidates that share no theme level with the need (siblings of
 * the asked theme, fetched because its parent was) are neither. Every candidate is scored; only
 * those returned are explained.
 */
export function rankOffers(
  criteria: MatchCriteria,
  candidates: readonly MatchCandidate[],
  tree: ThemeTree,
  first: number,
  maxExcluded = MAX_EXCLUDED,
): MatchOutcome {
  const matches: Scored[] = [];
  const excluded: Scored[] = [];
  const plan = themePlan(criteria.themes, tree);
  const c = { ...criteria, openOn: [...new Set(criteria.openOn)].sort() };
  for (const offer of candidates) {
    const theme = planMatch(plan, offer.themePath);
    if (!theme) continue;
    const meters = c.point ? nearestSiteMeters(c.point, offer.sites) : null;
    const scored: Scored = {
      offer,
      theme,
      meters,
      score: round(softFactors(c, offer, meters, null, theme.weight)),
      distanceMeters: meters === null ? null : Math.round(meters),
      filters: hardFilters(c, offer),
    };
    (scored.filters.length > 0 ? excluded : matches).push(scored);
  }
  return {
    matches: best(matches, Math.max(0, first)).map((s) => explained(c, s)),
    totalCount: matches.length,
    excluded: best(excluded, maxExcluded).map((s) => ({ ...explained(c, s), filters: s.filters })),
  };
}

/** The `n` best, in order, without sorting all of them when `n` is small. */
function best(list: Scored[], n: number): Scored[] {
  if (n <= 0) return [];
  if (n * 8 >= list.length) return list.sort(compare).slice(0, n);
  const top: Scored[] = [];
  for (const s of list) {
    if (top.length === n && compare(s, top[n - 1]!) >= 0) continue;
    let i = top.length;
    while (i > 0 && compare(s, top[i - 1]!) < 0) i--;
    top.splice(i, 0, s);
    if (top.length > n) top.pop();
  }
  return top;
}

// ---------------------------------------------------------------------------------------------
// Words: each reason and exclusion in French, German or English (French when another is asked)
// ---------------------------------------------------------------------------------------------

export const TEXT_LANGUAGES = ['fr', 'de', 'en'] as const;
export type TextLanguage = (typeof TEXT_LANGUAGES)[number];

/** The first asked language we write reasons in; French otherwise (DESIGN.md: French first). */
export function textLanguage(asked: readonly string[]): TextLanguage {
  return (asked.find((l) => (TEXT_LANGUAGES as readonly string[]).includes(l)) as TextLanguage) ?? 'fr';
}

const MINUS = '\u2212';

/**
 * Intl formatters, made once per language: building one costs far more than using it (ICU data
 * lookups), and a ranking writes dozens of lines.
 */
interface Formatters {
  weight: Intl.NumberFormat;
  km: Intl.NumberFormat;
  languages: Intl.DisplayNames;
  and: Intl.ListFormat;
  or: Intl.ListFormat;
  weekday: Intl.DateTimeFormat;
}
const FORMATTERS = new Map<TextLanguage, Formatters>();
function formatters(lang: TextLanguage): Formatters {
  let f = FORMATTERS.get(lang);
  if (!f) {
    f = {
      weight: new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }),
      km: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }),
      languages: new Intl.DisplayNames([lang], { type: 'language' }),
      and: new Intl.ListFormat(lang, { type: 'conjunction' }),
      or: new Intl.ListFormat(lang, { type: 'disjunction' }),
      weekday: new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }),
    };
    FORMATTERS.set(lang, f);
  }
  return f;
}
/** "+0,3", "−0,2", "+1" in the language's number format. */
export function formatWeight(weight: number, lang: TextLanguage): string {
  return `${weight < 0 ? MINUS : '+'}${formatters(lang).weight.format(Math.abs(weight))}`;
}

function languageNames(codes: readonly string[], lang: TextLanguage, type: 'and' | 'or') {
  const f = formatters(lang);
  return f[type].format(codes.map((c) => f.languages.of(c) ?? c));
}

function dayNames(days: readonly number[], lang: TextLanguage): string {
  const f = formatters(lang);
  // 2024-01-01 was a Monday.
  return f.and.format(days.map((d) => f.weekday.format(new Date(Date.UTC(2024, 0, d)))));
}

function distanceText(meters: number, lang: TextLanguage): string {
  if (meters < 1000) return `${Math.round(meters / 10) * 10} m`;
  return `${formatters(lang).km.format(meters / 1000)} km`;
}

const AUDIENCE_WORDS: Record<Audience, Record<TextLanguage, string>> = {
  EVERYONE: { fr: 'tout le monde', de: 'alle', en: 'everyone' },
  CHILDREN: { fr: 'enfants', de: 'Kinder', en: 'children' },
  YOUTH: { fr: 'jeunes', de: 'Jugendliche', en: 'young people' },
  ADULTS: { fr: 'adultes', de: 'Erwachsene', en: 'adults' },
  SENIORS: { fr: 'seniors', de: 'Senioren', en: 'seniors' },
  FAMILIES: { fr: 'familles', de: 'Familien', en: 'families' },
  WOMEN: { fr: 'femmes', de: 'Frauen', en: 'women' },
  MEN: { fr: 'hommes', de: 'Männer', en: 'men' },
  NEWCOMERS: { fr: 'nouveaux arrivants', de: 'Neuankömmlinge', en: 'newcomers' },
  REFUGEES: { fr: 'réfugiés', de: 'Geflüchtete', en: 'refugees' },
  HOMELESS: { fr: 'personnes sans abri', de: 'Obdachlose', en: 'homeless people' },
  PEOPLE_WITH_DISABILITIES: {
    fr: 'personnes en situation de handicap',
    de: 'Menschen mit Behinderung',
    en: 'people with disabilities',
  },
  PEOPLE_IN_DEBT: { fr: 'personnes surendettées', de: 'Verschuldete', en: 'people in debt' },
  PEOPLE_WITH_ADDICTIONS: {
    fr: 'personnes dépendantes',
    de: 'Menschen mit Suchterkrankung',
    en: 'people with addictions',
  },
  JOBSEEKERS: { fr: "demandeurs d'emploi", de: 'Arbeitsuchende', en: 'jobseekers' },
  PROFESSIONALS: { fr: 'professionnels', de: 'Fachleute', en: 'professionals' },
};

const STATUS_WORDS: Record<OfferStatus, Record<TextLanguage, string>> = {
  DRAFT: { fr: 'brouillon', de: 'Entwurf', en: 'draft' },
  PUBLISHED: { fr: 'publiée', de: 'veröffentlicht', en: 'published' },
  PAUSED: { fr: 'en pause', de: 'pausiert', en: 'paused' },
  WITHDRAWN: { fr: 'retirée', de: 'zurückgezogen', en: 'withdrawn' },
};

type Words = Record<TextLanguage, string>;
/** The words in `lang`; French typeset (`clients/typography.ts`). */
const pick = (lang: TextLanguage, w: Words) => (lang === 'fr' ? frenchSpacing(w.fr) : w[lang]);

/** Between the parts of one reason or exclusion: « ; » in French, '; ' elsewhere. */
export const listSeparator = (lang: TextLanguage) => pick(lang, { fr: ' ; ', de: '; ', en: '; ' });

/** What a reason says, without its weight. */
function reasonWords(d: ReasonDetail, lang: TextLanguage, tree: ThemeTree): string {
  switch (d.factor) {
    case 'THEME': {
      const label = localize(tree.get(d.code)?.label, [lang])?.text ?? d.code;
      if (d.kind === 'EXACT')
        return pick(lang, { fr: `thème : ${label}`, de: `Thema: ${label}`, en: `theme: ${label}` });
      if (d.kind === 'SUB_THEME') {
        return pick(lang, {
          fr: `sous-thème de ${label}`,
          de: `Unterthema von ${label}`,
          en: `sub-theme of ${label}`,
        });
      }
      return pick(lang, {
        fr: `thème plus large : ${label}`,
        de: `übergeordnetes Thema: ${label}`,
        en: `broader theme: ${label}`,
      });
    }
    case 'LANGUAGE': {
      if (d.spoken.length > 0) {
        const names = languageNames(d.spoken, lang, 'and');
        return pick(lang, { fr: `parle ${names}`, de: `spricht ${names}`, en: `speaks ${names}` });
      }
      const names = languageNames(d.asked, lang, 'or');
      return pick(lang, {
        fr: `ne parle pas ${names}`,
        de: `spricht kein ${names}`,
        en: `does not speak ${names}`,
      });
    }
    case 'AUDIENCE': {
      const names = formatters(lang).and.format(d.audiences.map((a) => AUDIENCE_WORDS[a][lang]));
      if (d.kind === 'MATCH')
        return pick(lang, { fr: `pour ${names}`, de: `für ${names}`, en: `for ${names}` });
      if (d.kind === 'EVERYONE')
        return pick(lang, { fr: 'ouvert à tous', de: 'offen für alle', en: 'open to everyone' });
      return pick(lang, {
        fr: `destiné à : ${names}`,
        de: `gedacht für: ${names}`,
        en: `meant for: ${names}`,
      });
    }
    case 'DISTANCE': {
      if (d.meters === null || d.walkingMinutes === null) {
        return pick(lang, {
          fr: 'aucun lieu avec coordonnées',
          de: 'kein Standort mit Koordinaten',
          en: 'no site with coordinates',
        });
      }
      const km = distanceText(d.meters, lang);
      return pick(lang, {
        fr: `${km}, ${d.walkingMinutes} min à pied`,
        de: `${km}, ${d.walkingMinutes} Min. zu Fuß`,
        en: `${km}, ${d.walkingMinutes} min on foot`,
      });
    }
    case 'FREE_PLACES': {
      const free = d.free ?? 0;
      if (d.kind === 'WAITLIST') {
        return pick(lang, {
          fr: "complet : liste d'attente",
          de: 'voll: Warteliste',
          en: 'no free place: waitlist',
        });
      }
      if (d.kind === 'UNKNOWN') {
        return pick(lang, {
          fr: 'places libres non indiquées',
          de: 'freie Plätze nicht angegeben',
          en: 'free places not reported',
        });
      }
      const places = pick(lang, {
        fr: free === 1 ? '1 place libre' : `${free} places libres`,
        de: free === 1 ? '1 freier Platz' : `${free} freie Plätze`,
        en: free === 1 ? '1 free place' : `${free} free places`,
      });
      if (d.kind === 'ENOUGH') return places;
      return pick(lang, {
        fr: `${places} sur ${d.wanted} demandées`,
        de: `${places} von ${d.wanted} gesuchten`,
        en: `${places} of ${d.wanted} wanted`,
      });
    }
    case 'OPEN_DAYS': {
      if (!d.known) {
        return pick(lang, {
          fr: 'horaires non indiqués',
          de: 'Öffnungszeiten nicht angegeben',
          en: 'opening times not given',
        });
      }
      const parts: string[] = [];
      if (d.open.length > 0) {
        const days = dayNames(d.open, lang);
        parts.push(pick(lang, { fr: `ouvert ${days}`, de: `geöffnet ${days}`, en: `open ${days}` }));
      }
      if (d.closed.length > 0) {
        const days = dayNames(d.closed, lang);
        parts.push(pick(lang, { fr: `fermé ${days}`, de: `geschlossen ${days}`, en: `closed ${days}` }));
      }
      return parts.join(listSeparator(lang));
    }
  }
}

/** A reason line: "parle arabe +0,3", "1,8 km, 31 min à pied +0,3". */
export function reasonText(reason: MatchReason, lang: TextLanguage, tree: ThemeTree): string {
  return `${reasonWords(reason.detail, lang, tree)} ${formatWeight(reason.weight, lang)}`;
}

function ageRange(min: number | null, max: number | null, lang: TextLanguage): string {
  if (min !== null && max !== null) {
    return pick(lang, { fr: `${min} à ${max} ans`, de: `${min} bis ${max} Jahre`, en: `${min} to ${max}` });
  }
  if (min !== null)
    return pick(lang, { fr: `à partir de ${min} ans`, de: `ab ${min} Jahren`, en: `from ${min}` });
  return pick(lang, { fr: `jusqu'à ${max} ans`, de: `bis ${max} Jahre`, en: `up to ${max}` });
}

/** Why a near miss was left out: "ne dessert pas Esch-sur-Alzette". */
export function exclusionText(d: ExclusionDetail, lang: TextLanguage): string {
  switch (d.filter) {
    case 'NOT_PUBLISHED': {
      const status = STATUS_WORDS[d.status][lang];
      return pick(lang, {
        fr: `offre non publiée : ${status}`,
        de: `nicht veröffentlicht: ${status}`,
        en: `not published: ${status}`,
      });
    }
    case 'AREA':
      return pick(lang, {
        fr: `ne dessert pas ${d.commune}`,
        de: `nicht in ${d.commune} tätig`,
        en: `does not serve ${d.commune}`,
      });
    case 'AGE': {
      const range = ageRange(d.minAge, d.maxAge, lang);
      return pick(lang, {
        fr: `âge : ${range} (demandé : ${d.age})`,
        de: `Alter: ${range} (gefragt: ${d.age})`,
        en: `age: ${range} (asked: ${d.age})`,
      });
    }
    case 'FULL':
      return pick(lang, {
        fr: "complet, sans liste d'attente",
        de: 'voll, keine Warteliste',
        en: 'full, no waitlist',
      });
  }
}
