/**
 * Schedules expanded as residents read them (src/modules/welcome/guide-week.ts): known weeks of
 * Luxembourg's calendar (1 May, Ascension, Christmas, Good Friday, the summer-time changes of
 * 2026), closures, monthly and bounded entries. Pure: no database.
 */
import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  cancelledDates,
  closureSet,
  entrySlots,
  mondayOf,
  occurrences,
  publicHolidays,
  readSlots,
  slotFallsOn,
  weekTimetable,
  type Slot,
} from '../../src/modules/welcome/guide-week.ts';

const weekly = (byday: string[], opensAt: string, closesAt: string, extra: object = {}) => ({
  freq: 'WEEKLY',
  byday,
  opensAt,
  closesAt,
  ...extra,
});
const EVERY_DAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const slots = (...entries: object[]): Slot[] => readSlots(entries);

describe('reading schedules', () => {
  it('keeps valid entries, drops malformed ones, and reads translated descriptions', () => {
    const read = readSlots([
      weekly(['WE', 'MO'], '09:00', '12:00', {
        description: [
          { language: 'fr', text: 'Sans inscription' },
          { language: 'ar', text: 'بدون تسجيل' },
        ],
      }),
      weekly(['XX'], '09:00', '12:00'),
      weekly(['MO'], '14:00', '13:00'),
      { freq: 'DAILY', byday: ['MO'], opensAt: '09:00', closesAt: '10:00' },
      'garbage',
    ]);
    expect(read).toEqual([
      {
        freq: 'WEEKLY',
        weekdays: [1, 3],
        opensAt: '09:00',
        closesAt: '12:00',
        description: { fr: 'Sans inscription', ar: 'بدون تسجيل' },
      },
    ]);
    expect(readSlots(null)).toEqual([]);
  });

  it("prefers the entry's own schedule, else narrows the offer's to the agreed weekday", () => {
    const offerSchedule = [weekly(['MO', 'TU', 'WE'], '09:00', '12:00'), weekly(['TH'], '14:00', '16:00')];
    const own = entrySlots({ schedule: [weekly(['FR'], '10:00', '11:00')], weekday: 2, offerSchedule });
    expect(own.source).toBe('ENTRY');
    expect(own.slots.map((s) => s.weekdays)).toEqual([[5]]);

    const agreed = entrySlots({ schedule: null, weekday: 2, offerSchedule });
    expect(agreed.source).toBe('OFFER');
    expect(agreed.slots).toHaveLength(1);
    expect(agreed.slots[0]).toMatchObject({ weekdays: [2], opensAt: '09:00' });

    // A day the offer does not open on: the offer's whole schedule rather than nothing.
    const elsewhere = entrySlots({ schedule: [], weekday: 6, offerSchedule });
    expect(elsewhere.slots.map((s) => s.weekdays)).toEqual([[1, 2, 3], [4]]);
  });
});

describe('the week of 1 May 2026', () => {
  const morning = slots(weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '09:00', '12:00'));
  const afternoon = slots(weekly(['FR', 'MO'], '14:00', '16:00'));
  const early = slots(weekly(['FR'], '08:30', '09:30'));

  it('runs Monday to Sunday, sorted by time, with Labour Day cancelled', () => {
    const week = weekTimetable(
      [
        { key: 'afternoon', slots: afternoon, closures: [] },
        { key: 'morning', slots: morning, closures: [] },
        { key: 'early', slots: early, closures: [] },
      ],
      '2026-04-29',
    );
    expect(week.map((d) => d.date)).toEqual([
      '2026-04-27',
      '2026-04-28',
      '2026-04-29',
      '2026-04-30',
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
    ]);
    expect(week.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const friday = week[4]!;
    expect(friday.holiday).toBe('1er mai');
    expect(friday.slots.map((s) => [s.key, s.opensAt])).toEqual([
      ['early', '08:30'],
      ['morning', '09:00'],
      ['afternoon', '14:00'],
    ]);
    expect(friday.slots.every((s) => s.cancelled?.kind === 'HOLIDAY')).toBe(true);
    const monday = week[0]!;
    expect(monday.holiday).toBeNull();
    expect(monday.slots.map((s) => [s.key, s.cancelled])).toEqual([
      ['morning', null],
      ['afternoon', null],
    ]);
    expect(week[5]!.slots).toEqual([]);
  });

  it('names holidays in the languages date-holidays has for Luxembourg', () => {
    expect(publicHolidays(2026, 'de').get('2026-05-01')).toBe('Tag der Arbeit');
    expect(publicHolidays(2026, 'fr').get('2026-05-14')).toBe('Ascension');
  });
});

