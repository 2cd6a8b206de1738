/**
 * Subscriptions over graphql-ws against one hub on PostgreSQL: each viewer hears of exactly the
 * referral events it may see, in order, with cursors; `after` replays what was missed with no gap
 * and no duplicate; streams end with a clear error when the token expires or access changes.
 * The hub polls the outbox only every minute here: live delivery comes from NOTIFY and from the
 * hub's own mutations.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  AcceptReferralDocument,
  AcknowledgeReferralDocument,
  CreateReferralDocument,
  IncomingReferralsDocument,
  OfferCapacityChangedDocument,
  ReferralEventsDocument,
  ReferralUpdatedDocument,
  SendReferralDocument,
  UpdateOfferCapacityDocument,
  type ReferralEventsSubscription,
} from '../../clients/generated/graphql.ts';
import type { UserViewer } from '../../src/modules/accounts/viewer.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { createReferral, postReferralMessage } from '../../src/modules/referrals/referral.service.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { raw, resumable } from '../helpers/realtime.ts';

let t: TestHub;
let s: Scenario;
let shelter: { id: string; globalId: string };
let gina: UserViewer;
let ginaToken: string;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  shelter = { id: offers.shelter.id, globalId: encodeGlobalID('Offer', offers.shelter.id) };
  ({ viewer: gina, token: ginaToken } = await seedThirdOrganisation(t.db.prisma, t.config, ['CASE_WORKER']));
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await t.close();
});

type Notice = ReferralEventsSubscription['referralEvents'];
const cursorOf = (d: ReferralEventsSubscription) => d.referralEvents.cursor;
const summary = (n: Notice) => `${n.reference} ${n.type} ${n.toStatus ?? ''}`.trim();

/** The outbox's current end: subscribing with it as `after` misses nothing that follows, whatever the timing. */
async function now(): Promise<string> {
  const { rows } = await t.db.pool.query<{ seq: string }>(
    'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
  );
  return rows[0]!.seq;
}

function subscribe(token: string | undefined, after: string | null = null) {
  const c = resumable(t.graphqlUrl, token, ReferralEventsDocument, {}, cursorOf, after);
  stops.push(() => c.sub.stop());
  return c;
}

/** A referral from beta to alpha's shelter, through the API: draft, sent, acknowledged, accepted. */
async function referralToAcceptance() {
  const bob = t.client(await s.token('bob'));
  const carol = t.client(await s.token('carol'));
  const created = await bob.request(CreateReferralDocument, {
    input: {
      senderOrganisationId: s.org.beta.globalId,
      offerId: shelter.globalId,
      needs: 'Hébergement',
      person: { initials: 'R. T.', contactChannel: 'THROUGH_SENDER' },
      consentPurpose: 'Orientation',
    },
  });
  if (created.createReferral.__typename !== 'MutationCreateReferralSuccess') throw new Error('create');
  let r = created.createReferral.data.referral;
  const sent = await bob.request(SendReferralDocument, { input: { id: r.id, expectedVersion: r.version } });
  if (sent.sendReferral.__typename !== 'MutationSendReferralSuccess') throw new Error('send');
  r = sent.sendReferral.data.referral;
  const ack = await carol.request(AcknowledgeReferralDocument, {
    input: { id: r.id, expectedVersion: r.version },
  });
  if (ack.acknowledgeReferral.__typename !== 'MutationAcknowledgeReferralSuccess') throw new Error('ack');
  await carol.request(AcceptReferralDocument, { input: { id: r.id, expectedVersion: r.version + 1 } });
  return r;
}

/** A draft of gamma's to alpha's shelter, made by gina. */
function ginaDraft(needs: string, initials: string) {
  return createReferral(t.db.prisma, gina, {
    senderOrganisationId: [...gina.roles.keys()][0]!,
    offerId: shelter.id,
    needs,
    person: { initials, contactChannel: 'THROUGH_SENDER' },
    consent: { purpose: 'Test' },
  });
}

/** A draft of gamma's: the one event gina may see, sent after everything else (a sentinel). */
async function ginaSentinel(): Promise<string> {
  return (await ginaDraft('Sentinelle', 'S.')).reference;
}

