/**
 * The network's picture in GraphQL: `networkFlows`, `networkResponseTimes`, `networkGaps`. Thin:
 * the figures, their disclosure control and who may see what live in network-stats.service.ts;
 * the pictures in network-charts.ts. Every call is logged as a statistics query.
 */
import { z } from 'zod';
import { builder, type BuilderTypes } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { ForbiddenError, InvalidInputError } from '../../shared/errors.ts';
import { askedLanguages, LanguageEnum } from '../catalogue/localized.schema.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { CountRef, DeclineCountRef } from '../referrals/referral-stats.schema.ts';
import { MAX_PERIOD_DAYS, MIN_PERIOD_DAYS } from '../referrals/referral-stats.service.ts';
import {
  flowNetworkSvg,
  flowSankeySvg,
  gapMapSvg,
  RESPONSE_TIME_ROWS,
  responseTimesSvg,
} from './network-charts.ts';
import {
  asStatisticsQuery,
  MIN_P90_COUNT,
  networkFlows,
  networkGaps,
  monthOf,
  networkResponseTimes,
  periodOf,
  UNMET_DECLINE_REASONS,
} from './network-stats.service.ts';
import type {
  DurationStats,
  FlowEdge,
  FlowMatrix,
  GapCell,
  GapDemand,
  NetworkFlows,
  NetworkGaps,
  NetworkOrganisation,
  NetworkResponseTimes,
  PairResponseTimes,
  ResponseTimes,
  ThemeRef,
  ThemeResponseTimes,
} from './network.types.ts';

/** An organisation the figures name: the catalogue's public Organisation, loaded by id. */
const orgField = <T>(
  t: PothosFieldBuilder<T>,
  pick: (parent: T) => NetworkOrganisation,
  description?: string,
) =>
  t.prismaField({
    type: 'Organisation',
    description,
    resolve: (query, parent, _args, ctx) =>
      ctx.prisma.organisation.findUniqueOrThrow({ ...query, where: { id: pick(parent).id } }),
  });

type PothosFieldBuilder<T> = PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>;

const Lang = builder.enumType('NetworkChartLanguage', {
  description: 'Language of a chart’s labels.',
  values: ['fr', 'de', 'en'] as const,
});

const chartLang = (ctx: Context, lang: string | null | undefined): 'fr' | 'de' | 'en' => {
  for (const l of askedLanguages(lang, ctx)) if (l === 'fr' || l === 'de' || l === 'en') return l;
  return 'fr';
};

const FlowEdgeRef = builder.objectRef<FlowEdge>('NetworkFlowEdge').implement({
  description:
    'Referrals sent in the period from one organisation to another, by where they are now. Counts as ReferralStatsCount: the parts partition `sent`.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    sender: orgField(t, (e) => e.sender),
    receiver: orgField(t, (e) => e.receiver),
    sent: t.field({
      type: CountRef,
      description: 'All referrals of the pair in the period.',
      resolve: (e) => e.sent,
    }),
    pending: t.field({
      type: CountRef,
      description: 'Sent or received, not yet answered.',
      resolve: (e) => e.pending,
    }),
    accepted: t.field({
      type: CountRef,
      description: 'Accepted and still open (accepted, in progress, on hold).',
      resolve: (e) => e.accepted,
    }),
    completed: t.field({ type: CountRef, resolve: (e) => e.completed }),
    declined: t.field({ type: CountRef, resolve: (e) => e.declined }),
    cancelled: t.field({ type: CountRef, resolve: (e) => e.cancelled }),
    declines: t.field({
      type: [DeclineCountRef],
      description: 'DECLINED by coded reason (every reason, 0 included).',
      resolve: (e) => e.declines,
    }),
  }),
});

interface MatrixRow {
  sender: NetworkOrganisation;
  cells: FlowMatrix['cells'][number];
  sent: FlowMatrix['sentTotals'][number];
}

