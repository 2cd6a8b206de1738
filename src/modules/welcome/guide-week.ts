/**
 * When the entries of a guide take place, as residents read it: schedules (an entry's own REGULAR
 * schedule, else its offer's, see catalogue/schedule.ts) expanded into a week timetable (Monday to
 * Sunday, sorted by time) and into dated occurrences, without Luxembourg's public holidays
 * (`date-holidays` LU, type `public`, as working-days.ts counts them) and the entry's closures.
 *
 * Everything is Luxembourg wall-clock time (Europe/Luxembourg): "10:00 on Sunday 29 March" is
 * 10:00 on the clock on the wall whether summer time began that night or not; the instants
 * (`start`, `end`) follow from it (Luxon does the time-zone arithmetic).
 *
 * A MONTHLY entry's plain weekdays (`byday: ['MO']`, no ordinal: the schedule has none yet) are
 * read as the first such weekday of each month, as iCalendar's `FREQ=MONTHLY;BYDAY=1MO`.
 *
 * Pure: no database, no clock (callers pass the dates).
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { scheduleEntry, WEEKDAYS } from '../catalogue/schedule.ts';
import { asTranslations, type Translations } from '../catalogue/translations.ts';

/** The clock and calendar of every guide. */
export const GUIDE_TIME_ZONE = 'Europe/Luxembourg';

export type Weekday = (typeof WEEKDAYS)[number];
/** ISO weekday: 1 Monday … 7 Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A recurring opening, read from a stored schedule entry. */
export interface Slot {
  freq: 'WEEKLY' | 'MONTHLY';
  weekdays: IsoWeekday[];
  /** 'HH:MM', Luxembourg wall clock. */
  opensAt: string;
  closesAt: string;
  /** 'YYYY-MM-DD', inclusive. */
  validFrom?: string;
  validTo?: string;
  description: Translations;
}

/** Why an occurrence does not take place. */
export type Exception = { kind: 'HOLIDAY'; date: string; name: string } | { kind: 'CLOSURE'; date: string };