describe('referralEvents', () => {
  let bobsNotices: Notice[] = [];

  it('each side hears of its referral’s events in order, the receiver from the sending on; nobody else', async () => {
    const start = await now();
    const bob = subscribe(await s.token('bob'), start);
    const carol = subscribe(await s.token('carol'), start);
    const third = subscribe(ginaToken, start);
    const r = await referralToAcceptance();
    const forBob = (await bob.waitFor(4)).map((d) => d.referralEvents);
    expect(forBob.map(summary)).toEqual([
      `${r.reference} CREATED DRAFT`,
      `${r.reference} STATUS_CHANGED SENT`,
      `${r.reference} STATUS_CHANGED RECEIVED`,
      `${r.reference} STATUS_CHANGED ACCEPTED`,
    ]);
    const cursors = forBob.map((n) => BigInt(n.cursor));
    expect([...cursors].sort((a, b) => (a < b ? -1 : 1))).toEqual(cursors);
    expect(forBob.map((n) => n.version)).toEqual([1, 2, 3, 4]);
    const forCarol = (await carol.waitFor(3)).map((d) => summary(d.referralEvents));
    expect(forCarol).toEqual(forBob.slice(1).map(summary));

    const sentinel = await ginaSentinel();
    const forGina = await third.waitFor(1);
    expect(forGina.map((d) => summary(d.referralEvents))).toEqual([`${sentinel} CREATED DRAFT`]);
    bobsNotices = forBob;
  });

  it('`after` replays exactly what came after the cursor, then goes live', async () => {
    const after = bobsNotices[1]!.cursor;
    const bob = subscribe(await s.token('bob'), after);
    const replayed = await bob.waitFor(2);
    expect(replayed.map((d) => d.referralEvents.cursor)).toEqual(bobsNotices.slice(2).map((n) => n.cursor));
    const r = await referralToAcceptance();
    const all = await bob.waitFor(6);
    expect(all.slice(2).map((d) => d.referralEvents.reference)).toEqual(Array(4).fill(r.reference));
  });

  it('changes made while subscribing are neither lost nor repeated (NOTIFY from other connections)', async () => {
    const r = await referralToAcceptance();
    const { id } = await t.db.prisma.referral.findFirstOrThrow({ where: { reference: r.reference } });
    const bob = s.viewer('bob');
    const start = await now();
    // 30 messages written straight to the database (not through this hub's HTTP: only NOTIFY
    // tells it), while a subscription resumes from `start` in the middle of them.
    const writing = (async () => {
      for (let i = 0; i < 30; i++) await postReferralMessage(t.db.prisma, bob, id, `Message ${i}`);
    })();
    const sub = subscribe(await s.token('bob'), start);
    await writing;
    const got = await sub.waitFor(30);
    const expected = await t.db.pool.query<{ seq: string }>(
      `select seq::text from "OutboxEvent" where seq > $1 and $2 = any("organisationIds") order by "OutboxEvent".seq`,
      [start, s.org.beta.id],
    );
    expect(got.map((d) => d.referralEvents.cursor)).toEqual(expected.rows.map((row) => row.seq));
    expect(got.every((d) => d.referralEvents.type === 'MESSAGE')).toBe(true);
  });
});

describe('replay', () => {
  it('from the start of the outbox: every visible row, in numeric order (across 9 → 10 → 100)', async () => {
    // Enough rows that cursors pass 100, so that a text sort would show.
    const r = await referralToAcceptance();
    const { id } = await t.db.prisma.referral.findFirstOrThrow({ where: { reference: r.reference } });
    const bob = s.viewer('bob');
    while (BigInt(await now()) < 120n) await postReferralMessage(t.db.prisma, bob, id, 'Encore');
    const { rows } = await t.db.pool.query<{ seq: string }>(
      `select seq::text from "OutboxEvent" where $1 = any("organisationIds") order by "OutboxEvent".seq`,
      [s.org.beta.id],
    );
    const sub = subscribe(await s.token('bob'), '0');
    const got = await sub.waitFor(rows.length);
    expect(got.map(cursorOf)).toEqual(rows.map((row) => row.seq));
  });
});

describe('the outbox lock', () => {
  // Outbox numbers are handed out in commit order by locking the one "OutboxSequence" row to
  // commit. A referral event takes it at COMMIT (a deferred trigger), not when it is inserted:
  // held across the hub's round trips, it made status changes wait on each other.
  it('is taken by a referral event when its transaction commits, not when the event is inserted', async () => {
    const r = await ginaDraft('Verrou', 'V.');
    const writer = await t.db.pool.connect();
    const other = await t.db.pool.connect();
    try {
      await writer.query('begin');
      const { rows } = await writer.query<{ id: string }>(
        `insert into "ReferralEvent" (id, "referralId", type, "actorUserId")
         values (gen_random_uuid(), $1, 'MESSAGE', $2)
         returning id::text`,
        [r.id, gina.userId],
      );
      // The referral changes after its event, in the same transaction: the row describes the end.
      await writer.query('update "Referral" set version = version + 1 where id = $1', [r.id]);
      await other.query('begin');
      // Before the change, this failed: lock_not_available (55P03).
      await other.query('select value from "OutboxSequence" where id = 1 for update nowait');
      await other.query('rollback');
      await writer.query('commit');
      const written = await t.db.pool.query<{ version: number }>(
        `select (payload->'referral'->>'version')::int as version from "OutboxEvent"
         where "referralId" = $1 and payload->'event'->>'id' = $2`,
        [r.id, rows[0]!.id],
      );
      expect(written.rows).toEqual([{ version: r.version + 1 }]);
    } finally {
      await writer.query('rollback').catch(() => undefined);
      writer.release();
      other.release();
    }
  });
});