const MatrixRowRef = builder.objectRef<MatrixRow>('NetworkFlowMatrixRow').implement({
  description: 'What one organisation sent to each of the matrix’s organisations.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    sender: orgField(t, (r) => r.sender),
    cells: t.field({
      type: [CountRef],
      nullable: { list: false, items: true },
      description:
        'One per organisation of the matrix, in its order; null where the viewer may not see the pair.',
      resolve: (r) => r.cells,
    }),
    sent: t.field({
      type: CountRef,
      description: 'The row’s total, over the cells shown.',
      resolve: (r) => r.sent,
    }),
  }),
});

const MatrixRef = builder.objectRef<FlowMatrix>('NetworkFlowMatrix').implement({
  description:
    'The flows as a matrix: senders in rows, receivers in columns, both in `organisations`’ order.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    organisations: t.field({
      type: [Organisation],
      description: 'Rows and columns, by published volume.',
      resolve: (m, _args, ctx) => organisationsById(ctx, m.organisations),
    }),
    rows: t.field({
      type: [MatrixRowRef],
      resolve: (m) =>
        m.organisations.map((sender, i) => ({ sender, cells: m.cells[i]!, sent: m.sentTotals[i]! })),
    }),
    receivedTotals: t.field({
      type: [CountRef],
      description: 'What each organisation received, over the cells shown, in `organisations`’ order.',
      resolve: (m) => m.receivedTotals,
    }),
  }),
});

async function organisationsById(ctx: Context, list: readonly NetworkOrganisation[]) {
  const rows = await ctx.prisma.organisation.findMany({ where: { id: { in: list.map((o) => o.id) } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return list.map((o) => byId.get(o.id)).filter((o) => o !== undefined);
}

const periodFields = <
  T extends { from: Date; to: Date; refreshedAt: Date | null; limitedTo: NetworkOrganisation[] | null },
>(
  t: PothosFieldBuilder<T>,
) => ({
  from: t.field({ type: 'DateTime', resolve: (f: T) => f.from }),
  to: t.field({ type: 'DateTime', resolve: (f: T) => f.to }),
  refreshedAt: t.field({
    type: 'DateTime',
    nullable: true,
    description:
      'When the figures were last brought up to date with the referrals’ event log (at most a minute behind).',
    resolve: (f: T) => f.refreshedAt,
  }),
  wholeNetwork: t.boolean({
    description: 'True for hub admins and network coordinators; else only pairs involving `limitedTo`.',
    resolve: (f: T) => f.limitedTo === null,
  }),
  limitedTo: t.field({
    type: [Organisation],
    nullable: true,
    description: 'The viewer’s organisations, whose pairs are shown; null for the whole network.',
    resolve: (f: T, _args: object, ctx: Context) =>
      f.limitedTo ? organisationsById(ctx, f.limitedTo) : null,
  }),
});

const NetworkFlowsRef = builder.objectRef<NetworkFlows>('NetworkFlows').implement({
  description:
    'Referrals sent in [from, to) between organisations: a list of edges, a matrix and two pictures.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    ...periodFields(t),
    edges: t.field({ type: [FlowEdgeRef], description: 'Largest first.', resolve: (f) => f.edges }),
    matrix: t.field({ type: MatrixRef, resolve: (f) => f.matrix }),
    diagramSvg: t.string({
      description: 'The flows as a network diagram (SVG, no script).',
      args: { lang: t.arg({ type: Lang }) },
      resolve: (f, { lang }, ctx) => flowNetworkSvg(f, { lang: chartLang(ctx, lang) }),
    }),
    sankeySvg: t.string({
      description: 'The flows as a Sankey diagram, senders left, receivers right (SVG, no script).',
      args: { lang: t.arg({ type: Lang }) },
      resolve: (f, { lang }, ctx) => flowSankeySvg(f, { lang: chartLang(ctx, lang) }),
    }),
  }),
});

const DurationRef = builder.objectRef<DurationStats>('NetworkDuration').implement({
  description: `One duration in working days (Luxembourg, as due dates count them): median over ${5} referrals or more, 90th percentile over ${MIN_P90_COUNT} or more, else null.`,
  authScopes: { authenticated: true },
  fields: (t) => ({
    count: t.field({ type: CountRef, description: 'Referrals with this duration.', resolve: (d) => d.count }),
    median: t.exposeFloat('median', { nullable: true, description: 'Working days, to 0.1.' }),
    p90: t.exposeFloat('p90', { nullable: true, description: 'Working days, to 0.1.' }),
  }),
});

const timesFields = <T extends ResponseTimes & { referrals: DurationStats['count'] }>(
  t: PothosFieldBuilder<T>,
) => ({
  referrals: t.field({ type: CountRef, resolve: (r: T) => r.referrals }),
  firstAnswer: t.field({
    type: DurationRef,
    description: 'From sending to the first answer (acknowledged, accepted or declined).',
    resolve: (r: T) => r.firstAnswer,
  }),
  acceptance: t.field({
    type: DurationRef,
    description: 'From sending to acceptance.',
    resolve: (r: T) => r.acceptance,
  }),
  completion: t.field({
    type: DurationRef,
    description: 'From sending to completion.',
    resolve: (r: T) => r.completion,
  }),
});

const PairTimesRef = builder.objectRef<PairResponseTimes>('NetworkPairResponseTimes').implement({
  description: 'Response times of the referrals one organisation sent to another in the period.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    sender: orgField(t, (p) => p.sender),
    receiver: orgField(t, (p) => p.receiver),
    ...timesFields(t),
  }),
});

