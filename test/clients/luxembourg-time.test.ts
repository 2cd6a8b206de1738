/**
 * The console's wall-clock helpers (`clients/web/src/i18n/luxembourg-time.ts`): a time on
 * Luxembourg's clock and the instant it names, both ways, in winter, in summer and on the two days
 * the clocks change, whatever the machine's own zone.
 */
import { describe, expect, it } from '@jest/globals';
import {
  fromLuxembourgDayAndTime,
  luxembourgDayAndTime,
} from '../../clients/web/src/i18n/luxembourg-time.ts';

describe('Luxembourg wall-clock time', () => {
  it('reads an instant as Luxembourg’s clock shows it', () => {
    expect(luxembourgDayAndTime('2022-11-24T13:00:00.000Z')).toEqual({ day: '2022-11-24', time: '14:00' });
    expect(luxembourgDayAndTime('2026-07-01T12:30:00.000Z')).toEqual({ day: '2026-07-01', time: '14:30' });
    // Half past eleven at night in UTC is the next day in Luxembourg.
    expect(luxembourgDayAndTime('2026-07-01T22:30:00.000Z')).toEqual({ day: '2026-07-02', time: '00:30' });
  });

  it('gives the instant of a day and time on Luxembourg’s clock, across both clock changes', () => {
    const at = (day: string, time: string) => fromLuxembourgDayAndTime(day, time)?.toISOString();
    expect(at('2022-11-24', '14:30')).toBe('2022-11-24T13:30:00.000Z');
    expect(at('2026-07-01', '14:30')).toBe('2026-07-01T12:30:00.000Z');
    // 29 March 2026: 02:00 becomes 03:00; before and after the change.
    expect(at('2026-03-29', '01:30')).toBe('2026-03-29T00:30:00.000Z');
    expect(at('2026-03-29', '03:30')).toBe('2026-03-29T01:30:00.000Z');
    // 25 October 2026: 03:00 becomes 02:00 again; the afternoon is in winter time.
    expect(at('2026-10-25', '14:00')).toBe('2026-10-25T13:00:00.000Z');
    expect(at('2026-10-24', '14:00')).toBe('2026-10-24T12:00:00.000Z');
  });

  it('round-trips every quarter hour of a year', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 15 * 60 * 1000) {
      const { day, time } = luxembourgDayAndTime(new Date(t).toISOString());
      const back = fromLuxembourgDayAndTime(day, time)!.getTime();
      // The hour repeated in October reads the same twice: either instant is that wall time.
      if (back !== t) expect(Math.abs(back - t)).toBe(3600 * 1000);
    }
  });

  it('refuses what is not a day or a time', () => {
    expect(fromLuxembourgDayAndTime('24/11/2022', '14:30')).toBeNull();
    expect(fromLuxembourgDayAndTime('2022-11-24', '2pm')).toBeNull();
  });
});
