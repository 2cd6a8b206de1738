/**
 * Attendance as counts only: how many residents took part in an entry's activity in a week. The
 * shelter's side, the guide's organisation or the provider record it (welcome.access.ts
 * `attendanceGuideItemsWhere`); recording a week again replaces its count and says who recorded
 * it last. Nobody sees anything finer than a count per entry and week.
 */
import type { GuideAttendance, GuideItemStatus, PrismaClient } from '../../generated/prisma/client.ts';
import {
  type FieldProblem,
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import {
  attendanceGuideItemsWhere,
  attendanceRecorderOrganisation,
  visibleGuideItemsWhere,
} from './welcome.access.ts';

/** Entries residents can take part in: agreed, standing, or ended (its past weeks). */
const ATTENDED_STATUSES: readonly GuideItemStatus[] = ['CONFIRMED', 'REGULAR', 'ENDED'];
export const MAX_WEEKLY_COUNT = 10_000;

/** Today's date in Luxembourg, YYYY-MM-DD. */
export function luxembourgToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Luxembourg' }).format(now);
}

/** The Monday of the week of a YYYY-MM-DD date, as YYYY-MM-DD. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** `weeks` weeks before the Monday of `day` (negative: after). */
export function addWeeks(monday: string, weeks: number): string {
  const d = new Date(`${monday}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 7 * weeks);
  return d.toISOString().slice(0, 10);
}

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** What is wrong with a week and a count, every problem at once (paths under `input`). */
export function attendanceProblems(weekStart: string, count: number, now = new Date()): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isDate(weekStart)) {
    problems.push({ path: ['input', 'weekStart'], message: 'must be a date as YYYY-MM-DD' });
  } else if (mondayOf(weekStart) !== weekStart) {
    problems.push({
      path: ['input', 'weekStart'],
      message: `must be a Monday (the week's is ${mondayOf(weekStart)})`,
    });
  } else if (weekStart > mondayOf(luxembourgToday(now))) {
    problems.push({
      path: ['input', 'weekStart'],
      message: 'must not be a week in the future',
      reason: 'FUTURE',
    });
  }
  if (!Number.isInteger(count))
    problems.push({ path: ['input', 'count'], message: 'must be a whole number' });
  else if (count < 0) problems.push({ path: ['input', 'count'], message: 'must not be below zero' });
  else if (count > MAX_WEEKLY_COUNT) {
    problems.push({ path: ['input', 'count'], message: `must be at most ${MAX_WEEKLY_COUNT}` });
  }
  return problems;
}

/**
 * Records how many residents took part in an entry in the week starting `weekStart` (a Monday,
 * not in the future). Recording the same week again replaces the count.
 */
export async function recordAttendance(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: { guideItemId: string; weekStart: string; count: number },
): Promise<GuideAttendance> {
  const problems = attendanceProblems(input.weekStart, input.count);
  if (problems.length > 0) throw new InvalidInputError(null, problems);
  const id = asUuid(input.guideItemId);
  const item = await prisma.guideItem.findFirst({
    where: { id, AND: [attendanceGuideItemsWhere(viewer)] },
    select: {
      id: true,
      status: true,
      providerOrganisationId: true,
      guide: {
        select: {
          organisationId: true,
          shelter: { select: { organisationId: true, partners: { select: { organisationId: true } } } },
        },
      },
    },
  });
  const organisationId = item ? attendanceRecorderOrganisation(viewer, item) : null;
  if (!item || !organisationId) {
    const seen = await prisma.guideItem.count({ where: { id, AND: [visibleGuideItemsWhere(viewer)] } });
    if (seen) throw new ForbiddenError('record attendance for this entry');
    throw new NotFoundError('guide entry');
  }
  if (!ATTENDED_STATUSES.includes(item.status)) {
    throw new InvalidTransitionError(
      `A guide entry that is ${item.status.toLowerCase()} has no attendance: the provider has not agreed to it.`,
      item.status,
    );
  }
  const weekStart = new Date(`${input.weekStart}T00:00:00Z`);
  const recorded = {
    count: input.count,
    recordedByOrganisationId: organisationId,
    recordedByUserId: viewer?.kind === 'user' ? viewer.userId : null,
    recordedAt: new Date(),
  };
  return prisma.guideAttendance.upsert({
    where: { guideItemId_weekStart: { guideItemId: item.id, weekStart } },
    create: { guideItemId: item.id, weekStart, ...recorded },
    update: recorded,
  });
}

export interface AttendanceTotal {
  guideItemId: string;
  total: number;
  weeksRecorded: number;
  lastWeekStart: Date | null;
}

/**
 * Per entry of a guide whose attendance the viewer reads, the total over the `weeks` weeks up to
 * this one; null when they read none (the public, outsiders).
 */
export async function attendanceSummary(
  prisma: PrismaClient,
  viewer: Viewer | null,
  guideId: string,
  weeks: number,
): Promise<{ from: string; to: string; items: AttendanceTotal[] } | null> {
  const items = await prisma.guideItem.findMany({
    where: { guideId, AND: [attendanceGuideItemsWhere(viewer)] },
    select: { id: true },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
  });
  if (items.length === 0) return null;
  const to = mondayOf(luxembourgToday());
  const from = addWeeks(to, -(weeks - 1));
  const groups = await prisma.guideAttendance.groupBy({
    by: ['guideItemId'],
    where: {
      guideItemId: { in: items.map((i) => i.id) },
      weekStart: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) },
    },
    _sum: { count: true },
    _count: { _all: true },
    _max: { weekStart: true },
  });
  const byItem = new Map(groups.map((g) => [g.guideItemId, g]));
  return {
    from,
    to,
    items: items.map(({ id }) => {
      const g = byItem.get(id);
      return {
        guideItemId: id,
        total: g?._sum.count ?? 0,
        weeksRecorded: g?._count._all ?? 0,
        lastWeekStart: g?._max.weekStart ?? null,
      };
    }),
  };
}
