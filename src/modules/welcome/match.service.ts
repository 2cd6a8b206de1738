/**
 * Matching, the database side: checks the criteria (theme and commune codes, the shelter to
 * measure from), fetches the candidates and hands them to the pure ranking (match.ts).
 *
 * Candidates are the offers the caller may see (catalogue.access.ts, the catalogue's one rule:
 * the published catalogue for everyone, an organisation's other offers for its own members) whose
 * trigger-kept `themePath` shares a code with the asked themes or their parents (GIN index on
 * "Offer"."themePath"). Unpublished ones are fetched only to be listed as near misses. The cost
 * is a constant number of statements whatever `first` is: the taxonomy (kept a minute per
 * process), the shelter when one is named, and the match index's check for changes
 * (match-index.ts: the candidates are kept in the process, exact to the last commit; the Prisma
 * form `fetchCandidates` below is the reference a test compares it with). Nothing is written.
 */
import { demandMiss } from '../network/demand.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import type { Audience } from '../../generated/prisma/enums.ts';
import { InvalidInputError, NotFoundError, UnknownThemeError } from '../../shared/errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { visibleOffersWhere } from '../catalogue/catalogue.access.ts';
import { UnknownCommuneError } from '../catalogue/catalogue.errors.ts';
import { canonicalCommune } from '../catalogue/communes.ts';
import { rankOffers, type GeoPoint, type MatchCriteria, type MatchOutcome, type ThemeTree } from './match.ts';
import { matchIndex } from './match-index.ts';
import { visibleSheltersWhere } from './welcome.access.ts';

/** Criteria as a client gives them (GraphQL input, a referral draft, a shelter's profile). */
export interface MatchCriteriaInput {
  themes: readonly string[];
  languages?: readonly string[] | null;
  audiences?: readonly Audience[] | null;
  age?: number | null;
  commune?: string | null;
  point?: GeoPoint | null;
  /** Raw shelter id (uuid): distances from its site. */
  shelterId?: string | null;
  placesWanted?: number | null;
  openOn?: readonly number[] | null;
}

const englishLanguageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** An ISO 639-1 code: two lowercase letters that name a language (ICU's list, which Node ships). */
export function isLanguageCode(code: string): boolean {
  return /^[a-z]{2}$/.test(code) && englishLanguageNames.of(code) !== undefined;
}

/**
 * The taxonomy (code → parent code and label). It is public and changes rarely: each process
 * keeps it for a minute, as the catalogue search does with its codes.
 */
const THEME_TREE_TTL_MS = 60_000;
const themeTrees = new WeakMap<PrismaClient, { tree: ThemeTree; at: number }>();
export async function themeTree(prisma: PrismaClient): Promise<ThemeTree> {
  const cached = themeTrees.get(prisma);
  if (cached && Date.now() - cached.at <= THEME_TREE_TTL_MS) return cached.tree;
  const rows = await prisma.theme.findMany({ select: { id: true, code: true, parentId: true, label: true } });
  const codeOf = new Map(rows.map((r) => [r.id, r.code]));
  const tree: ThemeTree = new Map(
    rows.map((r) => [
      r.code,
      { parent: r.parentId ? (codeOf.get(r.parentId) ?? null) : null, label: r.label },
    ]),
  );
  themeTrees.set(prisma, { tree, at: Date.now() });
  return tree;
}

/** Where distances are measured from: the point asked for, or the site of a shelter the caller sees. */
async function origin(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: MatchCriteriaInput,
): Promise<GeoPoint | null> {
  if (input.point && input.shelterId) {
    throw new InvalidInputError(null, [
      {
        path: ['criteria', 'shelterId'],
        message: 'give either a point or a shelter to measure from, not both',
      },
    ]);
  }
  if (input.point) return input.point;
  if (!input.shelterId) return null;
  const shelter = await prisma.shelter.findFirst({
    where: { id: input.shelterId, AND: [visibleSheltersWhere(viewer)] },
    select: { site: { select: { latitude: true, longitude: true } } },
  });
  if (!shelter) throw new NotFoundError('shelter');
  const { latitude, longitude } = shelter.site;
  if (latitude === null || longitude === null) {
    throw new InvalidInputError(null, [
      {
        path: ['criteria', 'shelterId'],
        message:
          "this shelter's site has no coordinates, so distances cannot be measured from it: add them to the site, or give a point",
      },
    ]);
  }
  return { latitude, longitude };
}

/** Checks the criteria and puts them in the form ranking reads. */
export async function resolveCriteria(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: MatchCriteriaInput,
): Promise<{ criteria: MatchCriteria; tree: ThemeTree }> {
  const tree = await themeTree(prisma);
  const themes = [...new Set(input.themes)];
  const unknown = themes.filter((c) => !tree.has(c));
  if (unknown.length > 0) throw new UnknownThemeError(unknown, ['criteria', 'themes']);
  const badLanguages = (input.languages ?? []).flatMap((code, i) =>
    isLanguageCode(code)
      ? []
      : [
          {
            path: ['criteria', 'languages', String(i)],
            message: `${code} is not an ISO 639-1 language code such as ar or uk`,
          },
        ],
  );
  if (badLanguages.length > 0) throw new InvalidInputError(null, badLanguages);
  let commune: string | null = null;
  if (input.commune) {
    commune = canonicalCommune(input.commune);
    if (commune === null) throw new UnknownCommuneError([input.commune], ['criteria', 'commune']);
  }
  return {
    tree,
    criteria: {
      themes,
      languages: [...new Set(input.languages ?? [])],
      audiences: [...new Set(input.audiences ?? [])],
      age: input.age ?? null,
      commune,
      point: await origin(prisma, viewer, input),
      placesWanted: input.placesWanted ?? null,
      openOn: [...new Set(input.openOn ?? [])],
    },
  };
}

/** What scoring reads of an offer (match.ts#MatchCandidate), as a Prisma selection. */
const CANDIDATE_SELECT = {
  id: true,
  organisationId: true,
  status: true,
  themePath: true,
  languages: true,
  audiences: true,
  minAge: true,
  maxAge: true,
  communes: true,
  capacityFree: true,
  waitlist: true,
  schedule: true,
  sites: { select: { latitude: true, longitude: true, openingHours: true } },
} as const;

/**
 * The candidates for `criteria`: visible offers filed under an asked theme (or below it), or
 * directly under an asked theme's parent (a path holding none of the parent's children: a
 * sibling's offers are not fetched). Both conditions read the GIN index on "themePath".
 */
export async function fetchCandidates(
  prisma: PrismaClient,
  viewer: Viewer | null,
  criteria: MatchCriteria,
  tree: ThemeTree,
) {
  const parents = [
    ...new Set(criteria.themes.flatMap((c) => (tree.get(c)?.parent ? [tree.get(c)!.parent!] : []))),
  ];
  const themes: Prisma.OfferWhereInput[] = [{ themePath: { hasSome: criteria.themes } }];
  for (const parent of parents) {
    const children = [...tree].filter(([, t]) => t.parent === parent).map(([code]) => code);
    themes.push({ themePath: { has: parent }, NOT: { themePath: { hasSome: children } } });
  }
  return prisma.offer.findMany({
    where: { AND: [visibleOffersWhere(viewer), { OR: themes }] },
    select: CANDIDATE_SELECT,
  });
}

/**
 * Ranks the offers the viewer may see for the criteria: the first `first` matches and the best
 * near misses, with their reasons. Throws UnknownThemeError, UnknownCommuneError,
 * InvalidInputError (a language code, a shelter without coordinates) or NotFoundError (a shelter
 * the caller may not see, exactly as an unknown one).
 */
export async function matchOffers(
  { prisma, sql, logger }: { prisma: PrismaClient; sql: SqlRunner; logger?: Pick<Logger, 'warn'> },
  viewer: Viewer | null,
  input: MatchCriteriaInput,
  first: number,
): Promise<MatchOutcome & { tree: ThemeTree; criteria: MatchCriteria }> {
  const index = matchIndex(sql);
  const [{ criteria, tree }] = await Promise.all([resolveCriteria(prisma, viewer, input), index.fresh()]);
  const candidates = index.candidates(viewer, criteria, tree);
  const outcome = rankOffers(criteria, candidates, tree, first);
  // Nothing found: unmet demand, counted by its themes and commune only (never the person's).
  if (outcome.matches.length === 0)
    void demandMiss(
      sql,
      'MATCH',
      criteria.placesWanted !== null && outcome.excluded.length > 0 ? 'NO_FREE_PLACE' : 'NO_RESULT',
      { themes: criteria.themes, communes: criteria.commune ? [criteria.commune] : [] },
    ).catch((err: unknown) => logger?.warn({ err: (err as Error).message }, 'could not count a match miss'));
  return { ...outcome, tree, criteria };
}

// ---------------------------------------------------------------------------------------------
// Criteria from what the hub already knows (no person is stored by matching)
// ---------------------------------------------------------------------------------------------

/** A referral draft's needs and person, as read with the referral. */
export interface ReferralForMatching {
  needThemes: { code: string }[];
  offer: { themes: { code: string }[] } | null;
  person: { languages: string[]; birthYear: number | null; anonymisedAt: Date | null } | null;
}

/**
 * Criteria from a referral draft: its need themes (else the themes of the offer it targets), the
 * person's languages and age this year (birth year only: at most one year over the real age).
 */
export function criteriaForReferral(
  referral: ReferralForMatching,
  commune: string | null,
  year: number,
): MatchCriteriaInput {
  const themes = referral.needThemes.length
    ? referral.needThemes.map((t) => t.code)
    : (referral.offer?.themes.map((t) => t.code) ?? []);
  const person = referral.person && !referral.person.anonymisedAt ? referral.person : null;
  return {
    themes,
    languages: (person?.languages ?? []).filter(isLanguageCode),
    age: person?.birthYear ? Math.max(0, year - person.birthYear) : null,
    commune,
  };
}

/** A residents' profile as stored: counts only. */
export interface ResidentProfileCounts {
  languages: unknown;
  ageBands: unknown;
}

/** Age bands of a residents' profile: the ages they span (AGE_18_25, AGE_65_PLUS…). */
function bandAges(band: string): { min: number; max: number } | null {
  const m = /^AGE_(\d+)_(\d+|PLUS)$/.exec(band);
  if (!m) return null;
  return { min: Number(m[1]), max: m[2] === 'PLUS' ? 120 : Number(m[2]) };
}

const countList = (value: unknown, key: string) =>
  Array.isArray(value)
    ? (value as Record<string, unknown>[])
        .filter((e) => typeof e?.[key] === 'string' && typeof e.count === 'number' && e.count > 0)
        .map((e) => ({ key: e[key] as string, count: e.count as number }))
        .sort((a, b) => b.count - a.count)
    : [];

/**
 * Criteria for a shelter's residents from their profile (counts only): the languages spoken by at
 * least `minShare` of them (most spoken first, at most 5), and the audiences their age bands call
 * for (children, young people, adults, seniors). Themes and the place are the caller's.
 */
export function criteriaForShelterProfile(
  profile: ResidentProfileCounts,
  themes: readonly string[],
  minShare = 0.1,
): MatchCriteriaInput {
  const languages = countList(profile.languages, 'code');
  const total = languages.reduce((s, l) => s + l.count, 0);
  const spoken = languages
    .filter((l) => isLanguageCode(l.key) && l.count >= total * minShare)
    .slice(0, 5)
    .map((l) => l.key);
  const audiences = new Set<Audience>();
  for (const { key } of countList(profile.ageBands, 'band')) {
    const ages = bandAges(key);
    if (!ages) continue;
    if (ages.min < 12) audiences.add('CHILDREN');
    if (ages.max >= 12 && ages.min < 26) audiences.add('YOUTH');
    if (ages.max >= 18 && ages.min < 65) audiences.add('ADULTS');
    if (ages.max >= 65) audiences.add('SENIORS');
  }
  return { themes: [...themes], languages: spoken, audiences: [...audiences] };
}