describe('Luxembourg public holidays and closures', () => {
  const daily = slots(weekly(EVERY_DAY, '10:00', '12:00'));

  it('cancels Christmas and St Stephen, not Christmas Eve', () => {
    const days = occurrences(daily, [], '2026-12-24', '2026-12-27');
    expect(days.map((o) => [o.date, o.cancelled?.kind ?? null])).toEqual([
      ['2026-12-24', null],
      ['2026-12-25', 'HOLIDAY'],
      ['2026-12-26', 'HOLIDAY'],
      ['2026-12-27', null],
    ]);
  });

  it('keeps Good Friday (an observance, not a public holiday) and cancels Easter Monday', () => {
    const days = occurrences(daily, [], '2026-04-03', '2026-04-06');
    expect(days.map((o) => [o.date, o.cancelled?.kind ?? null])).toEqual([
      ['2026-04-03', null],
      ['2026-04-04', null],
      ['2026-04-05', null],
      ['2026-04-06', 'HOLIDAY'],
    ]);
  });

  it("cancels the entry's closures; a holiday that is also a closure says holiday", () => {
    const days = occurrences(daily, ['2026-06-22', '2026-06-23', 'not-a-date'], '2026-06-21', '2026-06-24');
    expect(days.map((o) => [o.date, o.cancelled?.kind ?? null])).toEqual([
      ['2026-06-21', null],
      ['2026-06-22', 'CLOSURE'],
      ['2026-06-23', 'HOLIDAY'],
      ['2026-06-24', null],
    ]);
  });

  it('lists a year of cancelled dates from the holidays and closures alone', () => {
    const mondays = slots(weekly(['MO'], '09:00', '11:00'))[0]!;
    const cancelled = cancelledDates(mondays, ['2026-09-14', '2026-09-15'], '2026-01-01', '2026-12-31');
    // Easter Monday, Whit Monday and the closure on a Monday; the Tuesday closure is no Monday.
    expect(cancelled.map((e) => [e.date, e.kind])).toEqual([
      ['2026-04-06', 'HOLIDAY'],
      ['2026-05-25', 'HOLIDAY'],
      ['2026-09-14', 'CLOSURE'],
    ]);
    const everyDay = daily[0]!;
    const all = cancelledDates(everyDay, [], '2026-01-01', '2026-12-31').map((e) => e.date);
    expect(all).toEqual([...publicHolidays(2026).keys()].sort());
    expect(all).toHaveLength(11);
  });
});

describe('Luxembourg wall-clock time across summer time', () => {
  const daily = slots(weekly(EVERY_DAY, '10:00', '11:30'));

  it('keeps 10:00 on the clock when summer time begins (29 March 2026)', () => {
    const [saturday, sunday] = occurrences(daily, [], '2026-03-28', '2026-03-29');
    expect(saturday!.start.toISOString()).toBe('2026-03-28T09:00:00.000Z');
    expect(sunday!.start.toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(sunday!.end.toISOString()).toBe('2026-03-29T09:30:00.000Z');
  });

  it('keeps 10:00 on the clock when summer time ends (25 October 2026)', () => {
    const [saturday, sunday] = occurrences(daily, [], '2026-10-24', '2026-10-25');
    expect(saturday!.start.toISOString()).toBe('2026-10-24T08:00:00.000Z');
    expect(sunday!.start.toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });

  it('places the week of the change on its Monday', () => {
    expect(mondayOf('2026-03-29')).toBe('2026-03-23');
    expect(mondayOf('2026-03-23')).toBe('2026-03-23');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });
});

describe('monthly and bounded entries', () => {
  it('reads MONTHLY weekdays as the first such weekday of the month', () => {
    const monthly = slots({ freq: 'MONTHLY', byday: ['MO', 'TH'], opensAt: '18:00', closesAt: '20:00' });
    const dates = occurrences(monthly, [], '2026-05-01', '2026-06-30').map((o) => o.date);
    // 4 May is the first Monday, 7 May the first Thursday; in June the 1st and the 4th.
    expect(dates).toEqual(['2026-05-04', '2026-05-07', '2026-06-01', '2026-06-04']);
    const week = weekTimetable([{ key: 'm', slots: monthly, closures: [] }], '2026-05-11');
    expect(week.flatMap((d) => d.slots)).toEqual([]);
    const first = weekTimetable([{ key: 'm', slots: monthly, closures: [] }], '2026-05-04');
    expect(first.flatMap((d) => d.slots.map((s) => [s.date, s.monthly]))).toEqual([
      ['2026-05-04', true],
      ['2026-05-07', true],
    ]);
  });

  it('respects validFrom and validTo', () => {
    const summer = slots(
      weekly(['WE'], '14:00', '17:00', { validFrom: '2026-07-08', validTo: '2026-07-22' }),
    );
    expect(occurrences(summer, [], '2026-07-01', '2026-07-31').map((o) => o.date)).toEqual([
      '2026-07-08',
      '2026-07-15',
      '2026-07-22',
    ]);
    expect(slotFallsOn(summer[0]!, '2026-07-29')).toBe(false);
  });
});

describe('calendar arithmetic (remembered per date string)', () => {
  it('adds days across months, leap days and years, both ways', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(addDays('1970-01-05', -10)).toBe('1969-12-26');
  });

  it('finds Mondays on either side of 1970 and on Sundays', () => {
    expect(mondayOf('1970-01-01')).toBe('1969-12-29');
    expect(mondayOf('1969-12-28')).toBe('1969-12-22');
    expect(mondayOf('1900-03-01')).toBe('1900-02-26');
    expect(mondayOf('2026-05-03')).toBe('2026-04-27');
    expect(mondayOf('2028-03-05')).toBe('2028-02-28');
  });

  it('refuses what is not a date, every time it is asked', () => {
    for (const bad of ['2026-02-29', '2026-04-31', '2026-13-01', '2026-1-01', ' 2026-04-01', 'tomorrow']) {
      expect(() => addDays(bad, 1)).toThrow(RangeError);
      expect(() => mondayOf(bad)).toThrow(RangeError);
    }
    expect([...closureSet(['2026-02-29', '2026-03-01', 'x', '2026-03-01'])]).toEqual(['2026-03-01']);
  });

  it('reads the day of the month for MONTHLY entries from the date itself', () => {
    const firstSunday = slots({ freq: 'MONTHLY', byday: ['SU'], opensAt: '10:00', closesAt: '11:00' })[0]!;
    expect(slotFallsOn(firstSunday, '2026-03-01')).toBe(true);
    expect(slotFallsOn(firstSunday, '2026-03-08')).toBe(false);
    expect(slotFallsOn(firstSunday, '2026-11-01')).toBe(true);
    expect(() => slotFallsOn(firstSunday, '2026-02-31')).toThrow(RangeError);
  });
});
