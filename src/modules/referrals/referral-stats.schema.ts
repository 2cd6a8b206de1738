/**
 * referralStats: what a network coordinator needs to see the gaps. Counts and durations only,
 * never a person: counts come as `ReferralStatsCount` (1–4 suppressed as "< 5", others rounded to
 * 5, totals that give no small count away; see referral-stats.disclosure.ts). Hub admins read any
 * organisation's or the whole network's; an organisation's admins and case workers read their
 * organisation's; anyone else gets a ForbiddenError.
 */
import { builder } from '../../builder.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { HIDDEN, MIN_PUBLISHED_COUNT, ROUNDING_BASE, SMALL } from './referral-stats.disclosure.ts';
import {
  MAX_PERIOD_DAYS,
  MIN_PERIOD_DAYS,
  referralStats,
  type DeclineCount,
  type FlowStats,
  type PublishedCount,
  type ReferralStats,
  type StatusCount,
  type ThemeStats,
} from './referral-stats.service.ts';
import { DeclineReasonEnum, ReferralStatusEnum } from './referral.schema.ts';

export const CountRef = builder.objectRef<PublishedCount>('ReferralStatsCount').implement({
  description: `A count that cannot point at a person: 0 as 0, 1–${MIN_PUBLISHED_COUNT - 1} suppressed ("${SMALL}"), any other rounded to the nearest ${ROUNDING_BASE}. A total (a flow's total, DECLINED) counts each of its parts shown as "${SMALL}" as 2.5, so that subtracting the other parts gives none of them away; before rounding, it is off the exact total by up to 1.5 per such part.`,
  authScopes: { authenticated: true },
  fields: (t) => ({
    value: t.exposeInt('value', {
      nullable: true,
      description: `The count rounded to the nearest ${ROUNDING_BASE} (0 exactly); null when suppressed.`,
    }),
    display: t.exposeString('display', {
      description: `What to print: the value; "${SMALL}" (1–${MIN_PUBLISHED_COUNT - 1}, or 0–${MIN_PUBLISHED_COUNT - 1} in the breakdown of a total below ${MIN_PUBLISHED_COUNT}); or "${HIDDEN}" (withheld, whatever its value, so that a small count next to it cannot be worked out).`,
    }),
    suppressed: t.exposeBoolean('suppressed', { description: 'True when `value` is null.' }),
  }),
});

const count = <T extends { count: PublishedCount }>(c: T) => c.count;

const StatsStatusCount = builder.objectRef<StatusCount>('ReferralStatsStatusCount').implement({
  description: 'How many referrals of the period are now in this status.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    status: t.field({ type: ReferralStatusEnum, resolve: (c) => c.status }),
    count: t.field({ type: CountRef, resolve: count }),
  }),
});

export const DeclineCountRef = builder.objectRef<DeclineCount>('ReferralDeclineCount').implement({
  description: 'How many referrals of the period were declined for this reason.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    reason: t.field({
      type: DeclineReasonEnum,
      nullable: true,
      description: 'Null: declined without a coded reason.',
      resolve: (c) => c.reason,
    }),
    count: t.field({ type: CountRef, resolve: count }),
  }),
});

const FlowStatsRef = builder.objectRef<FlowStats>('ReferralFlowStats').implement({
  description: 'Referrals sent in the period, in one direction (sent by, or received by, the organisation).',
  authScopes: { authenticated: true },
  fields: (t) => ({
    total: t.field({ type: CountRef, resolve: (f) => f.total }),
    byStatus: t.field({
      type: [StatsStatusCount],
      description: 'Every status (0 included): where the period’s referrals are now.',
      resolve: (f) => f.byStatus,
    }),
    medianFirstAnswerHours: t.exposeFloat('medianFirstAnswerHours', {
      nullable: true,
      description: `Median hours (to 0.1) from sending to the first answer (acknowledge, accept or decline), over the referrals answered; null when fewer than ${MIN_PUBLISHED_COUNT} were.`,
    }),
    medianCompletionHours: t.exposeFloat('medianCompletionHours', {
      nullable: true,
      description: `Median hours (to 0.1) from sending to completion, over the COMPLETED referrals; null when fewer than ${MIN_PUBLISHED_COUNT} are.`,
    }),
    declines: t.field({
      type: [DeclineCountRef],
      description: 'Declined referrals by reason: every coded reason (0 included), then uncoded ones if any.',
      resolve: (f) => f.declines,
    }),
  }),
});

