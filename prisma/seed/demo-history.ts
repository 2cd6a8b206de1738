/**
 * A year of generated referral history over the demo organisations (issue 16, "the network's
 * picture"), so that flows, response times and gaps show a real shape:
 *
 * - **a few organisations receive most referrals**: the Office social de la Ville de Luxembourg,
 *   Inter-Actions, the Croix-Rouge and Caritas (`RECEIVERS`);
 * - **one slow pair**: Passerelles → Office social de la Ville de Luxembourg (`SLOW_PAIR`) gives
 *   its first answer after 8–15 working days, where the rest of the network mostly answers
 *   within 1–3 (the same day to 6);
 * - **a theme with no free place in the south**: supported housing (`housing.supported`) in the
 *   Minett (Esch-sur-Alzette, Differdange, Dudelange, Pétange, Schifflange). Searches and matches
 *   there find nothing, or nothing with a free place, more and more through the year
 *   (`DemandMiss`); Wunnéngshëllef declines more and more of its supported housing referrals for
 *   NO_CAPACITY; and that offer, the only one of the theme in the Minett, has 0 free places now
 *   and in the supply read at the close of the last two months (`SupplyReading`), where the
 *   readings of the months before show its places.
 *
 * Deterministic: a seeded PRNG, every date relative to `now` (referrals sent on Luxembourg's
 * working days of the 365 days before it, up to the day before; each step at office hours, a
 * number of working days after the one before, as `addWorkingDays` counts them). About 3,000
 * referrals and 18,000 events; a referral's events follow the status machine
 * (referral-status.ts) in time order, and are cut at `now`, so the recent ones are still open.
 * Its columns say what its events say, as the services write them: `version` (one per step or
 * assignment), `sentAt`, `dueAt` (the offer's response days), `firstAnswerAt`, `closedAt`,
 * `declineReason`, the assignee.
 *
 * Written as retention leaves a referral (src/modules/referrals/retention.ts), so that no person
 * is behind any of it: empty needs, a person row without data marked anonymised, no status
 * reason, outcome, event note, message or consent purpose (MESSAGE events stay, as retention
 * keeps them). References are `REF-<year>-H<5 digits>`: the reference generator writes digits
 * only (`nextReference` in referral.service.ts), so it never reaches these.
 *
 * Past history, not live changes. As a superuser (the embedded database's role, so what
 * `npm start` does on a new database), it is written with `session_replication_role = replica`,
 * as bench data is (docs/NOTES.md): no trigger fires, no outbox row is written, and the network
 * facts' state is set back to "nothing read", so that the hub's refresher rebuilds them all at
 * its next refresh (on its start). Otherwise the events' triggers write one REFERRAL_EVENT outbox
 * row each at commit (2–3 s more: one "OutboxSequence" update per row in one transaction costs
 * O(rows²)), from which the refresher reads them. Those rows are not delivered as live events by
 * a hub started afterwards (`npm start` seeds before serving): its outbox tail starts at the end of
 * the outbox (`OutboxTail.start`), the webhook worker's cursor starts at the outbox's head when it
 * has none, and an endpoint receives only what follows its creation. Seeding, without superuser
 * rights, a database a hub is serving (`npm run db:seed`) would deliver them to its subscribers
 * and webhooks.
 *
 * Idempotent: once history referrals exist nothing is added; the south offer's free places are
 * set to 0 again (the catalogue's seed sets them back to the catalogue's figure).
 */
import { DateTime } from 'luxon';
import type { Prisma, PrismaClient } from '../../src/generated/prisma/client.ts';
import type {
  DeclineReason,
  DemandMissKind,
  ReferralStatus,
  ReferralUrgency,
} from '../../src/generated/prisma/enums.ts';
import { backdatedSupplyReadings } from '../../src/modules/network/supply.ts';
import {
  addWorkingDays,
  isWorkingDay,
  WORKING_DAYS_TIME_ZONE,
} from '../../src/modules/referrals/working-days.ts';

/** Referrals over the year, on average (Poisson per working day). */
const TARGET_REFERRALS = 3_000;
const SEED = 16;
const ZONE = WORKING_DAYS_TIME_ZONE;
/** A history referral's reference; no generated one has a letter. */
export const HISTORY_REFERENCE = /^REF-\d{4}-H\d{5}$/;
const HISTORY_LIKE = 'REF-____-H%';

