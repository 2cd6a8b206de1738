/**
 * Working days as an office in Luxembourg counts them: Monday to Friday on Luxembourg's clock
 * (Europe/Luxembourg, summer time included), without Luxembourg's public holidays as
 * `date-holidays` lists them (New Year, Easter Monday, 1 May, Europe Day, Ascension, Whit Monday,
 * National Day, Assumption, All Saints, Christmas, St Stephen). Days it lists as mere observances
 * (Good Friday, Easter Sunday) are working days. A holiday on a weekend adds no day off (the
 * compensatory day the law gives employees is theirs, not the office's).
 */
import Holidays from 'date-holidays';

/** The time zone whose calendar and clock due dates follow. */
export const WORKING_DAYS_TIME_ZONE = 'Europe/Luxembourg';

const calendar = new Holidays('LU');
/** Public holidays by year, as local dates `YYYY-MM-DD`. */
const holidaysByYear = new Map<number, Set<string>>();

function publicHolidays(year: number): Set<string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    days = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidaysByYear.set(year, days);
  }
  return days;
}

const clock = new Intl.DateTimeFormat('en-US', {
  timeZone: WORKING_DAYS_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Luxembourg's wall clock at `at`, written as if it were UTC (same fields, milliseconds kept). */
function wallClock(at: number): number {
  const part: Record<string, number> = {};
  for (const p of clock.formatToParts(at)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  const ms = ((at % 1000) + 1000) % 1000;
  return Date.UTC(part.year!, part.month! - 1, part.day, part.hour, part.minute, part.second, ms);
}

/** The instant at which Luxembourg's wall clock shows `wall` (written as UTC). */
function fromWallClock(wall: number): number {
  // Luxembourg is ahead of UTC: guess with the offset at `wall`, then correct once with the offset
  // at the guess (enough where summer time begins or ends; that is on a Sunday, never a due day).
  const guess = wall - (wallClock(wall) - wall);
  return wall - (wallClock(guess) - guess);
}

/** A wall-clock day (UTC midnight of the local date) is Monday–Friday and no public holiday. */
function isWorkingWallDay(day: Date): boolean {
  const weekday = day.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(day.getUTCFullYear()).has(day.toISOString().slice(0, 10));
}

/** True when `at` falls on a working day in Luxembourg (its local date, not UTC's). */
export function isWorkingDay(at: Date): boolean {
  return isWorkingWallDay(new Date(wallClock(at.getTime())));
}

/**
 * `from` plus `days` working days, at the same Luxembourg wall-clock time: sent on Friday at 16:00,
 * one working day is Monday at 16:00 (Tuesday when Monday is a holiday). From a weekend or a
 * holiday, the first working day after it counts as the first day.
 */
export function addWorkingDays(from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a non-negative integer');
  if (days === 0) return new Date(from);
  const wall = new Date(wallClock(from.getTime()));
  let left = days;
  while (left > 0) {
    wall.setUTCDate(wall.getUTCDate() + 1);
    if (isWorkingWallDay(wall)) left--;
  }
  return new Date(fromWallClock(wall.getTime()));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Working days from `from` to `to`, as due dates count them (the inverse of `addWorkingDays`):
 * the working days after `from`'s local date up to `to`'s, plus the difference of their
 * wall-clock times as a fraction of a day. Sent on Friday at 16:00 and answered on Monday at
 * 10:00 is 0.75; at 16:00, 1. Never negative (an answer on the weekend of a Saturday's sending
 * is 0).
 */
export function workingDaysBetween(from: Date, to: Date): number {
  const a = wallClock(from.getTime());
  const b = wallClock(to.getTime());
  if (b <= a) return 0;
  const dayA = Math.floor(a / DAY_MS);
  const dayB = Math.floor(b / DAY_MS);
  let days = 0;
  const wall = new Date(dayA * DAY_MS);
  for (let d = dayA + 1; d <= dayB; d++) {
    wall.setTime(d * DAY_MS);
    if (isWorkingWallDay(wall)) days++;
  }
  const fraction = (b - dayB * DAY_MS - (a - dayA * DAY_MS)) / DAY_MS;
  return Math.max(0, days + fraction);
}