const ThemeRefType = builder.objectRef<ThemeRef>('NetworkTheme').implement({
  description: 'A theme of the taxonomy, by code, with its label in the asked language.',
  authScopes: { authenticated: true },
  fields: (t) => ({ code: t.exposeString('code'), label: t.exposeString('label') }),
});

const ThemeTimesRef = builder.objectRef<ThemeResponseTimes>('NetworkThemeResponseTimes').implement({
  description: 'Response times of the referrals of the period with this need theme.',
  authScopes: { authenticated: true },
  fields: (t) => ({ theme: t.field({ type: ThemeRefType, resolve: (r) => r.theme }), ...timesFields(t) }),
});

const Measure = builder.enumType('NetworkDurationMeasure', {
  values: ['FIRST_ANSWER', 'ACCEPTANCE', 'COMPLETION'] as const,
});
const measureOf = {
  FIRST_ANSWER: 'firstAnswer',
  ACCEPTANCE: 'acceptance',
  COMPLETION: 'completion',
} as const;
const MEASURE_TITLE = {
  fr: {
    FIRST_ANSWER: 'Délai de première réponse',
    ACCEPTANCE: 'Délai d’acceptation',
    COMPLETION: 'Délai de clôture',
  },
  de: {
    FIRST_ANSWER: 'Zeit bis zur ersten Antwort',
    ACCEPTANCE: 'Zeit bis zur Annahme',
    COMPLETION: 'Zeit bis zum Abschluss',
  },
  en: {
    FIRST_ANSWER: 'Time to first answer',
    ACCEPTANCE: 'Time to acceptance',
    COMPLETION: 'Time to completion',
  },
} as const;