const ThemeStatsRef = builder.objectRef<ThemeStats>('ReferralThemeStats').implement({
  description: 'Referrals of the period with this need theme (as tagged; sub-themes are not rolled up).',
  authScopes: { authenticated: true },
  fields: (t) => ({
    // Loaded by the statistics' own statement; Pothos loads its parent or children if asked.
    theme: t.prismaField({ type: 'Theme', resolve: (_query, s) => s.theme }),
    sent: t.field({
      type: CountRef,
      description: 'Sent by the organisation (for the network: all).',
      resolve: (s) => s.sent,
    }),
    received: t.field({
      type: CountRef,
      description: 'Received by the organisation (for the network: all).',
      resolve: (s) => s.received,
    }),
    declined: t.field({
      type: CountRef,
      description: `Of these (either side), now DECLINED; "${HIDDEN}" when sent or received is suppressed, or completed is.`,
      resolve: (s) => s.declined,
    }),
    completed: t.field({
      type: CountRef,
      description: `Of these (either side), now COMPLETED; "${HIDDEN}" when sent or received is suppressed, or declined is.`,
      resolve: (s) => s.completed,
    }),
  }),
});

const ReferralStatsRef = builder.objectRef<ReferralStats>('ReferralStats').implement({
  description:
    'Statistics of the referrals sent in [from, to), counted in their current status. Counts only, never people.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    organisation: t.prismaField({
      type: 'Organisation',
      nullable: true,
      description: 'Null: the whole network.',
      resolve: (query, s, _args, ctx) =>
        s.organisationId
          ? ctx.prisma.organisation.findUnique({ ...query, where: { id: s.organisationId } })
          : null,
    }),
    from: t.field({ type: 'DateTime', resolve: (s) => s.from }),
    to: t.field({ type: 'DateTime', resolve: (s) => s.to }),
    sent: t.field({
      type: FlowStatsRef,
      description: 'Referrals the organisation sent (for the network: all).',
      resolve: (s) => s.sent,
    }),
    received: t.field({
      type: FlowStatsRef,
      description: 'Referrals the organisation received (for the network: all).',
      resolve: (s) => s.received,
    }),
    themes: t.field({
      type: [ThemeStatsRef],
      description: 'Need themes of these referrals, by code.',
      resolve: (s) => s.themes,
    }),
  }),
});

builder.queryField('referralStats', (t) =>
  t.field({
    type: ReferralStatsRef,
    nullable: true,
    description: `Referral statistics of one organisation (as sender and as receiver) or, for hub admins, of the whole network (organisationId omitted), over the referrals sent in [from, to) — at least ${MIN_PERIOD_DAYS} days (less an hour, for the change to summer time), at most ${MAX_PERIOD_DAYS}. Hub admins: any organisation; an organisation's admins and case workers: theirs. Counts cannot point at a person (see ReferralStatsCount); every request is logged with who asked.`,
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError] },
    args: {
      organisationId: t.arg.globalID({ for: [Organisation], description: 'Omitted: the whole network.' }),
      from: t.arg({ type: 'DateTime', required: true, description: 'Sent at or after.' }),
      to: t.arg({ type: 'DateTime', required: true, description: 'Sent before.' }),
    },
    resolve: (_root, args, ctx) =>
      referralStats(
        ctx.sql,
        ctx.viewer,
        { organisationId: args.organisationId?.id ?? null, from: args.from, to: args.to },
        ctx.logger,
      ),
  }),
);
