/**
 * The iCalendar feed's line folding (src/http/ical-fold.ts), without a database: RFC 5545 §3.1
 * (no line over 75 octets, CRLF and one space, never inside a UTF-8 sequence), unfolding gives
 * the text back exactly, the same lines as ical-generator's own `foldLines`, and a calendar
 * rendered through `renderCalendar` is the one `toString()` writes.
 */
import { describe, expect, it } from '@jest/globals';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { foldLines, ICalEventRepeatingFreq } from 'ical-generator';
import ICAL from 'ical.js';
import { foldIcalLines, renderCalendar } from '../../src/http/ical-fold.ts';

const unfold = (text: string) => text.replace(/\r\n /g, '');
const octets = (line: string) => Buffer.byteLength(line, 'utf8');
// A UTF-16 string with half a surrogate pair cannot round-trip through UTF-8.
const brokenPair = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function expectFolded(input: string): string {
  const folded = foldIcalLines(input);
  expect(unfold(folded)).toBe(input);
  expect(folded).toBe(foldLines(input));
  folded.split('\r\n').forEach((line, index, lines) => {
    expect(octets(line)).toBeLessThanOrEqual(75);
    expect(brokenPair.test(line)).toBe(false);
    // A continuation opens with the one space; the line before it was full.
    if (line.startsWith(' ') && index > 0) expect(octets(lines[index - 1]!)).toBeGreaterThan(70);
  });
  return folded;
}

describe('foldIcalLines', () => {
  // Two octets (Arabic, Ukrainian), three (the euro sign, CJK), four (emoji, a surrogate pair).
  const texts = {
    arabic: 'مقهى اللغات للنساء والأطفال كل يوم ثلاثاء في دار الشباب',
    ukrainian: 'Мовне кафе для жінок і дітей щовівторка в будинку молоді',
    threeOctets: '€ 5 — 日本語の授業 — € 10',
    emoji: '🇺🇦🇱🇺 ☕ 👩‍👧 🚲 ⚽ 🏳️‍🌈 🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂',
  };

  it.each(Object.entries(texts))('folds %s at every offset of the 75-octet boundary', (_name, text) => {
    // The multi-byte characters start anywhere from octet 60 to 80 of a property line, so the
    // boundary falls inside each of their sequences in turn; and again on a continuation line.
    for (let pad = 60; pad <= 80; pad++) {
      const line = `DESCRIPTION:${'x'.repeat(pad - 'DESCRIPTION:'.length)}${text}`;
      expectFolded(line);
      expectFolded(`${line}${'y'.repeat(pad)}${text}${text}`);
    }
  });

  it('breaks before a character that would pass 74 octets, never inside it', () => {
    const folded = expectFolded(`SUMMARY:${'a'.repeat(65)}🙂b`);
    // 8 + 65 = 73 octets, the emoji would make 77: it opens the continuation whole.
    expect(folded).toBe(`SUMMARY:${'a'.repeat(65)}\r\n 🙂b`);
    // A two-octet letter fits at octets 73–74, not at 74–75.
    expect(expectFolded(`SUMMARY:${'a'.repeat(64)}ї`)).toBe(`SUMMARY:${'a'.repeat(64)}ї`);
    expect(expectFolded(`SUMMARY:${'a'.repeat(65)}ї`)).toBe(`SUMMARY:${'a'.repeat(65)}\r\n ї`);
  });

  it('folds each line on its own and keeps short, empty and final lines as they are', () => {
    const long = `X-NOTE:${'ع'.repeat(100)}`;
    const input = ['BEGIN:VCALENDAR', long, '', 'SHORT:ok', long, 'END:VCALENDAR', ''].join('\r\n');
    const lines = expectFolded(input).split('\r\n');
    // 'X-NOTE:' and 33 Arabic letters (2 octets each) make 73 octets, a continuation 37 (74 + the space).
    const note = ['X-NOTE:' + 'ع'.repeat(33), ' ' + 'ع'.repeat(37), ' ' + 'ع'.repeat(30)];
    expect(lines).toEqual(['BEGIN:VCALENDAR', ...note, '', 'SHORT:ok', ...note, 'END:VCALENDAR', '']);
    expect(foldIcalLines('')).toBe('');
  });
});

describe('renderCalendar', () => {
  // Events without a zone, in Luxembourg's and in Tehran's: the VTIMEZONE of both zones.
  const ZONES = [null, 'Europe/Luxembourg', 'Asia/Tehran'] as const;

  function calendar(events: number) {
    const cal = ical({
      name: 'Путівник SHUK — دليل',
      timezone: { name: '', generator: getVtimezoneComponent },
    });
    cal.x([['X-WR-TIMEZONE', 'Europe/Luxembourg']]);
    for (let i = 0; i < events; i++) {
      const zone = ZONES[i % ZONES.length]!;
      cal.createEvent({
        id: `entry-${i}@maillage`,
        start: new Date(Date.UTC(2026, 0, 5 + i, 9)),
        end: new Date(Date.UTC(2026, 0, 5 + i, 11)),
        ...(zone ? { timezone: zone } : {}),
        stamp: new Date(Date.UTC(2025, 11, 1)),
        summary: `${i % 2 ? 'مقهى اللغات' : 'Мовне кафе'} ${i} ☕🙂`,
        description: `${'Inter-Actions\n'.repeat(i % 3)}${'Опис українською, وصف بالعربية 🚲 '.repeat(1 + (i % 4))}`,
        location: `Maison des jeunes ${i}, 2 rue de la Fondation, 1229 Luxembourg`,
        repeating: { freq: ICalEventRepeatingFreq.WEEKLY, count: 10 },
      });
    }
    return cal;
  }

  it.each([0, 1, 2, 3, 25])('writes what toString() writes, with %i events', (count) => {
    const cal = calendar(count);
    const before = cal.events().map((event) => event.id());
    const text = renderCalendar(cal);
    expect(text).toBe(cal.toString());
    // The calendar keeps its events in their order.
    expect(cal.events().map((event) => event.id())).toEqual(before);
    const parsed = new ICAL.Component(ICAL.parse(text) as unknown[]);
    const events = parsed.getAllSubcomponents('vevent');
    expect(events.map((event) => event.getFirstPropertyValue('uid'))).toEqual(before);
    expect(parsed.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual(
      ZONES.slice(1, Math.min(count, ZONES.length)),
    );
    if (count > 1) expect(events[1]!.getFirstPropertyValue('summary')).toBe('مقهى اللغات 1 ☕🙂');
    for (const line of text.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
  });
});
