/**
 * Check-in at the door over the real hub: an organiser of the City ("ville", EVENT_ORGANISER)
 * scans badges of an open edition. A scan sent again records nothing more (one by one and at
 * once), a badge of another edition, an unknown badge and a cancelled registration are typed
 * errors that write nothing, undo clears the arrival, late scans are ordered by the scanner's
 * clock, 20 scanners check in 20 people at once, and the live arrivals reach the organisers only
 * (graphql-ws over a real socket), resumable from a cursor.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  CheckInParticipantDocument,
  EventCheckInsDocument,
  NodeDocument,
  RegistrationCheckInsDocument,
  UndoCheckInDocument,
  type CheckInParticipantInput,
} from '../../clients/generated/graphql.ts';
import type { ParticipantCategory } from '../../src/generated/prisma/enums.ts';
import { presenceOf } from '../../src/modules/events/check-in.service.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { raw } from '../helpers/realtime.ts';

let t: TestHub;
let s: Scenario;
let gamma: Awaited<ReturnType<typeof seedThirdOrganisation>>;
/** The City's event organiser, and an organiser of another organisation's events. */
const tokens = { otto: '', olga: '' };
const ids = { ville: '', edition: '', editionGlobal: '', other: '', draft: '' };
/** Registrations by short name: id and badge code. */
const people: Record<string, { id: string; badge: string }> = {};

const at = (iso: string) => new Date(iso);

async function organiser(slug: string, email: string) {
  const org = await t.db.prisma.organisation.create({ data: { slug, name: `Organisation ${slug}` } });
  const user = await t.db.prisma.user.create({
    data: {
      email,
      name: email.split('@')[0]!,
      memberships: { create: { organisationId: org.id, roles: ['EVENT_ORGANISER'] } },
    },
  });
  const token = await signUserToken(t.db.prisma, user, {
    issuer: t.config.AUTH_ISSUER,
    audience: t.config.AUTH_AUDIENCE,
    ttlSeconds: 600,
  });
  return { org, token };
}

async function edition(organisationId: string, slug: string, status: 'OPEN' | 'DRAFT') {
  const event = await t.db.prisma.event.create({
    data: { slug: `${slug}-series`, organisationId, name: { fr: `Série ${slug}` } },
  });
  return t.db.prisma.eventEdition.create({
    data: {
      eventId: event.id,
      slug,
      organisationId,
      title: { fr: `Édition ${slug}` },
      startsAt: at('2026-10-20T07:00:00Z'),
      endsAt: at('2026-10-20T16:00:00Z'),
      status,
    },
  });
}

