/**
 * The invented participants of a demo edition, drawn from its plan (named people, speakers, then
 * quotas per organisation) by a seeded pseudo-random generator: the same plan always gives the same
 * people, consents, sessions, stand teams and check-ins, so the seed is reproducible. Pure: nothing
 * here touches the database; secrets (manage tokens, badge codes) are made when rows are written.
 *
 * Names mix the Luxembourgish, Portuguese, French and German names of the country's social sector;
 * addresses are under `.example`, so no demo mail can reach anyone.
 */
import { DateTime } from 'luxon';
import type {
  ParticipantCategory,
  RegistrationSource,
  SeatStatus,
} from '../../src/generated/prisma/enums.ts';
import { demoOrganisations, demoUsers } from './demo-accounts.ts';
import {
  MAIL_DOMAINS,
  ORGANISER_EMAIL,
  ORGANISER_SLUG,
  organiserOrganisation,
} from './demo-events-organiser.ts';
import { FIRST, FUNCTIONS, LAST, LOCALES, ORIGINS } from './demo-events-names.ts';
import type { DemoEdition, DemoSession, ExternalOrganisation } from './demo-events-types.ts';

export const ZONE = 'Europe/Luxembourg';
const MINUTE = 60_000;
const DAY = 86_400_000;

/** A registration as the demo writes it (ids, manage token and badge code come later). */
export interface PlannedRegistration {
  name: string;
  email: string;
  /** Hub organisation slug, or null for another organisation (then only `organisationName`). */
  organisation: string | null;
  organisationName: string;
  function: string | null;
  category: ParticipantCategory;
  locale: 'fr' | 'de' | 'en';
  source: RegistrationSource;
  /** The demo user who registered them (e-mail), if one did. */
  registeredBy: string | null;
  registeredAt: Date;
  cancelledAt: Date | null;
  showName: boolean;
  showOrganisation: boolean;
  showFunction: boolean;
  contactable: boolean;
  accessibilityNeeds: string | null;
  seats: { session: string; status: SeatStatus; queuedAt: Date }[];
  /** Badge scans at the door, in time order (an arrival, sometimes undone). */
  scans: { arrived: boolean; scannedAt: Date }[];
}

export interface EditionPlan {
  registrations: PlannedRegistration[];
  /** Stand number → e-mails of its team (registrations of the stand's organisation). */
  teams: Map<string, string[]>;
}

/** A wall-clock time in Luxembourg on a day ('YYYY-MM-DD', 'HH:MM'). */
export function luxembourgTime(date: string, time: string): Date {
  const at = DateTime.fromISO(`${date}T${time}`, { zone: ZONE });
  if (!at.isValid) throw new Error(`not a time: ${date} ${time}`);
  return at.toJSDate();
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
function shuffled<T>(random: Random, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
function weighted<T extends string>(random: Random, weights: Partial<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][];
  let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of entries) if ((r -= weight) < 0) return value;
  return entries[entries.length - 1]![0];
}

/** `Sónia dos Santos` → `sonia.dos-santos`. */
function mailbox(name: string): string {
  const [first, ...rest] = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(' ');
  return `${first}.${rest.join('-')}`;
}

// --- Organisations ------------------------------------------------------------------------------

const HUB_NAMES = new Map(
  [...demoOrganisations, organiserOrganisation].map((o) => [o.slug, o.name] as const),
);
/** ORG_ADMIN demo users, by organisation: they register their staff. */
const ADMINS = new Map(
  demoUsers.flatMap((u) =>
    u.memberships.filter((m) => m.roles.includes('ORG_ADMIN')).map((m) => [m.organisation, u.email] as const),
  ),
);

/** A hub organisation (by slug) or another one: its slug (null for another), name and mail domain. */
export function organisationOf(org: string | ExternalOrganisation) {
  if (typeof org !== 'string') return { slug: null, name: org.name, domain: org.domain };
  const name = HUB_NAMES.get(org);
  const domain = MAIL_DOMAINS[org];
  if (!name || !domain) throw new Error(`demo events: unknown organisation ${org}`);
  return { slug: org, name, domain };
}

// --- The draw -----------------------------------------------------------------------------------

