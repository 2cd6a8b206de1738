/**
 * Due dates count working days as an office in Luxembourg does: Monday to Friday in
 * Europe/Luxembourg, without Luxembourg's public holidays, at the same local time of day.
 * The instants are written in UTC; the comments give Luxembourg's wall clock.
 */
import { describe, expect, it } from '@jest/globals';
import {
  addWorkingDays,
  isWorkingDay,
  workingDaysBetween,
} from '../../src/modules/referrals/working-days.ts';

const due = (from: string, days: number) => addWorkingDays(new Date(from), days).toISOString();

describe('addWorkingDays', () => {
  it('counts Monday to Friday at the same local time; 0 days is the instant itself', () => {
    // Mon 2 March 2026 10:00 (CET) + 2 -> Wed 4 March 10:00
    expect(due('2026-03-02T09:00:00.000Z', 2)).toBe('2026-03-04T09:00:00.000Z');
    // Fri 6 March 16:30 + 1 -> Mon 9 March 16:30
    expect(due('2026-03-06T15:30:00.000Z', 1)).toBe('2026-03-09T15:30:00.000Z');
    // Sat 7 March + 1 -> Mon 9 March; + 5 -> Fri 13 March
    expect(due('2026-03-07T11:00:00.000Z', 1)).toBe('2026-03-09T11:00:00.000Z');
    expect(due('2026-03-07T11:00:00.000Z', 5)).toBe('2026-03-13T11:00:00.000Z');
    expect(due('2026-03-02T09:00:00.000Z', 0)).toBe('2026-03-02T09:00:00.000Z');
  });

  it.each([
    // [what, from, days, due]
    ['National Day (Tue 23 June 2026)', '2026-06-22T08:00:00.000Z', 1, '2026-06-24T08:00:00.000Z'],
    ['Europe Day (Fri 9 May 2025)', '2025-05-08T08:00:00.000Z', 1, '2025-05-12T08:00:00.000Z'],
    ['Easter Monday (6 April 2026)', '2026-04-03T08:00:00.000Z', 1, '2026-04-07T08:00:00.000Z'],
    ['Good Friday is a working day in Luxembourg', '2026-04-02T08:00:00.000Z', 1, '2026-04-03T08:00:00.000Z'],
    [
      'Christmas and St Stephen (Thu 25, Fri 26 Dec 2025)',
      '2025-12-24T09:00:00.000Z',
      1,
      '2025-12-29T09:00:00.000Z',
    ],
    ['New Year (Thu 1 Jan 2026)', '2025-12-31T09:00:00.000Z', 1, '2026-01-02T09:00:00.000Z'],
    ['Ascension (Thu 14 May 2026)', '2026-05-13T08:00:00.000Z', 1, '2026-05-15T08:00:00.000Z'],
    ['Whit Monday (25 May 2026)', '2026-05-22T08:00:00.000Z', 1, '2026-05-26T08:00:00.000Z'],
    ['Labour Day (Fri 1 May 2026)', '2026-04-30T08:00:00.000Z', 1, '2026-05-04T08:00:00.000Z'],
    [
      'Assumption on a Saturday (15 Aug 2026) adds no day',
      '2026-08-14T08:00:00.000Z',
      1,
      '2026-08-17T08:00:00.000Z',
    ],
    [
      'All Saints (Mon 1 Nov 2027), across the end of summer time',
      '2027-10-29T08:00:00.000Z',
      1,
      '2027-11-02T09:00:00.000Z',
    ],
    ['Christmas to New Year 2025, 6 days', '2025-12-22T09:00:00.000Z', 6, '2026-01-02T09:00:00.000Z'],
  ])('%s', (_what, from, days, expected) => {
    expect(due(from, days)).toBe(expected);
  });

  it('takes the day from Luxembourg’s clock, not UTC’s, near midnight', () => {
    // Fri 9 Jan 2026 23:30 UTC is Sat 10 Jan 00:30 in Luxembourg: + 1 -> Mon 12 Jan 00:30
    // (UTC's Friday + 1 would be Monday 23:30 UTC, a day later).
    expect(due('2026-01-09T23:30:00.000Z', 1)).toBe('2026-01-11T23:30:00.000Z');
    // Mon 22 June 2026 22:30 UTC is already National Day (Tue 23 June 00:30, CEST):
    // + 1 -> Wed 24 June 00:30 (UTC's Monday + 1 would land on the holiday).
    expect(due('2026-06-22T22:30:00.000Z', 1)).toBe('2026-06-23T22:30:00.000Z');
  });

  it('keeps the local time across a change to or from summer time', () => {
    // Fri 27 March 2026 10:00 CET + 1 -> Mon 30 March 10:00 CEST
    expect(due('2026-03-27T09:00:00.000Z', 1)).toBe('2026-03-30T08:00:00.000Z');
    // Fri 23 Oct 2026 10:00 CEST + 1 -> Mon 26 Oct 10:00 CET
    expect(due('2026-10-23T08:00:00.000Z', 1)).toBe('2026-10-26T09:00:00.000Z');
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => addWorkingDays(new Date(), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(), 1.5)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-06-23T10:00:00Z', false], // National Day
    ['2026-06-24T10:00:00Z', true],
    ['2026-06-22T22:30:00Z', false], // 00:30 on National Day in Luxembourg
    ['2026-05-09T10:00:00Z', false], // Saturday (and Europe Day)
    ['2025-05-09T10:00:00Z', false], // Europe Day on a Friday
    ['2025-12-25T10:00:00Z', false],
    ['2025-12-24T10:00:00Z', true],
  ])('%s: %s', (at, expected) => {
    expect(isWorkingDay(new Date(at))).toBe(expected);
  });
});

describe('workingDaysBetween', () => {
  const between = (from: string, to: string) => workingDaysBetween(new Date(from), new Date(to));

  it('is the inverse of addWorkingDays', () => {
    const starts = ['2026-03-06T15:30:00.000Z', '2026-03-07T11:00:00.000Z', '2025-12-24T09:00:00.000Z'];
    for (const from of starts)
      for (const days of [0, 1, 2, 5, 17, 60])
        expect(workingDaysBetween(new Date(from), addWorkingDays(new Date(from), days))).toBeCloseTo(days, 9);
  });

  it('counts parts of days on the wall clock, and never goes below 0', () => {
    // Fri 6 March 16:30 -> Mon 9 March 10:30: a quarter of a day short of one working day
    expect(between('2026-03-06T15:30:00.000Z', '2026-03-09T09:30:00.000Z')).toBeCloseTo(0.75, 9);
    // Mon 9:00 -> Mon 15:00 the same day
    expect(between('2026-03-02T08:00:00.000Z', '2026-03-02T14:00:00.000Z')).toBeCloseTo(0.25, 9);
    // Sat -> Sun: nothing worked
    expect(between('2026-03-07T11:00:00.000Z', '2026-03-08T09:00:00.000Z')).toBe(0);
    expect(between('2026-03-09T11:00:00.000Z', '2026-03-02T09:00:00.000Z')).toBe(0);
    // Across summer time (Sun 29 March 2026): Fri 27 10:00 CET -> Mon 30 10:00 CEST is one day
    expect(between('2026-03-27T09:00:00.000Z', '2026-03-30T08:00:00.000Z')).toBeCloseTo(1, 9);
    // Across Easter Monday (6 April 2026): Fri 3 -> Tue 7 at the same hour is one day
    expect(between('2026-04-03T08:00:00.000Z', '2026-04-07T08:00:00.000Z')).toBeCloseTo(1, 9);
  });
});
