/**
 * matchOffers: published offers ranked for a need, each with one reason per factor, and the near
 * misses a hard filter dropped. Public (the published catalogue is); a shelter named to measure
 * from must be one the caller sees. Also `Referral.matches` for a case worker's draft. Ranking is
 * match.ts, fetching match.service.ts, the weights match.weights.ts (docs/matching.md).
 */
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { InvalidInputError, NotFoundError, UnknownThemeError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { visibleOffersWhere } from '../catalogue/catalogue.access.ts';
import { UnknownCommuneError } from '../catalogue/catalogue.errors.ts';
import { canonicalCommune } from '../catalogue/communes.ts';
import { askedLanguages, LanguageEnum } from '../catalogue/localized.schema.ts';
import { AudienceEnum, OfferNode } from '../catalogue/offer.schema.ts';
import { ROUTING_SELECT, viewerSides } from '../referrals/referral.access.ts';
import {
  exclusionText,
  listSeparator,
  reasonText,
  textLanguage,
  type ExcludedOffer,
  type MatchFactor,
  type MatchFilter,
  type MatchReason,
  type ScoredOffer,
  type TextLanguage,
  type ThemeTree,
} from './match.ts';
import {
  criteriaForReferral,
  criteriaForShelterProfile,
  isLanguageCode,
  matchOffers,
  themeTree,
  type MatchCriteriaInput,
} from './match.service.ts';
import { MAX_EXCLUDED, MAX_FIRST } from './match.weights.ts';
import { latestReadableProfiles } from './shelter.service.ts';

/** A ranking as the API shows it: the outcome, and the words' language. */
interface MatchResultShape {
  matches: ScoredOffer[];
  excluded: ExcludedOffer[];
  totalCount: number;
  tree: ThemeTree;
  lang: TextLanguage;
}

const MatchFactorEnum = builder.enumType('MatchFactor', {
  description: 'What a reason line of a match is about (its weight: docs/matching.md).',
  values: {
    THEME: { description: 'The offer’s theme: exactly the one asked for, a sub-theme of it, or its parent.' },
    LANGUAGE: { description: 'The offer is (not) delivered in a language asked for.' },
    AUDIENCE: { description: 'Who the offer is meant for.' },
    DISTANCE: { description: 'From the point or shelter to the nearest site, with walking minutes.' },
    FREE_PLACES: { description: 'Free places, or a full offer’s waitlist.' },
    OPEN_DAYS: { description: 'Open on the weekdays asked for.' },
  } satisfies Record<MatchFactor, { description: string }>,
});

const MatchFilterEnum = builder.enumType('MatchFilter', {
  description: 'A hard filter that drops an offer from the results (it is then a near miss).',
  values: {
    NOT_PUBLISHED: { description: 'Draft, paused or withdrawn (only its own organisation sees it).' },
    AREA: { description: 'The commune asked for is not among those the offer serves.' },
    AGE: { description: 'The age asked for is outside the offer’s bounds.' },
    FULL: { description: 'No free place and no waitlist.' },
  } satisfies Record<MatchFilter, { description: string }>,
});

const MatchReasonRef = builder
  .objectRef<{ reason: MatchReason; lang: TextLanguage; tree: ThemeTree }>('MatchReason')
  .implement({
    description: 'One factor of a match’s score: its signed weight and what it says.',
    authScopes: { public: true },
    fields: (t) => ({
      factor: t.field({ type: MatchFactorEnum, resolve: (r) => r.reason.factor }),
      weight: t.float({
        description: 'Added to the score (negative: counts against).',
        resolve: (r) => r.reason.weight,
      }),
      text: t.string({
        description:
          'The line in the request’s language (fr, de or en; French otherwise), e.g. "parle arabe +0,3".',
        resolve: (r) => reasonText(r.reason, r.lang, r.tree),
      }),
    }),
  });

const reasonsOf = (s: ScoredOffer, parent: { lang: TextLanguage; tree: ThemeTree }) =>
  s.reasons.map((reason) => ({ reason, lang: parent.lang, tree: parent.tree }));

type Loaded<T> = T & { offer: unknown; lang: TextLanguage; tree: ThemeTree };

const MatchedOfferRef = builder.objectRef<Loaded<ScoredOffer>>('MatchedOffer').implement({
  description: 'An offer that passed the hard filters, with its score and why.',
  authScopes: { public: true },
  fields: (t) => ({
    offer: t.field({ type: OfferNode, nullable: false, resolve: (m) => m.offer as never }),
    score: t.exposeFloat('score', { description: 'The sum of the reasons’ weights.' }),
    distanceMeters: t.exposeInt('distanceMeters', {
      nullable: true,
      description:
        'Straight line to the nearest site, when a point or shelter was given and a site has coordinates.',
    }),
    walkingMinutes: t.exposeInt('walkingMinutes', {
      nullable: true,
      description: 'On foot, at 4.5 km/h with streets 1.3 times the straight line (docs/matching.md).',
    }),
    reasons: t.field({ type: [MatchReasonRef], resolve: (m) => reasonsOf(m, m) }),
  }),
});

const MatchExclusionRef = builder.objectRef<Loaded<ExcludedOffer>>('MatchExclusion').implement({
  description: 'A near miss: an offer that matched the themes but a hard filter dropped.',
  authScopes: { public: true },
  fields: (t) => ({
    offer: t.field({ type: OfferNode, nullable: false, resolve: (m) => m.offer as never }),
    filter: t.field({
      type: MatchFilterEnum,
      description: 'The first filter it failed.',
      resolve: (m) => m.filters[0]!.filter,
    }),
    filters: t.field({
      type: [MatchFilterEnum],
      description: 'Every filter it failed.',
      resolve: (m) => m.filters.map((f) => f.filter),
    }),
    text: t.string({
      description: 'Why, in the request’s language, e.g. "ne dessert pas Esch-sur-Alzette".',
      resolve: (m) => m.filters.map((f) => exclusionText(f, m.lang)).join(listSeparator(m.lang)),
    }),
    score: t.exposeFloat('score', { description: 'What it would have scored.' }),
    reasons: t.field({ type: [MatchReasonRef], resolve: (m) => reasonsOf(m, m) }),
  }),
});

/**
 * The offers of a page, loaded in one Prisma query with exactly what the selection asks below
 * `offer` (Pothos plans the relations: a constant number of statements for any page size).
 */
async function withOffers<T extends ScoredOffer>(
  list: T[],
  parent: MatchResultShape,
  ctx: Context,
  info: GraphQLResolveInfo,
): Promise<Loaded<T>[]> {
  if (list.length === 0) return [];
  const query = queryFromInfo({ context: ctx, info, typeName: 'Offer', path: ['offer'] });
  const rows = await ctx.prisma.offer.findMany({
    ...query,
    where: { id: { in: list.map((m) => m.id) }, AND: [visibleOffersWhere(ctx.viewer)] },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return list.flatMap((m) => {
    const offer = byId.get(m.id);
    return offer ? [{ ...m, offer, lang: parent.lang, tree: parent.tree }] : [];
  });
}

const MatchResultRef = builder.objectRef<MatchResultShape>('MatchResult').implement({
  description: 'Offers ranked for a need, best first, and the near misses.',
  authScopes: { public: true },
  fields: (t) => ({
    matches: t.field({
      type: [MatchedOfferRef],
      resolve: (r, _args, ctx, info) => withOffers(r.matches, r, ctx, info),
    }),
    totalCount: t.exposeInt('totalCount', { description: 'How many offers passed the hard filters.' }),
    excluded: t.field({
      type: [MatchExclusionRef],
      description: `Offers that matched the themes but a hard filter dropped, best first (at most ${MAX_EXCLUDED}).`,
      resolve: (r, _args, ctx, info) => withOffers(r.excluded, r, ctx, info),
    }),
  }),
});

const GeoPointInput = builder.inputType('GeoPointInput', {
  fields: (t) => ({
    latitude: t.float({ required: true, validate: z.number().min(-90).max(90) }),
    longitude: t.float({ required: true, validate: z.number().min(-180).max(180) }),
  }),
});

const MatchCriteriaInputRef = builder.inputType('MatchCriteriaInput', {
  description: 'What a person or a shelter’s residents need. Only `themes` is required.',
  fields: (t) => ({
    themes: t.stringList({
      required: true,
      description:
        'Theme codes; sub-themes match too, and an offer filed under the parent theme scores less.',
      validate: z.array(z.string().min(1).max(100)).min(1, 'at least one theme').max(20),
    }),
    languages: t.stringList({
      description: 'ISO 639-1 codes of the languages the person speaks (any of them).',
      validate: z
        .array(z.string().refine(isLanguageCode, 'an ISO 639-1 language code such as ar or uk'))
        .max(10),
    }),
    audiences: t.field({ type: [AudienceEnum] }),
    age: t.int({
      description: 'Offers whose age bounds exclude it are left out.',
      validate: z.number().int().min(0).max(120),
    }),
    commune: t.string({
      description: 'Offers that do not serve this commune are left out.',
      validate: z.string().max(100),
    }),
    point: t.field({ type: GeoPointInput, description: 'Distances from here (or give `shelterId`).' }),
    shelterId: t.globalID({ description: 'Distances from this shelter’s site (it needs coordinates).' }),
    placesWanted: t.int({
      description: 'Places needed now (a family of four: 4).',
      validate: z.number().int().min(1).max(100),
    }),
    openOn: t.intList({
      description: 'ISO weekdays (1 Monday … 7 Sunday) the offer should be open on.',
      validate: z
        .array(
          z
            .number()
            .int()
            .min(1, 'a weekday from 1 (Monday) to 7 (Sunday)')
            .max(7, 'a weekday from 1 (Monday) to 7 (Sunday)'),
        )
        .max(7),
    }),
  }),
});

const firstArg = z.number().int().min(1).max(MAX_FIRST);

builder.queryField('matchOffers', (t) =>
  t.field({
    type: MatchResultRef,
    description: `Published offers ranked for a need, each with one reason per factor, and the near misses (at most ${MAX_EXCLUDED}). Public; nothing is stored. Weights: docs/matching.md.`,
    authScopes: { public: true },
    errors: { types: [InvalidInputError, UnknownThemeError, UnknownCommuneError, NotFoundError] },
    args: {
      criteria: t.arg({ type: MatchCriteriaInputRef, required: true }),
      first: t.arg.int({ defaultValue: 10, description: `At most ${MAX_FIRST}.`, validate: firstArg }),
      lang: t.arg({
        type: LanguageEnum,
        description: 'Language of the reasons (else Accept-Language; French by default).',
      }),
    },
    resolve: async (_root, { criteria, first, lang }, ctx) => {
      const shelter = criteria.shelterId;
      // Another type's id, or none at all, is a shelter nobody can see: not found, as unknown.
      if (shelter && shelter.typename !== 'Shelter') throw new NotFoundError('shelter');
      const input: MatchCriteriaInput = {
        ...criteria,
        shelterId: shelter ? asUuid(shelter.id) : null,
      };
      const outcome = await matchOffers(ctx, ctx.viewer, input, first ?? 10);
      return { ...outcome, lang: textLanguage(askedLanguages(lang, ctx)) };
    },
  }),
);

builder.prismaObjectFields('Referral', (t) => ({
  matches: t.field({
    type: MatchResultRef,
    nullable: true,
    description:
      'Offers matching this draft’s needs (else its offer’s themes), the person’s languages and age: for the sending side of a DRAFT only (null otherwise). Nothing is stored or logged about the person.',
    errors: { types: [InvalidInputError, UnknownCommuneError] },
    args: {
      first: t.arg.int({ defaultValue: 10, validate: firstArg }),
      commune: t.arg.string({
        description: 'Leave out offers that do not serve this commune.',
        validate: z.string().max(100),
      }),
      lang: t.arg({ type: LanguageEnum }),
    },
    select: {
      status: true,
      ...ROUTING_SELECT,
      needThemes: { select: { code: true } },
      offer: { select: { themes: { select: { code: true } } } },
      person: { select: { languages: true, birthYear: true, anonymisedAt: true } },
    },
    resolve: async (referral, { first, commune, lang }, ctx) => {
      if (referral.status !== 'DRAFT') return null;
      if (!viewerSides(ctx.viewer, referral).some((s) => s.side === 'SENDER')) return null;
      if (commune && canonicalCommune(commune) === null)
        throw new UnknownCommuneError([commune], ['commune']);
      const input = criteriaForReferral(referral, commune ?? null, new Date().getFullYear());
      const words = textLanguage(askedLanguages(lang, ctx));
      if (input.themes.length === 0)
        return { matches: [], excluded: [], totalCount: 0, tree: new Map(), lang: words };
      const outcome = await matchOffers(ctx, ctx.viewer, input, first ?? 10);
      return { ...outcome, lang: words };
    },
  }),
}));

builder.prismaObjectFields('Shelter', (t) => ({
  suggestedOffers: t.field({
    type: MatchResultRef,
    nullable: true,
    description:
      'Offers for this shelter’s residents, from their latest profile (languages spoken by at least a tenth of them, the audiences their age bands call for) and distances from the shelter’s site: for the operator and the partners (who read the profile); null for others and when no profile was recorded.',
    errors: { types: [InvalidInputError, UnknownThemeError] },
    args: {
      themes: t.arg.stringList({
        description: 'Theme codes (sub-themes included); all top themes when left out.',
        validate: z.array(z.string().min(1).max(100)).min(1).max(20),
      }),
      first: t.arg.int({ defaultValue: 10, validate: firstArg }),
      lang: t.arg({ type: LanguageEnum }),
    },
    select: { site: { select: { latitude: true, longitude: true } } },
    resolve: async (shelter, { themes, first, lang }, ctx) => {
      const [profile] = await latestReadableProfiles(ctx.prisma, ctx.viewer, [shelter.id]);
      if (!profile) return null;
      const tree = await themeTree(ctx.prisma);
      const asked = themes ?? [...tree].filter(([, t]) => t.parent === null).map(([code]) => code);
      const { latitude, longitude } = shelter.site;
      const input: MatchCriteriaInput = {
        ...criteriaForShelterProfile(profile, asked),
        point: latitude !== null && longitude !== null ? { latitude, longitude } : null,
      };
      const outcome = await matchOffers(ctx, ctx.viewer, input, first ?? 10);
      return { ...outcome, lang: textLanguage(askedLanguages(lang, ctx)) };
    },
  }),
}));
