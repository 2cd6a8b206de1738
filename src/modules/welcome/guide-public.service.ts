/**
 * What residents get of a guide, without a token: the published guide with the entries the public
 * may see (welcome.access.ts, read as an anonymous viewer), their published offers (the catalogue's
 * rule, catalogue.access.ts), sites with distances from the shelter, texts in the reader's
 * language with the language they are actually in, and "verified on … by …". The printed page,
 * the iCalendar feed and the GeoJSON (src/http/guides-public.ts) all read this one model.
 *
 * One Prisma read with nested selects: a constant number of SQL statements (one per relation)
 * whatever the number of entries (test/welcome/guide-public.test.ts counts them).
 */
import { isOutdated } from './versioned-text.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Audience, GuideItemStatus } from '../../generated/prisma/enums.ts';
import { visibleOffersWhere } from '../catalogue/catalogue.access.ts';
import { isLanguage, localize, type Language, type Localized } from '../catalogue/translations.ts';
import { entrySlots, type Slot } from './guide-week.ts';
import { haversineMeters, walkingMinutes } from './match.ts';
import { visibleGuideItemsWhere, visibleGuidesWhere } from './welcome.access.ts';

/** A place, with its distance from the shelter when both have coordinates. */
export interface PublicSite {
  id: string;
  name: string;
  street: string | null;
  postcode: string | null;
  commune: string;
  quarter: string | null;
  latitude: number | null;
  longitude: number | null;
  wheelchairAccessible: boolean | null;
  /** Straight-line metres from the shelter. */
  distanceMeters: number | null;
  /** Minutes on foot from the shelter (the matching formula: detour factor and walking speed). */
  walkingMinutes: number | null;
}

export interface PublicEntry {
  /** The guide item's id (stable anchor, iCalendar UID). */
  id: string;
  offerId: string;
  status: GuideItemStatus;
  title: Localized;
  description: Localized | null;
  /** Why it matters to these residents; `outdated` when translated from an older source text. */
  note: (Localized & { outdated: boolean }) | null;
  organisation: { id: string; name: string };
  /** Nearest to the shelter first. */
  sites: PublicSite[];
  /** Languages the entry serves (the entry's own list, else the offer's). */
  languages: string[];
  audiences: Audience[];
  phone: string | null;
  website: string | null;
  slots: Slot[];
  /** Whose schedule the slots are: the entry's own (REGULAR) or the offer's. */
  scheduleSource: 'ENTRY' | 'OFFER';
  closures: string[];
  /** When the provider last confirmed the entry's facts, and who the provider is. */
  verified: { at: Date; by: string } | null;
  updatedAt: Date;
}

export interface PublicGuide {
  id: string;
  slug: string;
  /** The language asked for. */
  lang: Language;
  title: Localized;
  intro: Localized | null;
  /** Languages the guide is offered in, the source first. */
  languages: string[];
  organisation: { id: string; name: string };
  commune: string | null;
  shelter: {
    id: string;
    name: string;
    street: string | null;
    postcode: string | null;
    commune: string;
    latitude: number | null;
    longitude: number | null;
    operator: string;
  } | null;
  publishedAt: Date | null;
  /** The latest change of the guide or of one of its entries (for Last-Modified). */
  updatedAt: Date;
  entries: PublicEntry[];
}

const SITE_SELECT = {
  id: true,
  name: true,
  street: true,
  postcode: true,
  commune: true,
  quarter: true,
  latitude: true,
  longitude: true,
  wheelchairAccessible: true,
} as const;

/** The reader's language, then the catalogue's fallback chain (translations.ts). */
function text(value: unknown, lang: Language): Localized | null {
  return localize(value, [lang]);
}

/** An entry's note in `lang`, saying whether that translation predates its source text. */
function versionedNote(
  item: { relevanceNote: unknown; noteVersion: number; noteTranslatedFrom: unknown },
  sourceLanguage: string,
  lang: Language,
): (Localized & { outdated: boolean }) | null {
  const note = text(item.relevanceNote, lang);
  if (!note) return null;
  const versions = { sourceLanguage, version: item.noteVersion, translatedFrom: item.noteTranslatedFrom };
  return { ...note, outdated: isOutdated(versions, note.language) };
}

