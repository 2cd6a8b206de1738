/**
 * A published guide as data residents' phones and maps read: an iCalendar feed (RFC 5545, written
 * by ical-generator) and GeoJSON (RFC 7946). Both from the one read model
 * (guide-public.service.ts) and the one schedule expansion (guide-week.ts).
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { escape, ICalEventRepeatingFreq, type ICalWeekday } from 'ical-generator';
import { DateTime } from 'luxon';
import type { PublicEntry, PublicGuide, PublicSite } from '../modules/welcome/guide-public.service.ts';
import {
  addDays,
  cancelledDates,
  GUIDE_TIME_ZONE,
  mondayOf,
  slotFallsOn,
  wallClockInstant,
  weekdayCode,
  type Slot,
} from '../modules/welcome/guide-week.ts';
import { entryUrl } from './guide-page.ts';
import { intlLocale, PAGE_STRINGS } from './guide-page.strings.ts';
import { renderCalendar } from './ical-fold.ts';

/** How far ahead the feed lists the dates an entry does not take place (EXDATE). */
export const FEED_EXCEPTION_DAYS = 365;

export interface FeedOptions {
  origin: string;
  /** Today (local date): the feed starts on this week's Monday. */
  today: string;
}

const one = (site: PublicSite) =>
  [site.street, [site.postcode, site.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ');

/** The first date from `from` on which `slot` falls (a rule matches within 5 weeks), if any. */
function firstDate(slot: Slot, from: string): string | null {
  for (let i = 0, date = from; i < 40; i++, date = addDays(date, 1)) {
    if (slot.validTo && date > slot.validTo) return null;
    if (slotFallsOn(slot, date)) return date;
  }
  return null;
}

function description(guide: PublicGuide, entry: PublicEntry, dates: Intl.DateTimeFormat): string {
  const s = PAGE_STRINGS[guide.lang];
  const site = entry.sites[0];
  const dateOf = (at: Date) => dates.format(at);
  return [
    entry.organisation.name,
    entry.note?.text,
    site && site.distanceMeters !== null && site.walkingMinutes !== null
      ? s.onFoot((site.distanceMeters / 1000).toFixed(1), site.walkingMinutes)
      : null,
    entry.phone ? `${s.labelled(s.phone)}${entry.phone}` : null,
    entry.verified ? s.verified(dateOf(entry.verified.at), entry.verified.by) : null,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * One VEVENT per schedule entry of every entry: DTSTART on the first occurrence from this week's
 * Monday (or its `validFrom`), an RRULE (weekly, or monthly on the first such weekdays), UNTIL
 * from `validTo`, and EXDATE for Luxembourg's public holidays and the entry's closures within the
 * next `FEED_EXCEPTION_DAYS` days; times in Europe/Luxembourg with its VTIMEZONE. UIDs are the
 * entry's id and the schedule entry's index, so a subscribed calendar updates rather than doubles.
 */
export function renderGuideCalendar(guide: PublicGuide, opts: FeedOptions): string {
  const s = PAGE_STRINGS[guide.lang];
  const calendar = ical({
    // ical-generator 10 writes the calendar's name and description as given (an event's texts it
    // escapes): a line break in the intro would end the line and break the whole feed.
    name: escape(guide.title.text, false),
    ...(guide.intro ? { description: escape(guide.intro.text, false) } : {}),
    prodId: { company: 'Maillage', product: 'Guides', language: guide.lang.toUpperCase() },
    url: `${opts.origin}/guides/${encodeURIComponent(guide.slug)}?lang=${guide.lang}`,
    ttl: 6 * 60 * 60,
    // ical-generator writes DTSTAMP and UNTIL in the *calendar's* zone when it has one, which RFC
    // 5545 forbids (both must be UTC). So the calendar has no zone of its own (an empty name) but
    // keeps the generator, which adds the VTIMEZONE of every zone its events use.
    timezone: { name: '', generator: getVtimezoneComponent },
  });
  calendar.x([['X-WR-TIMEZONE', GUIDE_TIME_ZONE]]);
  const start = mondayOf(opts.today);
  const horizon = addDays(opts.today, FEED_EXCEPTION_DAYS);
  // Luxon dates, which ical-generator writes in the event's zone (a plain Date it would write in
  // the process's own zone); the same dates and times recur across entries.
  const dateTimes = new Map<string, DateTime>();
  const at = (date: string, time: string) => {
    const key = `${date}T${time}`;
    let dt = dateTimes.get(key);
    if (!dt)
      dateTimes.set(
        key,
        (dt = DateTime.fromMillis(wallClockInstant(date, time).getTime(), { zone: GUIDE_TIME_ZONE })),
      );
    return dt;
  };
  const locale = intlLocale(guide.lang);
  const names = new Intl.DisplayNames([locale], { type: 'language' });
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: GUIDE_TIME_ZONE });

  for (const entry of guide.entries) {
    const site = entry.sites[0];
    const summary = entry.title.fallback
      ? `${entry.title.text} ${s.inLanguage(names.of(entry.title.language) ?? entry.title.language)}`
      : entry.title.text;
    entry.slots.forEach((slot, index) => {
      const from = slot.validFrom && slot.validFrom > start ? slot.validFrom : start;
      const first = firstDate(slot, from);
      if (first === null) return;
      const last = slot.validTo && slot.validTo < horizon ? slot.validTo : horizon;
      const skipped = cancelledDates(slot, entry.closures, first, last, guide.lang);
      calendar.createEvent({
        id: `${entry.id}-${index}@maillage`,
        start: at(first, slot.opensAt),
        end: at(first, slot.closesAt),
        timezone: GUIDE_TIME_ZONE,
        stamp: entry.updatedAt,
        lastModified: entry.updatedAt,
        summary,
        description: description(guide, entry, dates),
        url: entryUrl(opts.origin, guide.slug, guide.lang, entry.id),
        ...(site
          ? {
              location:
                site.latitude !== null && site.longitude !== null
                  ? {
                      title: site.name,
                      address: one(site),
                      geo: { lat: site.latitude, lon: site.longitude },
                    }
                  : `${site.name}, ${one(site)}`,
            }
          : {}),
        repeating: {
          freq: slot.freq === 'MONTHLY' ? ICalEventRepeatingFreq.MONTHLY : ICalEventRepeatingFreq.WEEKLY,
          byDay: slot.weekdays.map((d) => weekdayCode(d) as ICalWeekday),
          // MONTHLY on plain weekdays means the first of them in the month (guide-week.ts).
          ...(slot.freq === 'MONTHLY' ? { byMonthDay: [1, 2, 3, 4, 5, 6, 7] } : {}),
          ...(slot.validTo ? { until: at(slot.validTo, slot.opensAt).toUTC() } : {}),
          ...(skipped.length ? { exclude: skipped.map((e) => at(e.date, slot.opensAt)) } : {}),
        },
      });
    });
  }
  // Not calendar.toString(): ical-generator 10 folds its lines at ~1 µs a character (ical-fold.ts).
  return renderCalendar(calendar);
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The entries' sites around the shelter: one Point feature per site with coordinates (longitude
 * first, RFC 7946), the shelter as a feature of its own (`kind: "shelter"`).
 */
export function guideGeoJson(guide: PublicGuide, opts: Pick<FeedOptions, 'origin'>): unknown {
  const features: unknown[] = [];
  const home = guide.shelter;
  if (home && home.latitude !== null && home.longitude !== null) {
    features.push({
      type: 'Feature',
      id: `shelter:${home.id}`,
      geometry: { type: 'Point', coordinates: [round(home.longitude), round(home.latitude)] },
      properties: {
        kind: 'shelter',
        name: home.name,
        address: [home.street, [home.postcode, home.commune].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', '),
        operator: home.operator,
      },
    });
  }
  for (const entry of guide.entries) {
    for (const site of entry.sites) {
      if (site.latitude === null || site.longitude === null) continue;
      features.push({
        type: 'Feature',
        id: `${entry.id}:${site.id}`,
        geometry: { type: 'Point', coordinates: [round(site.longitude), round(site.latitude)] },
        properties: {
          kind: 'entry',
          entryId: entry.id,
          offerId: entry.offerId,
          title: entry.title.text,
          titleLanguage: entry.title.language,
          titleFallback: entry.title.fallback,
          organisation: entry.organisation.name,
          site: site.name,
          address: one(site),
          distanceMeters: site.distanceMeters,
          walkingMinutes: site.walkingMinutes,
          url: entryUrl(opts.origin, guide.slug, guide.lang, entry.id),
          hsds: `${opts.origin}/hsds/services/${entry.offerId}`,
          verifiedAt: entry.verified?.at.toISOString() ?? null,
          verifiedBy: entry.verified?.by ?? null,
        },
      });
    }
  }
  return {
    type: 'FeatureCollection',
    // Foreign members (RFC 7946 §6.1): what the collection is.
    name: guide.title.text,
    lang: guide.lang,
    features,
  };
}
