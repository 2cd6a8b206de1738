/**
 * Shapes of the catalogue's demo data (sites and offers of the demo organisations), loaded by
 * seed-catalogue.ts. Keys are stable and unique across all demo files: a row's HSDS id is
 * `demo:<key>`, which makes seeding idempotent. Translated text is keyed by ISO 639-1 code, French
 * first (see src/modules/catalogue/translations.ts).
 */
import type { Audience, CostKind, OfferStatus } from '../../src/generated/prisma/enums.ts';
import { LANGUAGES, type Language } from '../../src/modules/catalogue/translations.ts';

/** Slugs of the organisations in demo-accounts.ts. */
export type DemoOrganisationSlug =
  | 'maillage'
  | 'inter-actions'
  | 'caritas-luxembourg'
  | 'croix-rouge'
  | 'office-social-luxembourg'
  | 'solina'
  | 'wunnengshellef'
  | 'co-labor'
  | 'mateneen'
  | 'fondation-eme'
  | 'microlux'
  | 'paerds-atelier-liewenshaff'
  | 'medecins-du-monde'
  | 'ligue-medico-sociale'
  | 'jugend-a-drogenhellef'
  | 'kontact-28'
  | 'passerelles-nouveaux-arrivants';

/** Translated text: French always, other catalogue languages when available. */
export interface DemoText {
  fr: string;
  de?: string;
  en?: string;
  lb?: string;
  pt?: string;
  uk?: string;
  ar?: string;
  fa?: string;
}

/** 1 = Monday … 7 = Sunday (ISO weekday). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface DemoOpeningHours {
  weekday: IsoWeekday;
  /** 'HH:MM' */
  opens: string;
  /** 'HH:MM' */
  closes: string;
}

export interface DemoSite {
  /** Unique across the demo data; the site's HSDS id is `demo:<key>`. */
  key: string;
  organisation: DemoOrganisationSlug;
  name: string;
  street?: string;
  /** Four digits, without the `L-` prefix: '1450'. */
  postcode?: string;
  /** Official commune name (src/modules/catalogue/communes.ts). */
  commune: string;
  quarter?: string;
  latitude?: number;
  longitude?: number;
  wheelchairAccessible?: boolean;
  accessibility?: DemoText;
  openingHours?: DemoOpeningHours[];
}

export type DemoWeekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

/** A recurring opening of an offer, as validated by src/modules/catalogue/schedule.ts. */
export interface DemoScheduleEntry {
  freq: 'WEEKLY' | 'MONTHLY';
  byday: DemoWeekday[];
  /** 'HH:MM' */
  opensAt: string;
  /** 'HH:MM' */
  closesAt: string;
  /** 'YYYY-MM-DD' */
  validFrom?: string;
  /** 'YYYY-MM-DD' */
  validTo?: string;
  description?: { language: Language; text: string }[];
}

export interface DemoOffer {
  /** Unique across the demo data; the offer's HSDS id is `demo:<key>`. */
  key: string;
  organisation: DemoOrganisationSlug;
  title: DemoText;
  description: DemoText;
  /** Theme codes from demo-themes.ts. */
  themes: string[];
  audiences: Audience[];
  minAge?: number;
  maxAge?: number;
  eligibility?: DemoText;
  /** ISO 639-1 codes of the languages the offer is delivered in. */
  languages: string[];
  costKind: CostKind;
  costDescription?: DemoText;
  /** Keys of sites of the same organisation. */
  sites?: string[];
  /** Communes served without a site there. */
  serviceArea?: string[];
  schedule?: DemoScheduleEntry[];
  capacityPlaces?: number;
  capacityFree?: number;
  waitlist?: boolean;
  acceptsReferrals?: boolean;
  referralRequirements?: DemoText;
  /** Working days for a first answer to a referral (default 2). */
  responseDays?: number;
  status: OfferStatus;
  contactName?: string;
  /** Always on the reserved `.example` domain. */
  contactEmail?: string;
  /** Fictitious: '+352 000 000 123'. */
  contactPhone?: string;
  website?: string;
}

/** The same opening hours on several weekdays. */
export function hours(days: IsoWeekday[], opens: string, closes: string): DemoOpeningHours[] {
  return days.map((weekday) => ({ weekday, opens, closes }));
}

/** A weekly schedule entry, with an optional translated note. */
export function weekly(
  byday: DemoWeekday[],
  opensAt: string,
  closesAt: string,
  description?: DemoText,
): DemoScheduleEntry {
  return {
    freq: 'WEEKLY',
    byday,
    opensAt,
    closesAt,
    ...(description ? { description: translationList(description) } : {}),
  };
}

/** Translated text as a list, in the catalogue's language order. */
export function translationList(text: DemoText): { language: Language; text: string }[] {
  return LANGUAGES.flatMap((language) => {
    const value = text[language];
    return value === undefined ? [] : [{ language, text: value }];
  });
}
