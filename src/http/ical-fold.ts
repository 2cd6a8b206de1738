/**
 * Line folding for iCalendar (RFC 5545 §3.1), the rule ical-generator 10 applies in
 * `ICalCalendar.toString()` (its `foldLines`), at a fraction of the cost: it encodes every
 * character with a new TextEncoder to count its octets (~1 µs a character, most of a 100-entry
 * feed's time), where this counts them from the UTF-16 code units.
 */
import type { ICalCalendar, ICalEvent } from 'ical-generator';

/** Content octets per physical line, as ical-generator: 74, plus the space that opens a continuation. */
const LINE_OCTETS = 74;
const CRLF = '\r\n';
const BEGIN_EVENT = 'BEGIN:VEVENT\r\n';
const END_EVENT = 'END:VEVENT\r\n';

/**
 * Folds every line of `text` (lines end with CRLF) longer than 74 octets of UTF-8: CRLF and one
 * space before the character that would pass 74 octets, so no physical line exceeds 75 octets and
 * a multi-byte character (a surrogate pair included) is never split. Unfolding (removing every
 * CRLF followed by one space) gives `text` back exactly. The same output as ical-generator's
 * `foldLines` for any well-formed string; a lone surrogate counts 3 octets, as UTF-8 encoders
 * write it (U+FFFD).
 */
export function foldIcalLines(text: string): string {
  // Three octets is the most a UTF-16 code unit takes (a surrogate pair: 4 for two units), so a
  // line of at most 24 units never needs a fold; most lines are short, and are returned as they are.
  let out = '';
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf(CRLF, from);
    if (to === -1) to = text.length;
    out += to - from > LINE_OCTETS / 3 ? foldLine(text, from, to) : text.slice(from, to);
    if (to === text.length) break;
    out += CRLF;
    from = to + CRLF.length;
  }
  return out;
}

function foldLine(text: string, from: number, to: number): string {
  let out = '';
  let start = from;
  let octets = 0;
  for (let i = from; i < to;) {
    const unit = text.charCodeAt(i);
    let width = 1;
    let size: number;
    if (unit < 0x80) size = 1;
    else if (unit < 0x800) size = 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < to && isLowSurrogate(text.charCodeAt(i + 1))) {
      size = 4;
      width = 2;
    } else size = 3;
    octets += size;
    if (octets > LINE_OCTETS) {
      out += text.slice(start, i) + '\r\n ';
      start = i;
      octets = size;
    }
    i += width;
  }
  return out + text.slice(start, to);
}

const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * `calendar.toString()`, folded here rather than by ical-generator. The library still writes
 * every line: the calendar renders once with one event of each time zone its events use (its
 * header, those zones' VTIMEZONE and its custom properties, folded by the library: a few
 * kilobytes), and those events make way for all the events, which `ICalEvent.toString()` writes
 * unfolded, folded by `foldIcalLines`. Folding works line by line, so the result is the one
 * `toString()` gives. The calendar is left with all its events, in their order.
 */
export function renderCalendar(calendar: ICalCalendar): string {
  const events = [...calendar.events()];
  if (events.length === 0) return calendar.toString();
  const oneByZone = new Map<string | null, ICalEvent>();
  for (const event of events) if (!oneByZone.has(event.timezone())) oneByZone.set(event.timezone(), event);
  let frame: string;
  try {
    calendar.clear().events([...oneByZone.values()]);
    frame = calendar.toString();
  } finally {
    calendar.clear().events(events);
  }
  // Each event opens and closes on a line of its own (a text value cannot hold a CRLF).
  const from = frame.indexOf(CRLF + BEGIN_EVENT) + CRLF.length;
  const to = frame.lastIndexOf(CRLF + END_EVENT) + CRLF.length + END_EVENT.length;
  return (
    frame.slice(0, from) + foldIcalLines(events.map((event) => event.toString()).join('')) + frame.slice(to)
  );
}