/** Who registers whom: organisers register their own people, speakers and outsiders. */
function sourceOf(
  random: Random,
  slug: string | null,
  category: ParticipantCategory,
): { source: RegistrationSource; registeredBy: string | null } {
  if (slug === null || slug === ORGANISER_SLUG || category === 'SPEAKER' || category === 'PRESS') {
    return { source: 'ORGANISER', registeredBy: ORGANISER_EMAIL };
  }
  const admin = ADMINS.get(slug);
  if (random() < (admin ? 0.6 : 0.3)) return { source: 'ORGANISATION', registeredBy: admin ?? null };
  return { source: 'SELF', registeredBy: null };
}

/** Consent per field: about half show name and organisation, some the organisation only, some nothing. */
function consentOf(random: Random, category: ParticipantCategory) {
  if (category === 'SPEAKER' || category === 'ORGANISER' || category === 'PRESS') {
    return { showName: true, showOrganisation: true, showFunction: true, contactable: category !== 'PRESS' };
  }
  const r = random();
  const withFunction = random() < 0.6;
  const c = random();
  if (r < 0.48)
    return { showName: true, showOrganisation: true, showFunction: withFunction, contactable: c < 0.5 };
  if (r < 0.68)
    return { showName: false, showOrganisation: true, showFunction: false, contactable: c < 0.15 };
  if (r < 0.73) return { showName: true, showOrganisation: false, showFunction: false, contactable: c < 0.5 };
  return { showName: false, showOrganisation: false, showFunction: false, contactable: c < 0.05 };
}

/** Every person who speaks in a session, once (a speaker of two sessions registers once). */
function speakersOf(sessions: DemoSession[]) {
  const seen = new Map<string, DemoSession['speakers'][number]>();
  for (const s of sessions) for (const sp of s.speakers) if (!seen.has(sp.name)) seen.set(sp.name, sp);
  return [...seen.values()];
}

/** Draws the edition's participants; throws when the plan cannot be met (named in the message). */
export function planParticipants(edition: DemoEdition): EditionPlan {
  const random = seededRandom(edition.seed);
  const what = `demo edition ${edition.slug}`;
  const opens = luxembourgTime(edition.date, edition.opens);
  const used = new Set<string>();
  const people: PlannedRegistration[] = [];

  const add = (
    person: {
      name: string;
      email?: string;
      organisation: string | ExternalOrganisation;
      function: string | null;
    },
    category: ParticipantCategory,
    locale: PlannedRegistration['locale'],
    daysBefore: number,
  ) => {
    const org = organisationOf(person.organisation);
    const email = (person.email ?? `${mailbox(person.name)}@${org.domain}`).toLowerCase();
    if (used.has(email)) throw new Error(`${what}: ${email} registered twice`);
    used.add(email);
    people.push({
      name: person.name,
      email,
      organisation: org.slug,
      organisationName: org.name,
      function: person.function,
      category,
      locale,
      ...sourceOf(random, org.slug, category),
      // Whole minutes, never after the doors open.
      registeredAt: new Date(Math.floor((opens.getTime() - daysBefore * DAY) / MINUTE) * MINUTE),
      cancelledAt: null,
      ...consentOf(random, category),
      accessibilityNeeds: null,
      seats: [],
      scans: [],
    });
  };

  for (const p of edition.named) add(p, p.category, 'fr', 50 + random() * 10);
  for (const sp of speakersOf(edition.sessions)) {
    if (people.some((p) => p.name === sp.name)) continue; // a named organiser who also speaks
    add(sp, sp.category ?? 'SPEAKER', 'fr', 35 + random() * 10);
  }
  const drawnFrom = people.length;
  for (const quota of edition.quotas) {
    for (let i = 0; i < quota.count; i++) {
      const category = weighted(random, quota.categories);
      const origin = weighted(random, ORIGINS);
      const feminine = random() < 0.62; // the sector's staff is mostly women
      const first = pick(random, FIRST[origin][feminine ? 'f' : 'm']);
      const lastOrigin = random() < 0.15 ? weighted(random, ORIGINS) : origin;
      let name = `${first} ${pick(random, LAST[lastOrigin])}`;
      const org = organisationOf(quota.organisation);
      while (used.has(`${mailbox(name)}@${org.domain}`)) name = `${first} ${pick(random, LAST[lastOrigin])}`;
      const fn = random() < 0.9 ? pick(random, FUNCTIONS[category])[feminine ? 1 : 0] : null;
      add(
        { name, organisation: quota.organisation, function: fn },
        category,
        weighted(random, LOCALES[origin]),
        2 + random() * 55,
      );
    }
  }

  // Some drawn people cancelled since: never a named one.
  for (const p of shuffled(random, people.slice(drawnFrom)).slice(0, edition.cancelled)) {
    p.cancelledAt = new Date(p.registeredAt.getTime() + Math.floor(1 + random() * 10) * DAY);
  }
  const registered = people.filter((p) => !p.cancelledAt);

  const chooses = registered.filter((p) => p.category !== 'ORGANISER' && p.category !== 'SPEAKER');
  chooseSessions(random, edition, chooses, what);

  const withNeeds = shuffled(random, chooses).slice(0, edition.accessibilityNeeds.length);
  withNeeds.forEach((p, i) => (p.accessibilityNeeds = edition.accessibilityNeeds[i]!));

  scanBadges(random, edition, registered);
  return { registrations: people, teams: standTeams(edition, registered, what) };
}