describe('the other subscriptions', () => {
  it('referralUpdated follows one referral; an unknown or invisible one is an error', async () => {
    const bobToken = await s.token('bob');
    const r = await referralToAcceptance();
    const one = resumable(
      t.graphqlUrl,
      bobToken,
      ReferralUpdatedDocument,
      { id: r.id },
      (d) => d.referralUpdated.cursor,
      '0',
    );
    stops.push(() => one.sub.stop());
    const got = await one.waitFor(4);
    expect(new Set(got.map((d) => d.referralUpdated.reference))).toEqual(new Set([r.reference]));
    const refused = raw(t.graphqlUrl, ginaToken, ReferralUpdatedDocument, { id: r.id });
    stops.push(async () => refused.client.dispose());
    const [result] = await refused.waitFor(1);
    expect(result?.errors?.map((e) => e.message)).toEqual(['No referral with this ID.']);
    expect(result?.errors?.[0]?.extensions?.code).toBe('common/not_found');
    expect(await refused.ended).toBe('complete');
  });

  it('incomingReferrals tells the receiving side of sent referrals only', async () => {
    const carol = resumable(
      t.graphqlUrl,
      await s.token('carol'),
      IncomingReferralsDocument,
      {},
      (d) => d.incomingReferrals.cursor,
      await now(),
    );
    stops.push(() => carol.sub.stop());
    const r = await referralToAcceptance();
    const got = await carol.waitFor(1);
    expect(got.map((d) => [d.incomingReferrals.reference, d.incomingReferrals.toStatus])).toEqual([
      [r.reference, 'SENT'],
    ]);
  });

  it('offerCapacityChanged: anyone hears of a published offer’s free places, filtered by commune', async () => {
    const anyone = resumable(
      t.graphqlUrl,
      undefined,
      OfferCapacityChangedDocument,
      { filter: { offerIds: [shelter.globalId], communes: ['Luxembourg'] } },
      (d) => d.offerCapacityChanged.cursor,
      await now(),
    );
    stops.push(() => anyone.sub.stop());
    const alice = t.client(await s.token('alice'));
    const offer = await t.db.prisma.offer.findUniqueOrThrow({ where: { id: shelter.id } });
    const res = await alice.request(UpdateOfferCapacityDocument, {
      input: { id: shelter.globalId, free: 3 },
    });
    expect(res.updateOfferCapacity.__typename).toBe('MutationUpdateOfferCapacitySuccess');
    const got = await anyone.waitFor(1);
    expect(got[0]?.offerCapacityChanged).toMatchObject({
      offerId: shelter.globalId,
      capacityFree: 3,
      previousCapacityFree: offer.capacityFree,
      status: 'PUBLISHED',
    });
  });
});

describe('ends with a clear error', () => {
  it('when the cursor is older than the history kept', async () => {
    // As after `npm run retention` deleted the oldest rows.
    await t.db.pool.query('delete from "OutboxEvent" where seq <= 3');
    const sub = raw(t.graphqlUrl, await s.token('bob'), ReferralEventsDocument, { after: '1' });
    stops.push(async () => sub.client.dispose());
    const [last] = await sub.waitFor(1);
    expect(last?.errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
    expect(await sub.ended).toBe('complete');
  });

  it('when the token expires', async () => {
    const token = await signUserToken(
      t.db.prisma,
      { id: s.user.carol.id, email: s.user.carol.email },
      {
        issuer: t.config.AUTH_ISSUER,
        audience: t.config.AUTH_AUDIENCE,
        ttlSeconds: 2,
      },
    );
    const sub = raw(t.graphqlUrl, token, ReferralEventsDocument, {});
    stops.push(async () => sub.client.dispose());
    const [last] = await sub.waitFor(1, 10_000);
    expect(last?.errors?.[0]?.extensions?.code).toBe('TOKEN_EXPIRED');
    expect(await sub.ended).toBe('complete');
  });

  it('when a membership changes', async () => {
    const sub = raw(t.graphqlUrl, await s.token('carol'), ReferralEventsDocument, { after: await now() });
    stops.push(async () => sub.client.dispose());
    // Once carol hears of a referral, her subscription is live: then her role goes.
    await referralToAcceptance();
    await sub.waitFor(1);
    await t.db.prisma.membership.updateMany({
      where: { userId: s.user.carol.id },
      data: { roles: ['CATALOGUE_EDITOR'] },
    });
    const results = await sub.waitFor(4);
    expect(results.slice(0, 3).every((r) => r.data?.referralEvents)).toBe(true);
    expect(results[3]?.errors?.[0]?.extensions?.code).toBe('ACCESS_CHANGED');
    expect(await sub.ended).toBe('complete');
  });
});