async function register(
  editionId: string,
  name: string,
  opts: { organisationId?: string; category?: ParticipantCategory; cancelled?: boolean } = {},
) {
  const r = await t.db.prisma.registration.create({
    data: {
      editionId,
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`,
      organisationId: opts.organisationId ?? null,
      organisationName: opts.organisationId ? null : 'Indépendante',
      category: opts.category ?? 'PARTNER_STAFF',
      source: 'ORGANISER',
      status: opts.cancelled ? 'CANCELLED' : 'REGISTERED',
      manageTokenHash: randomBytes(32).toString('hex'),
      badgeCode: randomBytes(8).toString('hex').toUpperCase(),
    },
  });
  return { id: r.id, badge: r.badgeCode };
}

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '100' });
  s = await seedScenario(t.db.prisma, t.config);
  gamma = await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN']);
  const ville = await organiser('ville', 'otto@ville.example');
  const other = await organiser('autre', 'olga@autre.example');
  tokens.otto = ville.token;
  tokens.olga = other.token;
  ids.ville = ville.org.id;
  const open = await edition(ville.org.id, 'assises-test', 'OPEN');
  ids.edition = open.id;
  ids.editionGlobal = encodeGlobalID('EventEdition', open.id);
  ids.other = (await edition(other.org.id, 'autre-test', 'OPEN')).id;
  ids.draft = (await edition(other.org.id, 'brouillon-test', 'DRAFT')).id;
  people.ana = await register(open.id, 'Ana Alves', { organisationId: s.org.alpha.id });
  people.ben = await register(open.id, 'Ben Becker', {
    organisationId: s.org.beta.id,
    category: 'VOLUNTEER',
  });
  people.cleo = await register(open.id, 'Cléo Costa', { category: 'PRESS' });
  people.dan = await register(open.id, 'Dan Dupont', { organisationId: s.org.alpha.id });
  people.eve = await register(open.id, 'Ève Ernst', { organisationId: s.org.beta.id });
  people.gone = await register(open.id, 'Gaston Gone', { cancelled: true });
  people.elsewhere = await register(ids.other, 'Inès Ailleurs');
  // Last year's edition of the same organisers: its badges are "another edition".
  const lastYear = await edition(ville.org.id, 'assises-test-2025', 'OPEN');
  people.lastYear = await register(lastYear.id, 'Lou Lannée');
  for (let i = 0; i < 24; i++)
    people[`crowd${i}`] = await register(open.id, `Crowd ${String(i).padStart(2, '0')}`);
});
afterAll(() => t.close());

const scan = (
  who: string,
  scannedAt: string,
  extra: Partial<CheckInParticipantInput> = {},
): CheckInParticipantInput => ({
  editionId: ids.editionGlobal,
  badgeCode: people[who]!.badge,
  scannerKey: 'door-1',
  scanId: randomUUID(),
  scannedAt,
  ...extra,
});

const checkIn = (input: CheckInParticipantInput, token = tokens.otto) =>
  t.client(token).request(CheckInParticipantDocument, { input });
const undo = (input: CheckInParticipantInput, token = tokens.otto) =>
  t.client(token).request(UndoCheckInDocument, { input });

/** What a refused scan must leave untouched. */
const footprint = async () => ({
  checkIns: await t.db.prisma.checkIn.count(),
  outbox: await t.db.prisma.outboxEvent.count({ where: { type: 'EVENT_CHECK_IN' } }),
  registrations: await t.db.prisma.registration.findMany({
    orderBy: { id: 'asc' },
    select: { id: true, checkedInAt: true, updatedAt: true },
  }),
});

async function lastSeq(): Promise<string> {
  return (await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } })).value.toString();
}

describe('checkInParticipant', () => {
  it('checks a participant in by the badge, records the scan and one outbox row without a name', async () => {
    const input = scan('ana', '2026-10-20T07:31:12.345Z');
    const res = await checkIn(input);
    if (res.checkInParticipant.__typename !== 'MutationCheckInParticipantSuccess')
      throw new Error(JSON.stringify(res.checkInParticipant));
    const { checkIn: row, registration } = res.checkInParticipant.data;
    expect(row).toMatchObject({
      arrived: true,
      scannerKey: 'door-1',
      scanId: input.scanId,
      scannedAt: '2026-10-20T07:31:12.345Z',
    });
    expect(registration).toEqual({
      id: encodeGlobalID('Registration', people.ana!.id),
      name: 'Ana Alves',
      checkedInAt: '2026-10-20T07:31:12.345Z',
    });
    const outbox = await t.db.prisma.outboxEvent.findMany({ where: { type: 'EVENT_CHECK_IN' } });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.organisationIds).toEqual([ids.ville]);
    const payload = (outbox[0]!.payload as { checkIn: Record<string, unknown> }).checkIn;
    expect(payload).toMatchObject({
      editionId: ids.edition,
      registrationId: people.ana!.id,
      organisationId: s.org.alpha.id,
      category: 'PARTNER_STAFF',
      arrived: true,
    });
    expect(JSON.stringify(outbox[0]!.payload)).not.toMatch(/Ana|example\.org/);
  });

  it('answers the same scan sent again with the first answer and records nothing more', async () => {
    const input = scan('ben', '2026-10-20T07:40:00Z', { scannerKey: 'phone-7', scanId: 'q-1' });
    const first = await checkIn(input);
    const before = await footprint();
    const again = await checkIn(input);
    const third = await checkIn({ ...input, badgeCode: ` ${input.badgeCode} ` });
    expect(again).toEqual(first);
    expect(third).toEqual(first);
    expect(await footprint()).toEqual(before);
    // The same scan id for another badge, or the other way, is not the same scan.
    const conflict = await checkIn({ ...input, badgeCode: people.cleo!.badge });
    const reversed = await undo(input);
    expect(conflict.checkInParticipant).toMatchObject({ code: 'common/idempotency_conflict' });
    expect(reversed.undoCheckIn).toMatchObject({ code: 'common/idempotency_conflict' });
    expect(await footprint()).toEqual(before);
  });

  it('refuses a badge of another edition, an unknown badge and a cancelled registration, writing nothing', async () => {
    const before = await footprint();
    const other = await checkIn(scan('lastYear', '2026-10-20T08:00:00Z'));
    expect(other.checkInParticipant).toEqual({
      __typename: 'BadgeOtherEditionError',
      code: 'events/badge_other_edition',
      message: expect.stringMatching(/another edition/),
    });
    const unknown = await checkIn({ ...scan('ana', '2026-10-20T08:00:00Z'), badgeCode: 'NOPE0000' });
    expect(unknown.checkInParticipant).toMatchObject({
      __typename: 'NotFoundError',
      code: 'common/not_found',
    });
    // Another organiser's badge is none of this organiser's business: unknown, not "another edition".
    const foreign = await checkIn(scan('elsewhere', '2026-10-20T08:00:00Z'));
    expect(foreign).toEqual(unknown);
    const cancelled = await checkIn(scan('gone', '2026-10-20T08:00:00Z'));
    expect(cancelled.checkInParticipant).toMatchObject({
      __typename: 'InvalidTransitionError',
      message: expect.stringMatching(/cancelled/),
    });
    // A scanner whose clock is an hour ahead: its scan, or its undo, would win over every later one.
    const anHourAhead = new Date(Date.now() + 3_600_000).toISOString();
    const clockAhead = {
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'scannedAt'], reason: 'FUTURE', limit: null }],
    };
    expect((await checkIn(scan('dan', anHourAhead))).checkInParticipant).toMatchObject(clockAhead);
    expect((await undo(scan('dan', anHourAhead))).undoCheckIn).toMatchObject(clockAhead);
    expect(await footprint()).toEqual(before);
  });

  it('is for the edition’s organisers only', async () => {
    const before = await footprint();
    const input = scan('dan', '2026-10-20T08:00:00Z');
    // Admins of a participant's organisation and other organisations see the open edition.
    // Who asks is checked before the scan's time: a clock ahead changes no refusal.
    const ahead = { ...input, scannedAt: new Date(Date.now() + 3_600_000).toISOString() };
    for (const token of [await s.token('alice'), gamma.token, tokens.olga]) {
      for (const tried of [input, ahead]) {
        expect((await checkIn(tried, token)).checkInParticipant).toMatchObject({
          __typename: 'ForbiddenError',
        });
      }
      expect((await undo(ahead, token)).undoCheckIn).toMatchObject({ __typename: 'ForbiddenError' });
    }
    // A draft edition of someone else reads as unknown.
    const draft = await checkIn({ ...input, editionId: encodeGlobalID('EventEdition', ids.draft) });
    const unknown = await checkIn({ ...input, editionId: encodeGlobalID('EventEdition', randomUUID()) });
    expect(draft.checkInParticipant).toMatchObject({ __typename: 'NotFoundError' });
    expect(unknown).toEqual(draft);
    for (const editionId of [ids.draft, randomUUID()]) {
      const tried = { ...ahead, editionId: encodeGlobalID('EventEdition', editionId) };
      expect((await checkIn(tried)).checkInParticipant).toMatchObject({ __typename: 'NotFoundError' });
    }
    const anonymous = await t.send(CheckInParticipantDocument, { input });
    expect(anonymous.body.errors?.length).toBeGreaterThan(0);
    expect(await footprint()).toEqual(before);
  });

  it('undoes a check-in: arrived false, checkedInAt cleared; the next arrival sets it anew', async () => {
    await checkIn(scan('dan', '2026-10-20T08:05:00Z'));
    const undone = await undo(scan('dan', '2026-10-20T08:06:00Z'));
    if (undone.undoCheckIn.__typename !== 'MutationUndoCheckInSuccess') throw new Error('undo');
    expect(undone.undoCheckIn.data.checkIn.arrived).toBe(false);
    expect(undone.undoCheckIn.data.registration.checkedInAt).toBeNull();
    const back = await checkIn(scan('dan', '2026-10-20T08:20:00Z'));
    expect(back.checkInParticipant).toMatchObject({
      data: { registration: { checkedInAt: '2026-10-20T08:20:00.000Z' } },
    });
    const history = await t.client(tokens.otto).request(RegistrationCheckInsDocument, {
      id: encodeGlobalID('Registration', people.dan!.id),
    });
    expect(history.node).toMatchObject({
      checkedInAt: '2026-10-20T08:20:00.000Z',
      checkIns: [{ arrived: true }, { arrived: false }, { arrived: true }],
    });
    // Alice administers Dan's organisation: she sees him, not the door's records.
    const alices = await t.client(await s.token('alice')).request(RegistrationCheckInsDocument, {
      id: encodeGlobalID('Registration', people.dan!.id),
    });
    expect(alices.node).toMatchObject({ checkedInAt: '2026-10-20T08:20:00.000Z', checkIns: [] });
    const scanId = undone.undoCheckIn.data.checkIn.id;
    expect((await t.client(tokens.otto).request(NodeDocument, { id: scanId })).node).not.toBeNull();
    expect((await t.client(await s.token('alice')).request(NodeDocument, { id: scanId })).node).toBeNull();
  });

  it('follows the latest scanner time whatever order scans arrive in', async () => {
    // An offline scanner syncs late: the arrival at 09:00 arrives after the undo at 09:10.
    await checkIn(scan('eve', '2026-10-20T08:50:00Z', { scannerKey: 'door-2' }));
    await undo(scan('eve', '2026-10-20T09:10:00Z', { scannerKey: 'door-2' }));
    const late = await checkIn(scan('eve', '2026-10-20T09:00:00Z', { scannerKey: 'offline-3' }));
    expect(late.checkInParticipant).toMatchObject({ data: { registration: { checkedInAt: null } } });
    // A later arrival counts; an earlier one synced afterwards makes the first arrival earlier.
    await checkIn(scan('eve', '2026-10-20T09:30:00Z'));
    const earlier = await checkIn(scan('eve', '2026-10-20T09:20:00Z', { scannerKey: 'offline-3' }));
    expect(earlier.checkInParticipant).toMatchObject({
      data: { registration: { checkedInAt: '2026-10-20T09:20:00.000Z' } },
    });
  });

  it('computes presence from scans in scanner time', () => {
    const s1 = { arrived: true, scannedAt: at('2026-10-20T09:00:00Z') };
    const s2 = { arrived: false, scannedAt: at('2026-10-20T09:05:00Z') };
    const s3 = { arrived: true, scannedAt: at('2026-10-20T09:10:00Z') };
    expect(presenceOf([])).toBeNull();
    expect(presenceOf([s3, s1])).toEqual(s1.scannedAt);
    expect(presenceOf([s3, s2, s1])).toEqual(s3.scannedAt);
    expect(presenceOf([s1, s3, s2])).toEqual(s3.scannedAt);
    expect(presenceOf([s1, s2])).toBeNull();
  });
});

describe('at once', () => {
  it('20 scanners check in 20 people at the same moment', async () => {
    const crowd = Array.from({ length: 20 }, (_, i) => `crowd${i}`);
    const results = await Promise.all(
      crowd.map((who, i) => checkIn(scan(who, '2026-10-20T10:00:00Z', { scannerKey: `scanner-${i}` }))),
    );
    expect(results.map((r) => r.checkInParticipant.__typename)).toEqual(
      crowd.map(() => 'MutationCheckInParticipantSuccess'),
    );
    const rows = await t.db.prisma.registration.count({
      where: { id: { in: crowd.map((who) => people[who]!.id) }, checkedInAt: { not: null } },
    });
    expect(rows).toBe(20);
  });

  it('the same scan sent twice at once is recorded once', async () => {
    const scans = ['crowd20', 'crowd21', 'crowd22', 'crowd23'].map((who) =>
      scan(who, '2026-10-20T10:05:00Z', { scannerKey: 'flaky', scanId: `dup-${who}` }),
    );
    const before = await t.db.prisma.checkIn.count();
    const answers = await Promise.all(
      scans.flatMap((input) => [checkIn(input), checkIn(input), checkIn(input)]),
    );
    for (let i = 0; i < scans.length; i++) {
      const copies = answers.slice(3 * i, 3 * i + 3);
      expect(copies[0]!.checkInParticipant.__typename).toBe('MutationCheckInParticipantSuccess');
      expect(copies[1]).toEqual(copies[0]);
      expect(copies[2]).toEqual(copies[0]);
    }
    expect(await t.db.prisma.checkIn.count()).toBe(before + scans.length);
  });

  it('one scan id sent at once for two badges: one is recorded, the other is a conflict', async () => {
    const before = await t.db.prisma.checkIn.count();
    const [a, b] = await Promise.all([
      checkIn(scan('crowd0', '2026-10-20T10:06:00Z', { scannerKey: 'confused', scanId: 'same' })),
      checkIn(scan('crowd1', '2026-10-20T10:06:00Z', { scannerKey: 'confused', scanId: 'same' })),
    ]);
    expect([a.checkInParticipant.__typename, b.checkInParticipant.__typename].sort()).toEqual([
      'IdempotencyConflictError',
      'MutationCheckInParticipantSuccess',
    ]);
    expect(await t.db.prisma.checkIn.count()).toBe(before + 1);
  });
});

describe('eventCheckIns', () => {
  it('brings arrivals live to the organisers with the counts, and replays from a cursor', async () => {
    const after = await lastSeq();
    const live = raw(t.graphqlUrl, tokens.otto, EventCheckInsDocument, {
      editionId: ids.editionGlobal,
      after,
    });
    const cleo = await checkIn(scan('cleo', '2026-10-20T11:00:00Z'));
    await undo(scan('cleo', '2026-10-20T11:01:00Z'));
    const [first, second] = await live.waitFor(2);
    expect(first?.errors).toBeUndefined();
    expect(first?.data?.eventCheckIns).toMatchObject({
      checkInId:
        cleo.checkInParticipant.__typename === 'MutationCheckInParticipantSuccess'
          ? cleo.checkInParticipant.data.checkIn.id
          : 'missing',
      registrationId: encodeGlobalID('Registration', people.cleo!.id),
      organisationId: null,
      organisation: null,
      category: 'PRESS',
      arrived: true,
      scannedAt: '2026-10-20T11:00:00.000Z',
      registration: { name: 'Cléo Costa' },
    });
    const counts = first!.data!.eventCheckIns.counts!;
    expect(counts.byCategory.find((c) => c.category === 'PRESS')).toMatchObject({ registered: 1 });
    expect(counts.byOrganisation.find((o) => o.organisation?.slug === 'alpha')).toMatchObject({
      registered: 2,
      checkedIn: 2,
    });
    expect(second?.data?.eventCheckIns).toMatchObject({ arrived: false, category: 'PRESS' });
    expect(BigInt(second!.data!.eventCheckIns.cursor)).toBeGreaterThan(
      BigInt(first!.data!.eventCheckIns.cursor),
    );
    await live.client.dispose();

    // Reconnected with the first cursor: the second again, then what happens next, live.
    const resumed = raw(t.graphqlUrl, tokens.otto, EventCheckInsDocument, {
      editionId: ids.editionGlobal,
      after: first!.data!.eventCheckIns.cursor,
    });
    const [replayed] = await resumed.waitFor(1);
    expect(replayed?.data?.eventCheckIns.cursor).toBe(second!.data!.eventCheckIns.cursor);
    await checkIn(scan('cleo', '2026-10-20T11:02:00Z'));
    const [, next] = await resumed.waitFor(2);
    expect(next?.data?.eventCheckIns).toMatchObject({
      arrived: true,
      registration: { checkedInAt: '2026-10-20T11:02:00.000Z' },
    });
    await resumed.client.dispose();
  });

  it('hears nothing of another edition, and refuses anyone but the edition’s organisers', async () => {
    const after = await lastSeq();
    // Olga organises "autre-test": she hears her own edition only.
    const olgas = raw(t.graphqlUrl, tokens.olga, EventCheckInsDocument, {
      editionId: encodeGlobalID('EventEdition', ids.other),
      after,
    });
    await checkIn(scan('ana', '2026-10-20T12:00:00Z'));
    const other = await t.client(tokens.olga).request(CheckInParticipantDocument, {
      input: {
        editionId: encodeGlobalID('EventEdition', ids.other),
        badgeCode: people.elsewhere!.badge,
        scannerKey: 'autre',
        scanId: 'a-1',
        scannedAt: '2026-10-20T12:00:01Z',
      },
    });
    expect(other.checkInParticipant.__typename).toBe('MutationCheckInParticipantSuccess');
    const [heard] = await olgas.waitFor(1);
    expect(heard?.data?.eventCheckIns.registrationId).toBe(
      encodeGlobalID('Registration', people.elsewhere!.id),
    );
    expect(olgas.items).toHaveLength(1);
    await olgas.client.dispose();

    for (const token of [await s.token('alice'), gamma.token, tokens.olga, undefined]) {
      const refused = raw(t.graphqlUrl, token, EventCheckInsDocument, {
        editionId: ids.editionGlobal,
        after,
      });
      const [answer] = await refused.waitFor(1);
      expect(answer?.data ?? null).toBeNull();
      expect(answer?.errors?.length).toBeGreaterThan(0);
      await refused.client.dispose();
    }
  });
});
