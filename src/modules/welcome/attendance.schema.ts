/**
 * Attendance in the API: `recordAttendance`, an entry's weekly series (`GuideItem.attendance`) and
 * a guide's totals (`Guide.attendanceSummary`). Counts only, never public: null for anyone
 * `attendanceGuideItemsWhere` (welcome.access.ts) does not name.
 */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { GuideAttendance } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
} from '../../shared/errors.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  addWeeks,
  attendanceSummary,
  luxembourgToday,
  MAX_WEEKLY_COUNT,
  mondayOf,
  recordAttendance,
  type AttendanceTotal,
} from './attendance.service.ts';
import { GuideItemNode, itemRule } from './guide-item.schema.ts';
import { attendanceGuideItemsWhere } from './welcome.access.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

const AttendanceWeek = builder.prismaObject('GuideAttendance', {
  description: 'How many residents took part in an entry’s activity in one week: a count, never who.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    weekStart: t.string({
      description: 'The Monday of the week (YYYY-MM-DD).',
      resolve: (a) => day(a.weekStart),
    }),
    count: t.exposeInt('count'),
    recordedBy: t.field({
      type: Organisation,
      description: 'The organisation that recorded the count last.',
      resolve: (a, _args, ctx) =>
        ctx.prisma.organisation.findUniqueOrThrow({ where: { id: a.recordedByOrganisationId } }),
    }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
  }),
});

const dateArg = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

builder.prismaObjectFields('GuideItem', (t) => ({
  attendance: t.field({
    type: [AttendanceWeek],
    nullable: true,
    description:
      'Residents who took part, per week from `from` to `to` (Mondays; by default the last 12 weeks): weeks with a count only. Null unless you may read it (the shelter’s side, the guide’s organisation, the provider).',
    args: {
      from: t.arg.string({ validate: dateArg }),
      to: t.arg.string({ validate: dateArg }),
    },
    resolve: async (item, args, ctx) => {
      const readable = await itemRule(ctx, 'attendance', (c) => attendanceGuideItemsWhere(c.viewer)).load(
        item.id,
      );
      if (!readable) return null;
      const to = args.to ?? mondayOf(luxembourgToday());
      const from = args.from ?? addWeeks(mondayOf(to), -11);
      return ctx.prisma.guideAttendance.findMany({
        where: {
          guideItemId: item.id,
          weekStart: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) },
        },
        orderBy: { weekStart: 'asc' },
      });
    },
  }),
}));

const AttendanceTotalRef = builder.objectRef<AttendanceTotal>('GuideItemAttendanceTotal').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({
    item: t.prismaField({
      type: 'GuideItem',
      resolve: (query, a, _args, ctx) =>
        ctx.prisma.guideItem.findUniqueOrThrow({ ...query, where: { id: a.guideItemId } }),
    }),
    total: t.exposeInt('total', {
      description: 'Residents who took part over the period (a sum of weekly counts).',
    }),
    weeksRecorded: t.exposeInt('weeksRecorded', { description: 'Weeks of the period with a count.' }),
    lastWeekStart: t.string({
      nullable: true,
      description: 'The latest week of the period with a count.',
      resolve: (a) => (a.lastWeekStart ? day(a.lastWeekStart) : null),
    }),
  }),
});

const AttendanceSummaryRef = builder
  .objectRef<{ from: string; to: string; items: AttendanceTotal[] }>('GuideAttendanceSummary')
  .implement({
    authScopes: { authenticated: true },
    fields: (t) => ({
      from: t.exposeString('from', { description: 'The first Monday of the period.' }),
      to: t.exposeString('to', { description: 'The last Monday of the period (this week).' }),
      items: t.field({ type: [AttendanceTotalRef], resolve: (s) => s.items }),
    }),
  });

builder.prismaObjectFields('Guide', (t) => ({
  attendanceSummary: t.field({
    type: AttendanceSummaryRef,
    nullable: true,
    description:
      'Which activities residents actually use: per entry whose attendance you may read, the total over the last `weeks` weeks. Null for the public and outsiders.',
    args: { weeks: t.arg.int({ defaultValue: 8, validate: z.number().int().min(1).max(104) }) },
    resolve: (guide, args, ctx) => attendanceSummary(ctx.prisma, ctx.viewer, guide.id, args.weeks ?? 8),
  }),
}));

const RecordAttendanceInput = builder.inputType('RecordAttendanceInput', {
  fields: (t) => ({
    guideItemId: t.globalID({ required: true, for: [GuideItemNode] }),
    weekStart: t.string({
      required: true,
      description: 'The Monday of the week (YYYY-MM-DD), not in the future.',
    }),
    count: t.int({ required: true, description: `Residents who took part (0 to ${MAX_WEEKLY_COUNT}).` }),
  }),
});

const AttendancePayload = builder
  .objectRef<{ attendance: GuideAttendance }>('RecordAttendancePayload')
  .implement({
    authScopes: { authenticated: true },
    fields: (t) => ({
      attendance: t.field({ type: AttendanceWeek, resolve: (p) => p.attendance }),
      item: t.prismaField({
        type: 'GuideItem',
        resolve: (query, p, _args, ctx) =>
          ctx.prisma.guideItem.findUniqueOrThrow({ ...query, where: { id: p.attendance.guideItemId } }),
      }),
    }),
  });

builder.mutationField('recordAttendance', (t) =>
  t.field({
    type: AttendancePayload,
    description:
      'Records how many residents took part in an entry’s activity in a week (recording the week again replaces the count).',
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError, InvalidTransitionError] },
    args: { input: t.arg({ type: RecordAttendanceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      attendance: await recordAttendance(ctx.prisma, ctx.viewer, {
        guideItemId: input.guideItemId.id,
        weekStart: input.weekStart,
        count: input.count,
      }),
    }),
  }),
);