/**
 * The published guide `slug` as residents read it in `lang`, or null when there is none the public
 * may see (unknown, draft, archived: all alike).
 */
export async function publicGuide(
  prisma: PrismaClient,
  slug: string,
  lang: Language,
): Promise<PublicGuide | null> {
  // The public is the anonymous viewer: the module's rules, read for `null`.
  const guide = await prisma.guide.findFirst({
    where: { AND: [{ slug }, visibleGuidesWhere(null)] },
    // Only the columns the model is made of (not contacts, decisions, versions of the entries).
    select: {
      id: true,
      slug: true,
      title: true,
      intro: true,
      sourceLanguage: true,
      languages: true,
      commune: true,
      publishedAt: true,
      updatedAt: true,
      organisation: { select: { id: true, name: true } },
      shelter: {
        select: {
          id: true,
          site: { select: SITE_SELECT },
          organisation: { select: { name: true } },
        },
      },
      items: {
        where: { AND: [visibleGuideItemsWhere(null), { offer: visibleOffersWhere(null) }] },
        orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
        select: {
          id: true,
          status: true,
          relevanceNote: true,
          noteVersion: true,
          noteTranslatedFrom: true,
          languages: true,
          audiences: true,
          schedule: true,
          weekday: true,
          closures: true,
          verifiedAt: true,
          updatedAt: true,
          providerOrganisation: { select: { id: true, name: true } },
          offer: {
            select: {
              id: true,
              title: true,
              description: true,
              languages: true,
              audiences: true,
              schedule: true,
              contactPhone: true,
              website: true,
              updatedAt: true,
              sites: { select: SITE_SELECT, orderBy: { name: 'asc' } },
            },
          },
        },
      },
    },
  });
  if (!guide) return null;
  const title = text(guide.title, lang);
  if (!title) return null;

  const home = guide.shelter?.site ?? null;
  const origin =
    home?.latitude != null && home.longitude != null
      ? { latitude: home.latitude, longitude: home.longitude }
      : null;

  let updatedAt = guide.updatedAt;
  const entries: PublicEntry[] = [];
  for (const item of guide.items) {
    const { offer } = item;
    const entryTitle = text(offer.title, lang);
    if (!entryTitle) continue;
    const sites = offer.sites
      .map((site): PublicSite => {
        const meters =
          origin && site.latitude != null && site.longitude != null
            ? haversineMeters(origin, { latitude: site.latitude, longitude: site.longitude })
            : null;
        return {
          ...site,
          distanceMeters: meters === null ? null : Math.round(meters),
          walkingMinutes: meters === null ? null : walkingMinutes(meters),
        };
      })
      .sort((a, b) => (a.distanceMeters ?? Infinity) - (b.distanceMeters ?? Infinity));
    const { slots, source } = entrySlots({
      schedule: item.schedule,
      weekday: item.weekday,
      offerSchedule: offer.schedule,
    });
    for (const at of [item.updatedAt, offer.updatedAt]) if (at > updatedAt) updatedAt = at;
    entries.push({
      id: item.id,
      offerId: offer.id,
      status: item.status,
      title: entryTitle,
      description: text(offer.description, lang),
      note: versionedNote(item, guide.sourceLanguage, lang),
      organisation: item.providerOrganisation,
      sites,
      languages: item.languages.length > 0 ? item.languages : offer.languages,
      audiences: item.audiences.length > 0 ? item.audiences : offer.audiences,
      phone: offer.contactPhone,
      website: offer.website,
      slots,
      scheduleSource: source,
      closures: [...item.closures].sort(),
      verified: item.verifiedAt ? { at: item.verifiedAt, by: item.providerOrganisation.name } : null,
      updatedAt: item.updatedAt,
    });
  }

  return {
    id: guide.id,
    slug: guide.slug,
    lang,
    title,
    intro: text(guide.intro, lang),
    languages: guide.languages.filter(isLanguage),
    organisation: guide.organisation,
    commune: guide.commune,
    shelter:
      guide.shelter && home
        ? {
            id: guide.shelter.id,
            name: home.name,
            street: home.street,
            postcode: home.postcode,
            commune: home.commune,
            latitude: home.latitude,
            longitude: home.longitude,
            operator: guide.shelter.organisation.name,
          }
        : null,
    publishedAt: guide.publishedAt,
    updatedAt,
    entries,
  };
}
