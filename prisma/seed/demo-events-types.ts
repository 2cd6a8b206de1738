/**
 * Shapes of the Events demo data (issue 12): the Assises sociales, their editions, programme,
 * stands and the plan their invented participants are drawn from (demo-events-people.ts). Loaded
 * by demo-events.ts. Organisations are named by slug (demo-accounts.ts, or the organiser in
 * demo-events-organiser.ts), offers by their demo catalogue key (demo-catalogue-*.ts).
 */
import type { EditionStatus, ParticipantCategory, SessionKind } from '../../src/generated/prisma/enums.ts';

/** Demo-facing text: French always, then German and English where written. */
export type EventText = { fr: string; de?: string; en?: string };

/** A speaker as the session shows it (public by nature). */
export interface DemoSpeaker {
  name: string;
  /** A hub organisation's slug, or the name of another organisation (`{ name, domain }`). */
  organisation: string | ExternalOrganisation;
  function: string;
  /** A demo user's address; otherwise made from the name and the organisation's domain. */
  email?: string;
  /** Registered as SPEAKER unless told (the organiser who opens the day stays ORGANISER). */
  category?: ParticipantCategory;
}

/** An organisation that is not in the hub: a free-text name and the domain of invented addresses. */
export interface ExternalOrganisation {
  name: string;
  /** Always under the reserved `.example` top-level domain. */
  domain: string;
}

export interface DemoSession {
  /** Stable within the edition: the plan and the checks name sessions by it. */
  key: string;
  kind: SessionKind;
  title: EventText;
  description?: EventText;
  /** Wall-clock times in Luxembourg on the edition's day, 'HH:MM'. */
  starts: string;
  ends: string;
  room: string;
  /** Seats; none: no limit. */
  capacity?: number;
  speakers: DemoSpeaker[];
  /** How many participants choose it; beyond `capacity` they wait, in the order they registered. */
  demand: number;
}

export interface DemoFigure {
  label: EventText;
  value: number;
}

export interface DemoStand {
  /** On the floor plan, unique within the edition. */
  number: string;
  organisation: string;
  title: EventText;
  description: EventText;
  /** 0–2 published demo offers of the stand's own organisation. */
  offers: string[];
  results?: EventText;
  figures: DemoFigure[];
}

/** A known person registered by name (a demo user, the organisers). */
export interface DemoNamedParticipant {
  name: string;
  email: string;
  organisation: string | ExternalOrganisation;
  function: string;
  category: ParticipantCategory;
}

/** `count` people of one organisation, their categories drawn by weight. */
export interface DemoQuota {
  organisation: string | ExternalOrganisation;
  count: number;
  categories: Partial<Record<ParticipantCategory, number>>;
}

export interface DemoEdition {
  slug: string;
  title: EventText;
  description: EventText;
  /** The day, 'YYYY-MM-DD', and the wall-clock hours in Luxembourg. */
  date: string;
  opens: string;
  closes: string;
  status: EditionStatus;
  /**
   * Days before the edition that registration closed; none: it stays open for the demo (see
   * demo-events.ts#registrationClosesAt).
   */
  registrationClosedDaysBefore?: number;
  sessions: DemoSession[];
  stands: DemoStand[];
  /** Who registered: named people (speakers come from `sessions`), then drawn by quota. */
  named: DemoNamedParticipant[];
  quotas: DemoQuota[];
  /** Registrations drawn that were cancelled since (no seat, no stand, no check-in). */
  cancelled: number;
  /** Share of the registered who were checked in at the door. */
  checkedIn: number;
  /** Accessibility needs noted by some (organisers only; erased once an edition is over). */
  accessibilityNeeds: string[];
  /** Seed of the pseudo-random draw: the same plan always gives the same people. */
  seed: number;
}