const NetworkResponseTimesRef = builder.objectRef<NetworkResponseTimes>('NetworkResponseTimes').implement({
  description:
    'Response times of the referrals sent in [from, to), per pair of organisations and per need theme.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    ...periodFields(t),
    pairs: t.field({
      type: [PairTimesRef],
      description: 'Slowest median first answer first.',
      resolve: (r) => r.pairs,
    }),
    themes: t.field({
      type: [ThemeTimesRef],
      description: 'Slowest median first answer first.',
      resolve: (r) => r.themes,
    }),
    chartSvg: t.string({
      description:
        'Median and 90th percentile per pair (or per theme) as bars, the slowest first (SVG, no script).',
      args: {
        measure: t.arg({ type: Measure, defaultValue: 'FIRST_ANSWER' }),
        byTheme: t.arg.boolean({ defaultValue: false }),
        lang: t.arg({ type: Lang }),
        first: t.arg.int({
          defaultValue: RESPONSE_TIME_ROWS,
          description: 'How many rows, the slowest median first (1–200).',
          validate: z.number().int().min(1).max(200),
        }),
      },
      resolve: (r, args, ctx) => {
        const lang = chartLang(ctx, args.lang);
        const measure = args.measure ?? 'FIRST_ANSWER';
        const key = measureOf[measure];
        const rows = args.byTheme
          ? r.themes.map((x) => ({ label: x.theme.label, times: x[key] }))
          : r.pairs.map((x) => ({ label: `${x.sender.name} → ${x.receiver.name}`, times: x[key] }));
        return responseTimesSvg(rows, {
          lang,
          title: MEASURE_TITLE[lang][measure],
          first: args.first ?? undefined,
        });
      },
    }),
  }),
});

const DemandRef = builder.objectRef<GapDemand>('NetworkDemand').implement({
  description: 'Unmet demand for a theme in a commune over a month.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    searches: t.field({
      type: CountRef,
      description:
        'Catalogue searches that found nothing (or nothing with a free place, when one was asked for).',
      resolve: (d) => d.searches,
    }),
    matches: t.field({
      type: CountRef,
      description: 'matchOffers calls that found nothing.',
      resolve: (d) => d.matches,
    }),
    declines: t.field({
      type: CountRef,
      description: `Referrals sent in the month and declined for ${UNMET_DECLINE_REASONS.join(', ')}.`,
      resolve: (d) => d.declines,
    }),
    total: t.field({ type: CountRef, resolve: (d) => d.total }),
  }),
});

const GapCellRef = builder.objectRef<GapCell>('NetworkGapCell').implement({
  description: 'Demand against supply for one theme in one commune.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    theme: t.field({ type: ThemeRefType, resolve: (c) => c.theme }),
    commune: t.exposeString('commune', {
      nullable: true,
      description: 'Null: searches that named no commune (the whole country).',
    }),
    demand: t.field({ type: DemandRef, resolve: (c) => c.demand }),
    previousDemand: t.field({
      type: DemandRef,
      description: 'The month before.',
      resolve: (c) => c.previousDemand,
    }),
    offers: t.exposeInt('offers', {
      nullable: true,
      description:
        'Published offers of the theme (or a sub-theme) there in the month: the catalogue now for the current month, the month’s last reading for a past one (see NetworkGaps.supplyReadAt); null when the hub never read that month.',
    }),
    freePlaces: t.exposeInt('freePlaces', {
      nullable: true,
      description: 'Their free places (offers that count places), read as `offers` is.',
    }),
    offersWithRoom: t.exposeInt('offersWithRoom', {
      nullable: true,
      description: 'Of these, offers with a free place or no place count.',
    }),
    previousOffersWithRoom: t.exposeInt('previousOffersWithRoom', {
      nullable: true,
      description: 'The same in the month before (its last reading); null when never read.',
    }),
    gapIndex: t.exposeFloat('gapIndex', {
      nullable: true,
      description:
        'Demand (published total) per offer with room (at least 1); null when the demand is suppressed or the supply was never read.',
    }),
    previousGapIndex: t.exposeFloat('previousGapIndex', { nullable: true }),
  }),
});

