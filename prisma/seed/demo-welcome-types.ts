/**
 * Shapes of the Welcome demo data (shelters, their residents' profiles as counts, guides and their
 * entries), loaded by demo-welcome.ts. Offers are named by their demo catalogue key
 * (demo-catalogue-*.ts), organisations by slug (demo-accounts.ts), people by demo e-mail.
 */
import type {
  Audience,
  GuideItemStatus,
  GuideStatus,
  ShelterKind,
} from '../../src/generated/prisma/enums.ts';
import type { Language } from '../../src/modules/catalogue/translations.ts';
import type { DemoOpeningHours, DemoScheduleEntry } from './demo-catalogue-types.ts';

/** Translated text: French always, then the catalogue's other languages where written. */
export type WelcomeText = { fr: string } & Partial<Record<Language, string>>;

export interface DemoShelterSite {
  /** The site's HSDS id is `demo:<key>`, unique within its organisation. */
  key: string;
  name: string;
  street?: string;
  postcode?: string;
  commune: string;
  quarter?: string;
  latitude: number;
  longitude: number;
  wheelchairAccessible?: boolean;
  openingHours?: DemoOpeningHours[];
}

/** Counts only: never a person. */
export interface DemoResidentProfile {
  /** The day the counts describe, in days before the seed runs. */
  daysAgo: number;
  total: number;
  /** ISO 639-1 code → residents whose main language it is. */
  languages: Record<string, number>;
  ageBands: Partial<Record<AgeBand, number>>;
  householdTypes: Partial<Record<HouseholdType, number>>;
  recordedBy: string;
}

/** Age bands of a residents' profile (as the shelters API takes them). */
export type AgeBand = 'AGE_0_5' | 'AGE_6_11' | 'AGE_12_17' | 'AGE_18_25' | 'AGE_26_64' | 'AGE_65_PLUS';
/** Household types of a residents' profile, counted in residents. */
export type HouseholdType =
  'SINGLE_ADULT' | 'COUPLE' | 'FAMILY_WITH_CHILDREN' | 'SINGLE_PARENT' | 'UNACCOMPANIED_MINOR';

export interface DemoShelter {
  /** Operator (demo-accounts.ts slug): the site belongs to it. */
  operator: string;
  site: DemoShelterSite;
  kind: ShelterKind;
  capacity: number;
  partners: { organisation: string; role: WelcomeText }[];
  /** Oldest first. */
  profiles: DemoResidentProfile[];
}

export interface DemoGuideItem {
  /** Demo catalogue offer key. */
  offer: string;
  status: GuideItemStatus;
  note: WelcomeText;
  /** Note version and, per translation, the version it was made from (default: all current). */
  noteVersion?: number;
  noteTranslatedFrom?: Partial<Record<Language, number>>;
  audiences: Audience[];
  /** ISO 639-1 codes of the languages residents are served in. */
  languages: string[];
  placesPerWeek?: number;
  /** ISO weekday of the agreed day, 1 = Monday. */
  weekday?: number;
  contact?: { name: string; phone: string; email: string };
  /** REGULAR: the standing arrangement's own schedule (validFrom is set when seeded). */
  schedule?: DemoScheduleEntry[];
  /** Closures as [weeks ahead, ISO weekday]: dates relative to the seed's week. */
  closures?: [number, number][];
  declineReason?: string;
  /** Days before the seed a proposal still waiting was made (default: a week before the answer). */
  proposedDaysAgo?: number;
  /** Who answered for the provider (demo e-mail), when a demo user holds that role. */
  decidedBy?: string;
  /** Days before the seed the provider answered, and last confirmed the facts. */
  decidedDaysAgo?: number;
  verifiedDaysAgo?: number;
  /** Residents who took part, per week, the last weeks, oldest first. */
  attendance?: number[];
  /** An alert the coordinators have not dealt with yet (the offer changed since). */
  alert?: 'OFFER_PAUSED' | 'OFFER_WITHDRAWN' | 'OFFER_FULL' | 'SCHEDULE_CHANGED' | 'SITE_CHANGED';
}

export interface DemoGuide {
  slug: string;
  /** The coordinator's organisation (slug) and the coordinator (demo e-mail). */
  organisation: string;
  createdBy: string;
  /** The shelter, by its site key. */
  shelter: string;
  audiences: Audience[];
  commune: string;
  title: WelcomeText;
  intro: WelcomeText;
  /** Offered in, the source (fr) first. */
  languages: Language[];
  status: GuideStatus;
  publishedDaysAgo?: number;
  items: DemoGuideItem[];
}