export interface Occurrence {
  /** Index of the slot in the entry's schedule. */
  slot: number;
  /** 'YYYY-MM-DD', local. */
  date: string;
  weekday: IsoWeekday;
  opensAt: string;
  closesAt: string;
  start: Date;
  end: Date;
  /** Set when the occurrence is cancelled (public holiday first, then closure). */
  cancelled: Exception | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isoWeekday(code: Weekday): IsoWeekday {
  return (WEEKDAYS.indexOf(code) + 1) as IsoWeekday;
}

export function weekdayCode(day: IsoWeekday): Weekday {
  return WEEKDAYS[day - 1]!;
}

/** Schedule descriptions are stored as [{ language, text }] (schedule.ts); objects are read too. */
function readDescription(value: unknown): Translations {
  if (Array.isArray(value)) {
    return asTranslations(
      Object.fromEntries(
        value
          .filter((d): d is { language: unknown; text: unknown } => !!d && typeof d === 'object')
          .map((d) => [d.language, d.text]),
      ),
    );
  }
  return asTranslations(value);
}

/**
 * A stored schedule (JSON) as slots. Entries that do not pass schedule.ts's validation (a
 * hand-edited row, an old import) are left out rather than guessed.
 */
export function readSlots(value: unknown): Slot[] {
  if (!Array.isArray(value)) return [];
  const slots: Slot[] = [];
  for (const raw of value) {
    const parsed = scheduleEntry.safeParse(
      raw && typeof raw === 'object' ? { ...(raw as object), description: undefined } : raw,
    );
    if (!parsed.success) continue;
    const e = parsed.data;
    slots.push({
      freq: e.freq,
      weekdays: [...new Set(e.byday.map(isoWeekday))].sort((a, b) => a - b),
      opensAt: e.opensAt,
      closesAt: e.closesAt,
      ...(e.validFrom ? { validFrom: e.validFrom } : {}),
      ...(e.validTo ? { validTo: e.validTo } : {}),
      description: readDescription((raw as { description?: unknown }).description),
    });
  }
  return slots;
}

/** What an entry of a guide knows about its times. */
export interface EntryTimes {
  /** The entry's own schedule (a REGULAR arrangement), JSON as stored. */
  schedule: unknown;
  /** ISO weekday agreed with the provider (CONFIRMED), if any. */
  weekday: number | null;
  /** The offer's schedule, JSON as stored. */
  offerSchedule: unknown;
}

/**
 * The slots residents can go to: the entry's own schedule when it has one; else the offer's,
 * narrowed to the weekday agreed with the provider when that leaves something (a provider that
 * agreed on Tuesdays receives the shelter's residents on Tuesdays only).
 */
export function entrySlots(entry: EntryTimes): { slots: Slot[]; source: 'ENTRY' | 'OFFER' } {
  const own = readSlots(entry.schedule);
  if (own.length > 0) return { slots: own, source: 'ENTRY' };
  const offer = readSlots(entry.offerSchedule);
  const day = entry.weekday;
  if (day !== null && day >= 1 && day <= 7) {
    const narrowed = offer
      .filter((s) => s.weekdays.includes(day as IsoWeekday))
      .map((s) => ({ ...s, weekdays: [day as IsoWeekday] }));
    if (narrowed.length > 0) return { slots: narrowed, source: 'OFFER' };
  }
  return { slots: offer, source: 'OFFER' };
}

// ---------------------------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------------------------

const calendar = new Holidays('LU');
const holidaysByYear = new Map<string, Map<string, string>>();

/**
 * Luxembourg's public holidays of `year` (local dates → name in `lang` when `date-holidays` has
 * it, else French). Observances (Good Friday, Easter Sunday) are not holidays, as for due dates.
 */
export function publicHolidays(year: number, lang = 'fr'): Map<string, string> {
  const key = `${year}:${lang}`;
  let days = holidaysByYear.get(key);
  if (!days) {
    days = new Map(
      calendar
        .getHolidays(year, lang)
        .filter((h) => h.type === 'public')
        .map((h) => [h.date.slice(0, 10), h.name]),
    );
    holidaysByYear.set(key, days);
  }
  return days;
}

/** The local date (YYYY-MM-DD) in Luxembourg at `at`. */
export function localDate(at: Date): string {
  return DateTime.fromJSDate(at, { zone: GUIDE_TIME_ZONE }).toISODate()!;
}

// Calendar arithmetic on local dates, as UTC midnights (no time zone involved). A printed guide
// asks about the same few hundred dates thousands of times (every slot of every entry on every day
// of the week, eight weeks of holidays and closures; a year of them for the feed), and reading and
// checking one (`new Date`, `toISOString`) was ~15 % of a page and of a feed: this process
// remembers the latest answers both ways (pure functions of their argument).
const MS_PER_DAY = 86_400_000;
const DATE_CACHE_SIZE = 20_000;
const parsed = new Map<string, number>();
const formatted = new Map<number, string>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  cache.set(key, value);
  if (cache.size > DATE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return value;
}

/** `date` (YYYY-MM-DD) as UTC midnight in milliseconds, NaN when it is no such date. */
function parseDay(date: string): number {
  const hit = parsed.get(date);
  if (hit !== undefined) return hit;
  const d = DATE.test(date) ? new Date(`${date}T00:00:00Z`) : new Date(NaN);
  const valid = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
  return remember(parsed, date, valid ? d.getTime() : NaN);
}

/** A local date as UTC midnight in milliseconds; a RangeError when it is no date. */
function day(date: string): number {
  const ms = parseDay(date);
  if (Number.isNaN(ms)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  return ms;
}

function isoDate(ms: number): string {
  return formatted.get(ms) ?? remember(formatted, ms, new Date(ms).toISOString().slice(0, 10));
}

/** ISO weekday of a UTC midnight (1970-01-01, day 0, was a Thursday). */
function weekdayOf(ms: number): IsoWeekday {
  return (((((Math.round(ms / MS_PER_DAY) + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

/** `date` plus `days` days (calendar days: no time-zone arithmetic). */
export function addDays(date: string, days: number): string {
  return isoDate(day(date) + days * MS_PER_DAY);
}

/** The Monday of the ISO week of `date`. */
export function mondayOf(date: string): string {
  const ms = day(date);
  return isoDate(ms - (weekdayOf(ms) - 1) * MS_PER_DAY);
}

// Time-zone arithmetic is the costly part of a timetable; the same dates and times recur in every
// guide, so this process remembers the latest answers (a pure function of its arguments).
const INSTANT_CACHE_SIZE = 20_000;
const instants = new Map<string, number>();

/** The instant at which Luxembourg's wall clock shows `time` ('HH:MM') on `date`. */
export function wallClockInstant(date: string, time: string): Date {
  const key = `${date}T${time}`;
  let at = instants.get(key);
  if (at === undefined) {
    at = DateTime.fromISO(key, { zone: GUIDE_TIME_ZONE }).toMillis();
    instants.set(key, at);
    if (instants.size > INSTANT_CACHE_SIZE) instants.delete(instants.keys().next().value!);
  }
  return new Date(at);
}

/** Whether `slot` takes place on `date` by its rule (weekday, validity, monthly ordinal). */
export function slotFallsOn(slot: Slot, date: string): boolean {
  if (!slot.weekdays.includes(weekdayOf(day(date)))) return false;
  if (slot.validFrom && date < slot.validFrom) return false;
  if (slot.validTo && date > slot.validTo) return false;
  // First such weekday of the month: the 1st to the 7th (`date` is a valid YYYY-MM-DD here).
  return slot.freq === 'WEEKLY' || Number(date.slice(8, 10)) <= 7;
}

/** Why nothing happens on `date` for an entry with `closures`, if so. */
export function exceptionOn(date: string, closures: ReadonlySet<string>, lang = 'fr'): Exception | null {
  const holiday = publicHolidays(Number(date.slice(0, 4)), lang).get(date);
  if (holiday !== undefined) return { kind: 'HOLIDAY', date, name: holiday };
  if (closures.has(date)) return { kind: 'CLOSURE', date };
  return null;
}

/** The valid closure dates of an entry (stored as strings). */
export function closureSet(closures: readonly string[]): Set<string> {
  return new Set(closures.filter((c) => !Number.isNaN(parseDay(c))));
}

/**
 * Every occurrence of `slots` from `from` to `to` (local dates, both included), by date then time,
 * cancelled ones included and marked.
 */
export function occurrences(
  slots: readonly Slot[],
  closures: readonly string[],
  from: string,
  to: string,
  lang = 'fr',
): Occurrence[] {
  const closed = closureSet(closures);
  const out: Occurrence[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const weekday = weekdayOf(day(date));
    slots.forEach((slot, index) => {
      if (!slotFallsOn(slot, date)) return;
      out.push({
        slot: index,
        date,
        weekday,
        opensAt: slot.opensAt,
        closesAt: slot.closesAt,
        start: wallClockInstant(date, slot.opensAt),
        end: wallClockInstant(date, slot.closesAt),
        cancelled: exceptionOn(date, closed, lang),
      });
    });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.opensAt.localeCompare(b.opensAt));
}

/**
 * The dates from `from` to `to` (both included) on which `slot` would take place but does not: a
 * public holiday or one of `closures`. Walks the holidays and closures, not every day (an
 * iCalendar feed asks this for a year of every entry).
 */
export function cancelledDates(
  slot: Slot,
  closures: readonly string[],
  from: string,
  to: string,
  lang = 'fr',
): Exception[] {
  const found = new Map<string, Exception>();
  const closed = closureSet(closures);
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const date of publicHolidays(year, lang).keys()) {
      if (date >= from && date <= to && slotFallsOn(slot, date)) {
        found.set(date, exceptionOn(date, closed, lang)!);
      }
    }
  }
  for (const date of closed) {
    if (date >= from && date <= to && !found.has(date) && slotFallsOn(slot, date)) {
      found.set(date, exceptionOn(date, closed, lang)!);
    }
  }
  return [...found.values()].sort((a, b) => a.date.localeCompare(b.date));
}

// ---------------------------------------------------------------------------------------------
// Week timetable
// ---------------------------------------------------------------------------------------------

export interface TimetableEntry<K> {
  key: K;
  slots: readonly Slot[];
  closures: readonly string[];
}

export interface TimetableSlot<K> extends Occurrence {
  key: K;
  monthly: boolean;
}

export interface TimetableDay<K> {
  weekday: IsoWeekday;
  date: string;
  /** The public holiday's name, when the day is one. */
  holiday: string | null;
  /** Sorted by opening time, then closing time (cancelled ones included, marked). */
  slots: TimetableSlot<K>[];
}

/**
 * The week of `monday` (Monday to Sunday) for a guide's entries: what takes place each day, by
 * time, with cancellations marked (public holiday or the entry's closure).
 */
export function weekTimetable<K>(
  entries: readonly TimetableEntry<K>[],
  monday: string,
  lang = 'fr',
): TimetableDay<K>[] {
  const start = mondayOf(monday);
  const days: TimetableDay<K>[] = [];
  for (let i = 0; i < 7; i++) {
    const date = addDays(start, i);
    days.push({
      weekday: (i + 1) as IsoWeekday,
      date,
      holiday: publicHolidays(Number(date.slice(0, 4)), lang).get(date) ?? null,
      slots: [],
    });
  }
  const end = addDays(start, 6);
  entries.forEach((entry) => {
    for (const o of occurrences(entry.slots, entry.closures, start, end, lang)) {
      days[o.weekday - 1]!.slots.push({
        ...o,
        key: entry.key,
        monthly: entry.slots[o.slot]!.freq === 'MONTHLY',
      });
    }
  });
  for (const d of days) {
    d.slots.sort((a, b) => a.opensAt.localeCompare(b.opensAt) || a.closesAt.localeCompare(b.closesAt));
  }
  return days;
}