/**
 * Sessions at the same time exclude each other: for each time slot, a shuffled list of participants
 * is cut into each session's demand. Seats go in the order people registered; beyond capacity they
 * wait, promoted in that order.
 */
function chooseSessions(random: Random, edition: DemoEdition, people: PlannedRegistration[], what: string) {
  const slots = new Map<string, DemoSession[]>();
  for (const s of edition.sessions) slots.set(s.starts, [...(slots.get(s.starts) ?? []), s]);
  for (const sessions of slots.values()) {
    const order = shuffled(random, people);
    const wanted = sessions.reduce((n, s) => n + s.demand, 0);
    if (wanted > order.length)
      throw new Error(`${what}: ${wanted} choices at ${sessions[0]!.starts}, ${order.length} people`);
    let from = 0;
    for (const session of sessions) {
      const takers = order.slice(from, (from += session.demand));
      takers.sort(
        (a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || a.email.localeCompare(b.email),
      );
      takers.forEach((p, i) =>
        p.seats.push({
          session: session.key,
          status: session.capacity !== undefined && i >= session.capacity ? 'WAITLISTED' : 'CONFIRMED',
          // Strictly in order, even for two registrations of the same minute.
          queuedAt: new Date(p.registeredAt.getTime() + i),
        }),
      );
    }
  }
}

/**
 * At the door: organisers and speakers first, then a share of the others between opening and two
 * hours later; one badge scanned by mistake and undone a minute later.
 */
function scanBadges(random: Random, edition: DemoEdition, registered: PlannedRegistration[]) {
  const opens = luxembourgTime(edition.date, edition.opens).getTime();
  const staff = registered.filter((p) => p.category === 'ORGANISER' || p.category === 'SPEAKER');
  const others = registered.filter((p) => !staff.includes(p));
  const arriving = shuffled(random, others);
  const arrived = Math.round(registered.length * edition.checkedIn) - staff.length;
  for (const p of staff) {
    p.scans.push({ arrived: true, scannedAt: new Date(opens - Math.floor(45 - random() * 30) * MINUTE) });
  }
  for (const p of arriving.slice(0, arrived)) {
    p.scans.push({ arrived: true, scannedAt: new Date(opens + Math.floor(random() * 7_200) * 1_000) });
  }
  const mistaken = arriving[arrived];
  if (mistaken) {
    const at = opens + Math.floor(random() * 3_600) * 1_000;
    mistaken.scans.push(
      { arrived: true, scannedAt: new Date(at) },
      { arrived: false, scannedAt: new Date(at + MINUTE) },
    );
  }
}

/** Each stand's team: two or three registered people of the stand's organisation, none on two stands. */
function standTeams(edition: DemoEdition, registered: PlannedRegistration[], what: string) {
  const teams = new Map<string, string[]>();
  const pool = new Map<string, PlannedRegistration[]>();
  for (const p of registered) {
    if (p.organisation && p.category !== 'PRESS')
      pool.set(p.organisation, [...(pool.get(p.organisation) ?? []), p]);
  }
  const standsOf = new Map<string, number>();
  for (const s of edition.stands) standsOf.set(s.organisation, (standsOf.get(s.organisation) ?? 0) + 1);
  const sizes = new Map(
    [...standsOf].map(([org, n]) => [org, Math.min(3, Math.floor((pool.get(org)?.length ?? 0) / n))]),
  );
  for (const stand of edition.stands) {
    const size = sizes.get(stand.organisation)!;
    if (size === 0)
      throw new Error(`${what}, stand ${stand.number}: too few of ${stand.organisation} registered`);
    teams.set(
      stand.number,
      pool
        .get(stand.organisation)!
        .splice(0, size)
        .map((p) => p.email),
    );
  }
  return teams;
}