const NetworkGapsRef = builder.objectRef<NetworkGaps>('NetworkGaps').implement({
  description: 'Unmet needs per theme and commune in a month, against the month before.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    month: t.exposeString('month', { description: 'YYYY-MM (Luxembourg).' }),
    previousMonth: t.exposeString('previousMonth'),
    supplyReadAt: t.expose('supplyReadAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When the supply of the month was read: now for the current month; for a past one its last reading (the supply at its close, at most an hour before it ended). Null: never read (before the hub ran).',
    }),
    previousSupplyReadAt: t.expose('previousSupplyReadAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The same for the month before.',
    }),
    cells: t.field({ type: [GapCellRef], description: 'Highest gap index first.', resolve: (g) => g.cells }),
    mapSvg: t.string({
      description: 'The communes as a schematic grid, coloured by gap index (SVG, no script).',
      args: {
        theme: t.arg.string({ description: 'A theme code; omitted: the highest index of any theme.' }),
        lang: t.arg({ type: Lang }),
      },
      resolve: (g, args, ctx) => gapMapSvg(g, args.theme ?? null, { lang: chartLang(ctx, args.lang) }),
    }),
  }),
});

const PERIOD = `[from, to) (by default the 365 days up to now): at least ${MIN_PERIOD_DAYS} days, at most ${MAX_PERIOD_DAYS}`;
const WHO =
  'Hub admins and network coordinators see the whole network; an organisation’s members the pairs involving their organisation. Counts cannot point at a person (see ReferralStatsCount). Every call is logged with who asked.';

builder.queryField('networkFlows', (t) =>
  t.field({
    type: NetworkFlowsRef,
    nullable: true,
    description: `Referrals between organisations, sent in ${PERIOD}. ${WHO}`,
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, ForbiddenError] },
    args: {
      from: t.arg({ type: 'DateTime', description: 'Sent at or after; omitted: 365 days before `to`.' }),
      to: t.arg({ type: 'DateTime', description: 'Sent before; omitted: now.' }),
    },
    resolve: (_root, args, ctx) => {
      const { from, to } = periodOf(args);
      return asStatisticsQuery(
        ctx,
        ctx.logger,
        ctx.viewer,
        { query: 'FLOWS', format: 'GRAPHQL', from, to },
        (scope) => networkFlows(ctx, scope, from, to),
      );
    },
  }),
);

builder.queryField('networkResponseTimes', (t) =>
  t.field({
    type: NetworkResponseTimesRef,
    nullable: true,
    description: `Median and 90th percentile of the working days to first answer, acceptance and completion, per pair and per need theme, over the referrals sent in ${PERIOD}. ${WHO}`,
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, ForbiddenError] },
    args: {
      from: t.arg({ type: 'DateTime', description: 'Sent at or after; omitted: 365 days before `to`.' }),
      to: t.arg({ type: 'DateTime', description: 'Sent before; omitted: now.' }),
      lang: t.arg({ type: LanguageEnum, description: 'Language of theme labels (else Accept-Language).' }),
    },
    resolve: (_root, { lang, ...period }, ctx) => {
      const { from, to } = periodOf(period);
      return asStatisticsQuery(
        ctx,
        ctx.logger,
        ctx.viewer,
        { query: 'RESPONSE_TIMES', format: 'GRAPHQL', from, to },
        (scope) => networkResponseTimes(ctx, scope, from, to, askedLanguages(lang, ctx)),
      );
    },
  }),
);

builder.queryField('networkGaps', (t) =>
  t.field({
    type: NetworkGapsRef,
    nullable: true,
    description:
      'Unmet needs per theme and commune in a month (searches and matches that found nothing, referrals declined for capacity, eligibility or area) against the supply there in that month (read hourly by the hub; the catalogue now for the current month), with the month before. Any member of an organisation; logged like the other statistics.',
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, ForbiddenError] },
    args: {
      month: t.arg.string({ description: 'YYYY-MM (Luxembourg); omitted: this month.' }),
      lang: t.arg({ type: LanguageEnum, description: 'Language of theme labels (else Accept-Language).' }),
    },
    resolve: (_root, { month, lang }, ctx) =>
      asStatisticsQuery(
        ctx,
        ctx.logger,
        ctx.viewer,
        { query: 'GAPS', format: 'GRAPHQL', from: null, to: null },
        () => networkGaps(ctx, month ?? monthOf(new Date()), askedLanguages(lang, ctx)),
      ),
  }),
);
