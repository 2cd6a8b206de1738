/**
 * Disclosure control for referral statistics: no published number, nor any sum, difference or
 * bound of published numbers in one answer, may tell how many referrals (1 to 4) are behind a
 * count shown as "< 5". `test/referrals/referral-stats-disclosure.test.ts` checks this
 * exhaustively over small tables (every count shown as "< 5" stays free to be any of 1–4).
 *
 * The rules:
 *
 * 1. **Small counts are suppressed**: 1–4 is published as "< 5" (`value` null). 0 is published
 *    as 0: "nobody" points at no one.
 * 2. **Every other count is rounded to the nearest multiple of 5** (5–7 → 5, 8–12 → 10, …), so
 *    that subtracting published numbers from each other (a theme's completed referrals minus
 *    the COMPLETED of one side…) gives a range as wide as "< 5" itself, not one value.
 * 3. **A total says nothing about its small parts.** A flow's total (= Σ statuses) and DECLINED
 *    (= Σ decline reasons) are not the rounding of the exact sum: they are the rounding of the
 *    exact sum of the parts shown as numbers plus 2.5 (the middle of 1–4) for each part shown as
 *    "< 5". Total minus the other parts then gives nothing but what "< 5" already says, whatever
 *    the numbers (rounding the exact sum instead gives a small part away at the edges: "< 5" +
 *    "< 5" = 10 can only be 4 + 4). The price: before rounding, such a total is off the exact
 *    total by up to 1.5 per small part. No total is ever withheld (withholding a total only when
 *    it would give a part away tells, by being done, that it would have).
 * 4. **A small total hides its whole breakdown**: when a flow's total is 1–4, every status and
 *    every decline reason is "< 5", zeros included (otherwise "< 5 referrals, all COMPLETED" tells
 *    what happened to each of them); when DECLINED is 1–4, every decline reason is.
 * 5. **Theme rows** (sent, received, declined, completed; declined + completed ≤ sent +
 *    received): when a side is suppressed, declined and completed are withheld ("hidden",
 *    whatever their value); when declined or completed is suppressed, the other is withheld. A
 *    row thus never bounds a suppressed number by the others.
 *
 * Medians are published only over 5 referrals or more (see the service).
 *
 * What this does not prove: bounds across tables (a theme's completed referrals against the
 * COMPLETED of the two sides) are left to the rounding, not checked exhaustively. What this does
 * not stop: answers for overlapping periods can be subtracted from each other (1–31 January minus
 * 2–31 January). The minimum period and the rounding blunt it; the log line of every request (who
 * asked, for what) is the control for the rest.
 */

/** The smallest count published as a number. */
export const MIN_PUBLISHED_COUNT = 5;
/** Counts from MIN_PUBLISHED_COUNT on are rounded to a multiple of this. */
export const ROUNDING_BASE = 5;
/** What a part shown as "< 5" adds to its total (the middle of 1–4). */
const SMALL_IN_TOTAL = 2.5;

/** Printed for a suppressed small count (1–4, or 0–4 inside a small total's breakdown). */
export const SMALL = '< 5';
/** Printed for a number withheld to protect a small number next to it (any value). */
export const HIDDEN = 'hidden';

/** A count as an answer shows it. */
export interface PublishedCount {
  /** Rounded to a multiple of 5 (0 exactly); null when suppressed. */
  value: number | null;
  /** What to print: the value, "< 5" or "hidden". */
  display: string;
  suppressed: boolean;
}

const ZERO: PublishedCount = { value: 0, display: '0', suppressed: false };
const SMALL_COUNT: PublishedCount = { value: null, display: SMALL, suppressed: true };
const HIDDEN_COUNT: PublishedCount = { value: null, display: HIDDEN, suppressed: true };

const rounded = (x: number): PublishedCount => {
  const value = Math.round(x / ROUNDING_BASE) * ROUNDING_BASE;
  return { value, display: String(value), suppressed: false };
};