/** Receiving organisations and their share (their offers that accept referrals share it). */
const RECEIVERS: Record<string, number> = {
  'office-social-luxembourg': 24,
  'inter-actions': 21,
  'croix-rouge': 16,
  'caritas-luxembourg': 11,
  wunnengshellef: 7,
  'ligue-medico-sociale': 5,
  'passerelles-nouveaux-arrivants': 4,
  'medecins-du-monde': 3,
  'jugend-a-drogenhellef': 3,
  solina: 2,
  microlux: 1.5,
  'co-labor': 1.5,
  'paerds-atelier-liewenshaff': 1,
};
/** Offers a receiver gets more of (1 otherwise). */
const OFFER_WEIGHTS: Record<string, number> = {
  'osvl-aide-sociale': 3,
  'croix-rouge-aide-sociale': 3,
  'caritas-epicerie-sociale': 2,
  'ia-premier-appel': 2,
  'ia-conseil-surendettement': 2,
};
const SENDERS: Record<string, number> = {
  'office-social-luxembourg': 18,
  'caritas-luxembourg': 12,
  'croix-rouge': 11,
  'inter-actions': 11,
  'passerelles-nouveaux-arrivants': 10,
  ona: 9,
  'kontact-28': 6,
  'ligue-medico-sociale': 6,
  'medecins-du-monde': 5,
  'jugend-a-drogenhellef': 3,
  solina: 3,
  wunnengshellef: 2,
  mateneen: 2,
  'fondation-eme': 2,
};
/** Sender → receiver answering after 8–15 working days. */
export const SLOW_PAIR = { sender: 'passerelles-nouveaux-arrivants', receiver: 'office-social-luxembourg' };

/** The theme with no free place in the south, its one offer there, and the Minett's communes. */
export const SOUTH = {
  theme: 'housing.supported',
  offer: 'demo:wunnengshellef-logement-accompagne',
  communes: ['Esch-sur-Alzette', 'Differdange', 'Dudelange', 'Pétange', 'Schifflange'],
};
/** Misses per day for the south theme, a year ago × 0.35, rising to × 1.25 last month. */
const SOUTH_MISSES: [commune: string, kind: DemandMissKind, perDay: number][] = [
  ['Esch-sur-Alzette', 'NO_FREE_PLACE', 2.2],
  ['Differdange', 'NO_FREE_PLACE', 1.3],
  ['Dudelange', 'NO_RESULT', 0.9],
  ['Pétange', 'NO_RESULT', 0.9],
  ['Schifflange', 'NO_RESULT', 0.7],
];
/** The rest of the unmet demand: themes missing somewhere ('' = no commune asked), × 0.8 to × 1.2. */
const OTHER_MISSES: [theme: string, commune: string, kind: DemandMissKind, perDay: number][] = [
  ['language.luxembourgish', '', 'NO_RESULT', 0.5],
  ['legal.legal_aid', '', 'NO_RESULT', 0.3],
  ['residence.family_reunification', '', 'NO_RESULT', 0.15],
  ['children.day_care', 'Ettelbruck', 'NO_RESULT', 0.35],
  ['health.mental', 'Diekirch', 'NO_RESULT', 0.3],
  ['health.mental', 'Wiltz', 'NO_RESULT', 0.2],
  ['housing.emergency_shelter', 'Ettelbruck', 'NO_RESULT', 0.25],
  ['youth.residential', 'Ettelbruck', 'NO_FREE_PLACE', 0.15],
  ['seniors.social_contact', 'Mersch', 'NO_RESULT', 0.1],
  ['language.french', 'Wiltz', 'NO_RESULT', 0.12],
  ['employment.insertion', 'Esch-sur-Alzette', 'NO_FREE_PLACE', 0.1],
  ['food.social_grocery', 'Dudelange', 'NO_RESULT', 0.08],
  ['digital.basic_skills', 'Differdange', 'NO_RESULT', 0.08],
  ['children.homework_help', 'Pétange', 'NO_RESULT', 0.06],
  ['training.literacy', 'Schifflange', 'NO_RESULT', 0.05],
];
/** Activity by month (January = 1): summer and Christmas are quieter, the autumn busier. */
const MONTH_FACTOR = [0, 1.05, 1.05, 1.1, 1, 0.95, 1, 0.85, 0.6, 1.15, 1.1, 1.05, 0.8];
const DECLINE_REASONS: [DeclineReason, number][] = [
  ['NO_CAPACITY', 30],
  ['NOT_ELIGIBLE', 25],
  ['OUT_OF_AREA', 12],
  ['PERSON_UNREACHABLE', 14],
  ['PERSON_REFUSED', 7],
  ['DUPLICATE', 4],
  ['OTHER', 8],
];
/** Working days from acceptance to the work's start. */
const START_DAYS: [number, number][] = [
  [0, 3],
  [1, 3],
  [2, 2],
  [3, 1],
  [4, 1],
];
const URGENCIES: [ReferralUrgency, number][] = [
  ['ROUTINE', 80],
  ['URGENT', 15],
  ['ASAP', 5],
];
/** Working days to the first answer, for every pair but the slow one. */
const FIRST_ANSWER_DAYS: [number, number][] = [
  [0, 15],
  [1, 35],
  [2, 25],
  [3, 13],
  [4, 6],
  [5, 4],
  [6, 2],
];

