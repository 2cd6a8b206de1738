/**
 * An edition's programme as iCalendar (RFC 5545, written by ical-generator): one VEVENT per
 * session, in Europe/Luxembourg with its VTIMEZONE, LOCATION the room and the venue. From the one
 * public read model (public-event.service.ts): the programme only, no participant.
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { escape } from 'ical-generator';
import { DateTime } from 'luxon';
import type { Localized } from '../modules/catalogue/translations.ts';
import {
  EVENT_TIME_ZONE,
  type PublicEdition,
  type PublicSession,
} from '../modules/events/public-event.service.ts';
import { eventPageUrl } from './event-page.ts';
import { EVENT_PAGE_STRINGS, type EventPageLanguage } from './event-page.strings.ts';

export interface EventFeedOptions {
  origin: string;
  lang: EventPageLanguage;
}

/** A text, followed by "(en français)" when it is not in the feed's language. */
function plain(loc: Localized, lang: EventPageLanguage): string {
  if (!loc.fallback || loc.language === lang) return loc.text;
  const name = new Intl.DisplayNames([lang], { type: 'language' }).of(loc.language) ?? loc.language;
  return `${loc.text} ${EVENT_PAGE_STRINGS[lang].inLanguage(name)}`;
}

function location(edition: PublicEdition, session: PublicSession, lang: EventPageLanguage): string | null {
  const s = EVENT_PAGE_STRINGS[lang];
  const venue = edition.venue;
  const parts = [
    session.room ? `${s.room} ${session.room}` : null,
    venue?.name,
    venue?.street,
    venue ? [venue.postcode, venue.commune].filter(Boolean).join(' ') : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

function description(session: PublicSession, lang: EventPageLanguage): string {
  const s = EVENT_PAGE_STRINGS[lang];
  const speakers = session.speakers.map((sp) => {
    const about = [sp.function, sp.organisation].filter(Boolean).join(', ');
    return about ? `${sp.name} (${about})` : sp.name;
  });
  return [
    s.kind[session.kind],
    session.description ? plain(session.description, lang) : null,
    speakers.length ? `${s.labelled(s.speakers)}${speakers.join('; ')}` : null,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The programme: UIDs are the sessions' ids, so that a subscribed calendar updates rather than
 * doubles; DTSTAMP and LAST-MODIFIED the session's last change, so the same programme gives the
 * same text.
 */
export function renderEditionCalendar(edition: PublicEdition, opts: EventFeedOptions): string {
  const page = `${opts.origin}${eventPageUrl(edition.slug, opts.lang)}`;
  const calendar = ical({
    // ical-generator 10 writes the calendar's name as given (an event's texts it escapes).
    name: escape(plain(edition.title, opts.lang), false),
    prodId: { company: 'Maillage', product: 'Events', language: opts.lang.toUpperCase() },
    url: page,
    ttl: 60 * 60,
    // No zone of the calendar's own (it would write DTSTAMP in it, which RFC 5545 forbids), but
    // the generator, which adds the VTIMEZONE of the events' zone (as guide-feeds.ts does).
    timezone: { name: '', generator: getVtimezoneComponent },
  });
  calendar.x([['X-WR-TIMEZONE', EVENT_TIME_ZONE]]);
  // Luxon dates, which ical-generator writes in the event's zone (a Date it would write in the
  // process's own zone).
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: EVENT_TIME_ZONE });
  for (const session of edition.sessions) {
    const where = location(edition, session, opts.lang);
    calendar.createEvent({
      id: `${session.id}@maillage`,
      start: at(session.startsAt),
      end: at(session.endsAt),
      timezone: EVENT_TIME_ZONE,
      stamp: session.updatedAt,
      lastModified: session.updatedAt,
      summary: plain(session.title, opts.lang),
      description: description(session, opts.lang),
      url: `${page}#s-${session.id}`,
      ...(where ? { location: where } : {}),
    });
  }
  return calendar.toString();
}
