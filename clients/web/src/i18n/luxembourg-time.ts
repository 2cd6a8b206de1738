/**
 * Wall-clock time in Luxembourg, where the network's events and months happen, whatever the
 * browser's own zone: an instant read as Luxembourg's clock shows it, and a time on Luxembourg's
 * clock as the instant it names.
 */

export const LUXEMBOURG = 'Europe/Luxembourg';

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: LUXEMBOURG,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock time in Luxembourg at `at`, read as if it were UTC (ms). */
export function luxembourgAsUtc(at: number): number {
  const p = Object.fromEntries(wallClock.formatToParts(at).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
}

/** The instant at which Luxembourg's clock shows `wall` (a wall-clock time written as UTC, ms). */
export function luxembourgInstant(wall: number): Date {
  // The zone's offset at that instant; once more in case the first guess fell across a change.
  let at = wall - (luxembourgAsUtc(wall) - wall);
  at = wall - (luxembourgAsUtc(at) - at);
  return new Date(at);
}

/** `YYYY-MM-DD` and `HH:MM` of an instant on Luxembourg's clock (for date and time inputs). */
export function luxembourgDayAndTime(iso: string): { day: string; time: string } {
  const wall = new Date(luxembourgAsUtc(Date.parse(iso))).toISOString();
  return { day: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** The instant of a day (`YYYY-MM-DD`) and time (`HH:MM`) on Luxembourg's clock, or null if malformed. */
export function fromLuxembourgDayAndTime(day: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  return luxembourgInstant(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, +t[1]!, +t[2]!));
}
