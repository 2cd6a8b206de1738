/**
 * The network page's periods: a calendar month, or the last 12 full months, with their
 * boundaries at midnight in Luxembourg (as the hub counts months). In the address as
 * `?period=YYYY-MM` or `?period=12m`; without one, the last full month.
 */
import { luxembourgAsUtc, luxembourgInstant } from '../../i18n/luxembourg-time.ts';

/** How many months back the picker offers. */
export const MONTHS_BACK = 24;
export const LAST_12 = '12m';

export interface Period {
  /** `YYYY-MM`, or `12m`. */
  key: string;
  /** [from, to), ISO 8601. */
  from: string;
  to: string;
  /** The month the unmet needs and the monthly report are about (the period's last full one). */
  month: string;
}

const parse = (month: string): [number, number] => [+month.slice(0, 4), +month.slice(5, 7)];
const format = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: string, n: number): string {
  const [y, m] = parse(month);
  const index = y * 12 + (m - 1) + n;
  return format(Math.floor(index / 12), (index % 12) + 1);
}

/** The month it is in Luxembourg at `now`. */
export function monthAt(now: Date): string {
  const wall = new Date(luxembourgAsUtc(now.getTime()));
  return format(wall.getUTCFullYear(), wall.getUTCMonth() + 1);
}

/** Midnight on the month's first day in Luxembourg. */
export function monthStart(month: string): Date {
  const [y, m] = parse(month);
  return luxembourgInstant(Date.UTC(y, m - 1, 1));
}

/** The months the picker offers: this one (in progress), then back MONTHS_BACK. */
export function offeredMonths(now: Date): string[] {
  const current = monthAt(now);
  return Array.from({ length: MONTHS_BACK + 1 }, (_, i) => addMonths(current, -i));
}

/** The period named in the address (`YYYY-MM` among the offered months, or `12m`), else the last full month. */
export function periodOf(key: string | null, now: Date): Period {
  const current = monthAt(now);
  const last = addMonths(current, -1);
  if (key === LAST_12) {
    return {
      key,
      from: monthStart(addMonths(current, -12)).toISOString(),
      to: monthStart(current).toISOString(),
      month: last,
    };
  }
  const month = key && offeredMonths(now).includes(key) ? key : last;
  return {
    key: month,
    from: monthStart(month).toISOString(),
    to: monthStart(addMonths(month, 1)).toISOString(),
    month,
  };
}

/** "novembre 2026" in the user's language. */
export function monthName(month: string, tag: string): string {
  const [y, m] = parse(month);
  return new Intl.DateTimeFormat(tag, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 15)),
  );
}