// ---------------------------------------------------------------------------------------------
// Chance, seeded
// ---------------------------------------------------------------------------------------------

type Rand = () => number;

/** mulberry32: small, fast, good enough for demo data. */
function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rand: Rand, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));

function weighted<T>(rand: Rand, entries: readonly (readonly [T, number])[]): T {
  let x = rand() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of entries) if ((x -= w) < 0) return value;
  return entries[entries.length - 1]![0];
}

/** A Poisson draw (Knuth's; the means here are small). */
function poisson(rand: Rand, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}

/** A UUID version 7 of this instant, its random bits drawn from `rand` (deterministic). */
function uuidAt(ms: number, rand: Rand): string {
  const hex = (bits: number, width: number) =>
    Math.floor(rand() * 2 ** bits)
      .toString(16)
      .padStart(width, '0');
  const time = ms.toString(16).padStart(12, '0');
  const variant = (0x8000 | Math.floor(rand() * 0x4000)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(12, 3)}-${variant}-${hex(24, 6)}${hex(24, 6)}`;
}

// ---------------------------------------------------------------------------------------------
// Time, on Luxembourg's clock: steps fall on working days, at office hours
// ---------------------------------------------------------------------------------------------

const MINUTE = 60_000;

/** The i-th working day of the calendar, at `min` minutes past its local midnight. */
interface Moment {
  day: number;
  min: number;
}

/**
 * Luxembourg's working days (`isWorkingDay`) from `start` on, each as the instant of its local
 * midnight: a moment's instant is that plus its minutes (summer time changes on a Sunday, never
 * within a working day).
 */
function workingDays(start: DateTime, calendarDays: number): { date: DateTime; midnight: number }[] {
  const days: { date: DateTime; midnight: number }[] = [];
  for (let i = 0; i < calendarDays; i++) {
    const date = start.plus({ days: i });
    if (isWorkingDay(date.set({ hour: 12 }).toJSDate())) days.push({ date, midnight: date.toMillis() });
  }
  return days;
}

/** `k` working days after `after`, at an office hour (08:30–17:30), always after `after`. */
function officeAt(rand: Rand, after: Moment, k: number): Moment {
  const min = between(rand, 8 * 60 + 30, 17 * 60 + 30) + rand();
  if (k > 0 || min > after.min + 10) return { day: after.day + k, min };
  return { day: after.day, min: Math.min(after.min + between(rand, 10, 90) + rand(), 24 * 60 - 1) };
}

// ---------------------------------------------------------------------------------------------
// What is there: organisations, their people, offers
// ---------------------------------------------------------------------------------------------

interface Offer {
  id: string;
  key: string;
  slug: string;
  themes: string[];
  responseDays: number;
  full: boolean;
}

interface Demo {
  organisationIds: Map<string, string>;
  /** Case workers (else admins) who act for each organisation, by slug. */
  actors: Map<string, string[]>;
  /** Admins of each organisation (who assign), by slug. */
  admins: Map<string, string[]>;
  offersBySlug: Map<string, Offer[]>;
  themes: Set<string>;
}

async function readDemo(prisma: Prisma.TransactionClient): Promise<Demo> {
  const orgs = await prisma.organisation.findMany({ select: { id: true, slug: true } });
  const members = await prisma.membership.findMany({
    where: { disabledAt: null, roles: { hasSome: ['CASE_WORKER', 'ORG_ADMIN'] } },
    select: { userId: true, roles: true, organisation: { select: { slug: true } } },
    orderBy: [{ userId: 'asc' }],
  });
  const actors = new Map<string, string[]>();
  const admins = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, slug: string, id: string) =>
    map.set(slug, [...(map.get(slug) ?? []), id]);
  for (const m of members) if (m.roles.includes('CASE_WORKER')) add(actors, m.organisation.slug, m.userId);
  for (const m of members) {
    if (!m.roles.includes('ORG_ADMIN')) continue;
    add(admins, m.organisation.slug, m.userId);
    if (!members.some((o) => o.organisation.slug === m.organisation.slug && o.roles.includes('CASE_WORKER')))
      add(actors, m.organisation.slug, m.userId);
  }
  const offers = await prisma.offer.findMany({
    where: { status: 'PUBLISHED', acceptsReferrals: true, hsdsId: { startsWith: 'demo:' } },
    select: {
      id: true,
      hsdsId: true,
      responseDays: true,
      capacityFree: true,
      organisation: { select: { slug: true } },
      themes: { select: { code: true }, orderBy: { code: 'asc' } },
    },
    orderBy: { hsdsId: 'asc' },
  });
  const offersBySlug = new Map<string, Offer[]>();
  for (const o of offers) {
    const offer: Offer = {
      id: o.id,
      key: o.hsdsId!,
      slug: o.organisation.slug,
      themes: o.themes.map((t) => t.code),
      responseDays: o.responseDays,
      full: o.capacityFree === 0,
    };
    offersBySlug.set(offer.slug, [...(offersBySlug.get(offer.slug) ?? []), offer]);
  }
  const themes = new Set((await prisma.theme.findMany({ select: { code: true } })).map((t) => t.code));
  return { organisationIds: new Map(orgs.map((o) => [o.slug, o.id])), actors, admins, offersBySlug, themes };
}

// ---------------------------------------------------------------------------------------------
// Referrals and their events
// ---------------------------------------------------------------------------------------------

interface Event {
  type: 'CREATED' | 'STATUS_CHANGED' | 'ASSIGNED' | 'MESSAGE';
  from: ReferralStatus | null;
  to: ReferralStatus | null;
  bySender: boolean;
  /** Milliseconds. */
  at: number;
}

interface Referral {
  id: string;
  sender: string;
  receiver: string;
  senderUserId: string | null;
  receiverUserId: string | null;
  assigneeUserId: string | null;
  offer: Offer;
  urgency: ReferralUrgency;
  themes: string[];
  declineReason: DeclineReason | null;
  /** In time order, up to `now`. */
  events: Event[];
}

interface Step {
  type: 'STATUS_CHANGED' | 'ASSIGNED';
  to: ReferralStatus | null;
  bySender: boolean;
  at: Moment;
}

/** What happens to a referral sent at `sent`, step by step, whether or not it is past `now`. */
function story(
  rand: Rand,
  sent: Moment,
  opts: { slow: boolean; south: boolean; full: boolean; canAssign: boolean; progress: number },
): { steps: Step[]; reason: DeclineReason | null } {
  const steps: Step[] = [];
  const step = (to: ReferralStatus, at: Moment, bySender = false) =>
    steps.push({ type: 'STATUS_CHANGED', to, bySender, at });
  // The sender withdraws before any answer: the person found another way.
  if (rand() < 0.025) {
    step('CANCELLED', officeAt(rand, sent, between(rand, 0, 3)), true);
    return { steps, reason: null };
  }
  const pDecline = opts.south ? 0.2 + 0.5 * opts.progress : opts.full ? 0.22 : 0.12;
  const declined = rand() < pDecline;
  const firstDays = opts.slow ? between(rand, 8, 15) : weighted(rand, FIRST_ANSWER_DAYS);
  let at = officeAt(rand, sent, firstDays);
  if (rand() < 0.35) {
    step('RECEIVED', at);
    at = officeAt(rand, at, between(rand, 0, 3));
  }
  if (declined) {
    step('DECLINED', at);
    const full = (opts.south && rand() < 0.85) || (opts.full && rand() < 0.5);
    return { steps, reason: full ? 'NO_CAPACITY' : weighted(rand, DECLINE_REASONS) };
  }
  step('ACCEPTED', at);
  if (opts.canAssign && rand() < 0.6)
    steps.push({ type: 'ASSIGNED', to: null, bySender: false, at: officeAt(rand, at, 0) });
  const then = rand();
  if (then < 0.035) {
    // Either side ends it: the person moved away, or no longer wants it.
    step('CANCELLED', officeAt(rand, at, between(rand, 2, 15)), rand() < 0.5);
  } else if (then < 0.085) {
    step('COMPLETED', officeAt(rand, at, between(rand, 3, 20)));
  } else {
    at = officeAt(rand, at, weighted(rand, START_DAYS));
    step('IN_PROGRESS', at);
    if (rand() < 0.12) {
      at = officeAt(rand, at, between(rand, 3, 15));
      step('ON_HOLD', at);
      at = officeAt(rand, at, between(rand, 3, 20));
      step('IN_PROGRESS', at);
    }
    if (rand() < 0.05) step('CANCELLED', officeAt(rand, at, between(rand, 5, 30)), rand() < 0.5);
    else step('COMPLETED', officeAt(rand, at, between(rand, 5, 60)));
  }
  return { steps, reason: null };
}

/** The need themes a sender tags: usually one of the offer's, sometimes two, sometimes none. */
function needThemes(rand: Rand, offer: Offer): string[] {
  if (offer.key === SOUTH.offer) return [rand() < 0.8 ? SOUTH.theme : 'housing.transitional'];
  if (rand() < 0.12) return [];
  const one = () => offer.themes[Math.floor(rand() * offer.themes.length)]!;
  return [...new Set(rand() < 0.12 ? [one(), one()] : [one()])];
}

/** The referrals of the 365 days before `now`, sent on working days up to the day before. */
function generate(demo: Demo, now: Date): Referral[] {
  const rand = prng(SEED);
  const end = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const start = end.minus({ days: 365 });
  // Far enough for every step of the last referral's story (beyond: past `now` anyway).
  const calendar = workingDays(start, 365 + 240);
  const instant = (m: Moment) =>
    m.day < calendar.length ? calendar[m.day]!.midnight + Math.round(m.min * MINUTE) : Infinity;
  const sendingDays = calendar.filter((d) => d.date < end).length;
  const weights = calendar
    .slice(0, sendingDays)
    .map((d) => MONTH_FACTOR[d.date.month]! * (0.9 + (0.2 * d.date.diff(start, 'days').days) / 365));
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const receivers = Object.entries(RECEIVERS).filter(([slug]) => demo.offersBySlug.has(slug));
  const senders = Object.entries(SENDERS).filter(([slug]) => demo.organisationIds.has(slug));
  const person = (map: Map<string, string[]>, slug: string) => {
    const ids = map.get(slug) ?? [];
    return ids.length === 0 ? null : ids[Math.floor(rand() * ids.length)]!;
  };

  const referrals: Referral[] = [];
  for (let day = 0; day < sendingDays; day++) {
    const progress = calendar[day]!.date.diff(start, 'days').days / 365;
    const n = poisson(rand, (TARGET_REFERRALS * weights[day]!) / totalWeight);
    for (let i = 0; i < n; i++) {
      const receiver = weighted(rand, receivers);
      let sender = weighted(rand, senders);
      while (sender === receiver) sender = weighted(rand, senders);
      const offers = demo.offersBySlug.get(receiver)!;
      const offer = weighted(
        rand,
        offers.map((o) => [o, OFFER_WEIGHTS[o.key.slice('demo:'.length)] ?? 1] as const),
      );
      const created = officeAt(rand, { day, min: 8 * 60 }, 0);
      const sent = { day, min: created.min + between(rand, 5, 90) };
      const receiverUserId = person(demo.actors, receiver);
      const { steps, reason } = story(rand, sent, {
        slow: sender === SLOW_PAIR.sender && receiver === SLOW_PAIR.receiver,
        south: offer.key === SOUTH.offer,
        full: offer.full,
        canAssign: receiverUserId !== null,
        progress,
      });
      const events: Event[] = [
        { type: 'CREATED', from: null, to: 'DRAFT', bySender: true, at: instant(created) },
        { type: 'STATUS_CHANGED', from: 'DRAFT', to: 'SENT', bySender: true, at: instant(sent) },
      ];
      let status: ReferralStatus = 'SENT';
      for (const s of steps) {
        const previous = events[events.length - 1]!.at;
        const at = instant(s.at);
        // Now and then a message between two steps (retention keeps the event, not the message).
        if (rand() < 0.3 && at !== Infinity && at - previous > 120 * MINUTE) {
          const messageAt = Math.round(previous + rand() * (at - previous));
          events.push({ type: 'MESSAGE', from: null, to: null, bySender: rand() < 0.5, at: messageAt });
        }
        events.push({ type: s.type, from: s.to ? status : null, to: s.to, bySender: s.bySender, at });
        status = s.to ?? status;
      }
      // An assignment may come after the next step (the same day): in time order, cut at `now`.
      const kept = events.sort((x, y) => x.at - y.at).filter((e) => e.at < now.getTime());
      referrals.push({
        id: uuidAt(events[0]!.at, rand),
        sender,
        receiver,
        senderUserId: person(demo.actors, sender),
        receiverUserId,
        assigneeUserId: kept.some((e) => e.type === 'ASSIGNED') ? receiverUserId : null,
        offer,
        urgency: weighted(rand, URGENCIES),
        themes: needThemes(rand, offer),
        declineReason: kept.some((e) => e.to === 'DECLINED') ? reason : null,
        events: kept,
      });
    }
  }
  return referrals;
}

// ---------------------------------------------------------------------------------------------
// Unmet demand
// ---------------------------------------------------------------------------------------------

interface MissRow {
  day: string;
  source: 'SEARCH' | 'MATCH';
  kind: DemandMissKind;
  theme: string;
  commune: string;
  count: number;
}

function misses(demo: Demo, now: Date): MissRow[] {
  const rand = prng(SEED + 1);
  const cells = [
    ...SOUTH_MISSES.map(([commune, kind, perDay]) => ({
      theme: SOUTH.theme,
      commune,
      kind,
      perDay,
      south: true,
    })),
    ...OTHER_MISSES.map(([theme, commune, kind, perDay]) => ({ theme, commune, kind, perDay, south: false })),
  ];
  const unknown = cells.filter((c) => !demo.themes.has(c.theme)).map((c) => c.theme);
  if (unknown.length > 0) throw new Error(`demo history: unknown themes ${unknown.join(', ')}`);
  const end = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const start = end.minus({ days: 365 });
  const rows: MissRow[] = [];
  for (let day = start; day < end; day = day.plus({ days: 1 })) {
    const progress = day.diff(start, 'days').days / 365;
    const open = isWorkingDay(day.set({ hour: 12 }).toJSDate());
    const dayWeight = (open ? 1 : day.weekday === 6 ? 0.3 : 0.15) * MONTH_FACTOR[day.month]!;
    for (const cell of cells) {
      const trend = cell.south ? 0.35 + 0.9 * progress : 0.8 + 0.4 * progress;
      for (const [source, share] of [
        ['SEARCH', 0.65],
        ['MATCH', 0.35],
      ] as const) {
        const count = poisson(rand, cell.perDay * share * trend * dayWeight);
        if (count > 0)
          rows.push({
            day: day.toISODate()!,
            source,
            kind: cell.kind,
            theme: cell.theme,
            commune: cell.commune,
            count,
          });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Writing it
// ---------------------------------------------------------------------------------------------

/** Past months in which the south offer was already full (its readings show no free place). */
export const SOUTH_FULL_MONTHS = 2;

/** The twelve months before `now`'s (Luxembourg), the latest first, each read an hour before it closed. */
export function pastMonths(now: Date): { month: string; readAt: Date }[] {
  const thisMonth = DateTime.fromJSDate(now, { zone: WORKING_DAYS_TIME_ZONE }).startOf('month');
  return Array.from({ length: 12 }, (_, i) => {
    const start = thisMonth.minus({ months: i + 1 });
    return {
      month: start.toFormat('yyyy-MM'),
      readAt: start.plus({ months: 1 }).minus({ hours: 1 }).toJSDate(),
    };
  });
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());
const FINAL: ReferralStatus[] = ['COMPLETED', 'DECLINED', 'CANCELLED'];
const ANSWERS: ReferralStatus[] = ['RECEIVED', 'ACCEPTED', 'DECLINED'];

/**
 * Loads the history into the demo database (after the demo organisations, users and catalogue)
 * unless it is there; returns how many history referrals there are.
 */
export async function seedHistory(prisma: PrismaClient, opts: { now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  return prisma.$transaction(
    async (tx) => {
      // The supply of the year's past months, read at each one's close (kept when read before):
      // the catalogue as seeded, where the south offer had free places until two months ago.
      const months = pastMonths(now);
      await tx.$executeRaw(backdatedSupplyReadings(months.slice(SOUTH_FULL_MONTHS)));
      // The south theme's only offer in the Minett is full (the catalogue's seed sets it back).
      await tx.$executeRaw`UPDATE "Offer" SET "capacityFree" = 0, "capacityUpdatedAt" = ${now}, version = version + 1
        WHERE "hsdsId" = ${SOUTH.offer} AND "capacityFree" IS DISTINCT FROM 0`;
      await tx.$executeRaw(backdatedSupplyReadings(months.slice(0, SOUTH_FULL_MONTHS)));
      const [existing] = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM "Referral" WHERE reference LIKE ${HISTORY_LIKE}`;
      if (existing!.n > 0) return existing!.n;

      // Past history, not live changes: no trigger and no outbox row when the role may say so;
      // the facts are then rebuilt at their next refresh (see the header).
      const [role] = await tx.$queryRaw<{ superuser: boolean }[]>`
        SELECT current_setting('is_superuser') = 'on' AS superuser`;
      if (role!.superuser) {
        await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
        await tx.$executeRaw`UPDATE "NetworkFactsState" SET "refreshedAt" = NULL WHERE id = 1`;
      }
      const demo = await readDemo(tx);
      const referrals = generate(demo, now).sort((a, b) => a.events[0]!.at - b.events[0]!.at);
      await insertReferrals(tx, demo, referrals, now);
      const rows = misses(demo, now);
      await tx.$executeRaw`
        INSERT INTO "DemandMiss" (day, source, kind, "themeCode", commune, count)
        SELECT d.day, d.source::"DemandSource", d.kind::"DemandMissKind", d.theme, d.commune, d.count
        FROM unnest(${rows.map((r) => r.day)}::date[], ${rows.map((r) => r.source)}::text[],
                    ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.theme)}::text[],
                    ${rows.map((r) => r.commune)}::text[], ${rows.map((r) => r.count)}::int[])
             AS d(day, source, kind, theme, commune, count)
        ON CONFLICT (day, source, kind, "themeCode", commune)
        DO UPDATE SET count = "DemandMiss".count + excluded.count`;
      return referrals.length;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

async function insertReferrals(
  tx: Prisma.TransactionClient,
  demo: Demo,
  referrals: Referral[],
  now: Date,
): Promise<void> {
  const org = (slug: string) => demo.organisationIds.get(slug)!;
  const rows = referrals.map((r, i) => {
    const status = [...r.events].reverse().find((e) => e.to !== null)!.to!;
    const sent = r.events.find((e) => e.to === 'SENT')!.at;
    const created = r.events[0]!.at;
    return {
      id: r.id,
      reference: `REF-${new Date(created).getUTCFullYear()}-H${String(i + 1).padStart(5, '0')}`,
      status,
      sent,
      due: addWorkingDays(new Date(sent), r.offer.responseDays).getTime(),
      firstAnswer: r.events.find((e) => e.to !== null && ANSWERS.includes(e.to))?.at ?? null,
      closed: FINAL.includes(status) ? r.events[r.events.length - 1]!.at : null,
      version: 1 + r.events.filter((e) => e.type === 'STATUS_CHANGED' || e.type === 'ASSIGNED').length,
      created,
      updated: r.events[r.events.length - 1]!.at,
    };
  });
  await tx.$executeRaw`
    INSERT INTO "Referral" (id, reference, "senderOrganisationId", "senderUserId", "receiverOrganisationId",
      "offerId", status, urgency, needs, "assigneeUserId", "dueAt", "sentAt", "firstAnswerAt", "closedAt",
      "declineReason", version, "createdAt", "updatedAt")
    SELECT r.id, r.reference, r.sender, r."senderUser", r.receiver, r.offer, r.status::"ReferralStatus",
      r.urgency::"ReferralUrgency", '', r.assignee, r.due, r.sent, r."firstAnswer", r.closed,
      r.reason::"DeclineReason", r.version, r.created, r.updated
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.reference)}::text[],
      ${referrals.map((r) => org(r.sender))}::uuid[], ${referrals.map((r) => r.senderUserId)}::uuid[],
      ${referrals.map((r) => org(r.receiver))}::uuid[], ${referrals.map((r) => r.offer.id)}::uuid[],
      ${rows.map((r) => r.status)}::text[], ${referrals.map((r) => r.urgency)}::text[],
      ${referrals.map((r) => r.assigneeUserId)}::uuid[], ${rows.map((r) => iso(r.due))}::timestamptz[],
      ${rows.map((r) => iso(r.sent))}::timestamptz[], ${rows.map((r) => iso(r.firstAnswer))}::timestamptz[],
      ${rows.map((r) => iso(r.closed))}::timestamptz[], ${referrals.map((r) => r.declineReason)}::text[],
      ${rows.map((r) => r.version)}::int[], ${rows.map((r) => iso(r.created))}::timestamptz[],
      ${rows.map((r) => iso(r.updated))}::timestamptz[])
      AS r(id, reference, sender, "senderUser", receiver, offer, status, urgency, assignee, due, sent,
           "firstAnswer", closed, reason, version, created, updated)`;

  // As retention leaves them: a person row without data, marked; a consent without its purpose.
  const ids = rows.map((r) => r.id);
  await tx.$executeRaw`
    INSERT INTO "ReferralPerson" ("referralId", languages, "interpreterNeeded", "anonymisedAt")
    SELECT id, '{}', false, ${now} FROM unnest(${ids}::uuid[]) AS id`;
  const rand = prng(SEED + 2);
  await tx.$executeRaw`
    INSERT INTO "Consent" (id, "referralId", "recordedByUserId", "recordedAt", purpose, "recipientOrganisationIds")
    SELECT c.id, c.referral, c.by, c.at, '', ARRAY[c.receiver]
    FROM unnest(${rows.map((r) => uuidAt(r.created, rand))}::uuid[], ${ids}::uuid[],
      ${referrals.map((r) => r.senderUserId)}::uuid[], ${rows.map((r) => iso(r.created))}::timestamptz[],
      ${referrals.map((r) => org(r.receiver))}::uuid[]) AS c(id, referral, by, at, receiver)`;
  const links = referrals.flatMap((r) => r.themes.map((code) => [r.id, code] as const));
  await tx.$executeRaw`
    INSERT INTO "_ReferralThemes" ("A", "B")
    SELECT l.referral, t.id FROM unnest(${links.map((l) => l[0])}::uuid[], ${links.map((l) => l[1])}::text[])
      AS l(referral, code) JOIN "Theme" t ON t.code = l.code`;

  const events = referrals.flatMap((r) =>
    r.events.map((e) => {
      const side = e.bySender ? r.sender : r.receiver;
      const user = e.bySender
        ? r.senderUserId
        : e.type === 'ASSIGNED'
          ? (demo.admins.get(r.receiver)?.[0] ?? r.receiverUserId)
          : r.receiverUserId;
      return { referral: r.id, ...e, user, organisation: org(side) };
    }),
  );
  await tx.$executeRaw`
    INSERT INTO "ReferralEvent" (id, "referralId", type, "fromStatus", "toStatus", "actorUserId",
      "actorOrganisationId", at)
    SELECT e.id, e.referral, e.type, e."from"::"ReferralStatus", e."to"::"ReferralStatus", e.actor, e.org, e.at
    FROM unnest(${events.map((e) => uuidAt(e.at, rand))}::uuid[], ${events.map((e) => e.referral)}::uuid[],
      ${events.map((e) => e.type)}::text[], ${events.map((e) => e.from)}::text[], ${events.map((e) => e.to)}::text[],
      ${events.map((e) => e.user)}::uuid[], ${events.map((e) => e.organisation)}::uuid[],
      ${events.map((e) => iso(e.at))}::timestamptz[]) AS e(id, referral, type, "from", "to", actor, org, at)
    ORDER BY e.at`;
}