/** Rules 1 and 2 for one count. */
export function publishCount(n: number): PublishedCount {
  if (n === 0) return ZERO;
  if (n < MIN_PUBLISHED_COUNT) return SMALL_COUNT;
  return rounded(n);
}

const sum = (ns: readonly number[]) => ns.reduce((s, n) => s + n, 0);

/**
 * Rule 3: what a total (≥ 5) is published from: the parts shown as numbers, exactly, and 2.5 for
 * each part shown as "< 5", never the latter's values.
 */
const totalBasis = (parts: readonly number[]) =>
  sum(parts.map((n) => (n === 0 ? 0 : n < MIN_PUBLISHED_COUNT ? SMALL_IN_TOTAL : n)));

const publishTotal = (basis: number) => rounded(Math.max(basis, MIN_PUBLISHED_COUNT));

/**
 * Rule 3 alone, for a sum of counts each published in the same answer, where a part may belong
 * to other sums too (a row and a column total of the flows' matrix): the rounding of the parts
 * shown as numbers plus 2.5 for each part shown as "< 5" — never from the exact sum, even when it
 * is small (a row total "< 5" over two parts of "< 5" would say that neither is 4). 0 when every
 * part is 0; "< 5" when the only part that is not 0 is itself "< 5" (the total is that part).
 */
export function publishSum(parts: readonly number[]): PublishedCount {
  const nonZero = parts.filter((n) => n !== 0);
  if (nonZero.length === 0) return ZERO;
  if (nonZero.length === 1 && nonZero[0]! < MIN_PUBLISHED_COUNT) return SMALL_COUNT;
  return publishTotal(totalBasis(parts));
}

export interface PublishedFlow {
  total: PublishedCount;
  statuses: PublishedCount[];
  reasons: PublishedCount[];
}

/**
 * Rules 1–4 for one flow: its statuses (summing to its total) and, for the status at
 * `declinedAt`, the decline reasons summing to it.
 */
export function publishFlow(statuses: number[], declinedAt: number, reasons: number[]): PublishedFlow {
  const declined = statuses[declinedAt];
  if (declined === undefined || declined !== sum(reasons))
    throw new Error('publishFlow: the decline reasons must sum to the DECLINED status');
  const total = sum(statuses);
  if (total === 0)
    return { total: ZERO, statuses: statuses.map(() => ZERO), reasons: reasons.map(() => ZERO) };
  if (total < MIN_PUBLISHED_COUNT)
    return {
      total: SMALL_COUNT,
      statuses: statuses.map(() => SMALL_COUNT),
      reasons: reasons.map(() => SMALL_COUNT),
    };

  const declinedShown = declined >= MIN_PUBLISHED_COUNT;
  const published = statuses.map(publishCount);
  // DECLINED is published from its reasons, and counts in the total as it is published from.
  const declinedBasis = totalBasis(reasons);
  if (declinedShown) published[declinedAt] = publishTotal(declinedBasis);
  const others = totalBasis(statuses.filter((_, i) => i !== declinedAt));
  const declinedInTotal = declinedShown ? declinedBasis : totalBasis([declined]);
  return {
    total: publishTotal(others + declinedInTotal),
    statuses: published,
    reasons: declinedShown ? reasons.map(publishCount) : reasons.map(() => publishCount(declined)),
  };
}

export interface ThemeCounts<T> {
  sent: T;
  received: T;
  declined: T;
  completed: T;
}

/** Rules 1, 2 and 5 for one theme row. */
export function publishThemeRow(row: ThemeCounts<number>): ThemeCounts<PublishedCount> {
  const sent = publishCount(row.sent);
  const received = publishCount(row.received);
  let declined = publishCount(row.declined);
  let completed = publishCount(row.completed);
  if (sent.suppressed || received.suppressed) {
    declined = HIDDEN_COUNT;
    completed = HIDDEN_COUNT;
  } else if (declined.suppressed || completed.suppressed) {
    if (!declined.suppressed) declined = HIDDEN_COUNT;
    if (!completed.suppressed) completed = HIDDEN_COUNT;
  }
  return { sent, received, declined, completed };
}
