/**
 * Issue 9, referrals: the holes found in review, each reproduced over real HTTP.
 *  - the receiving organisation's admin must not read the sender's drafts through the access log;
 *  - a mutation on a referral the caller may not see never locks it (it answers at once, exactly
 *    like an unknown ID, even while another transaction holds the row);
 *  - `createReferral` retried concurrently with one idempotency key gives one referral to all;
 *  - the other side sees the assignee by name only;
 *  - withdrawn consent hides `needs` from the receiver too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import pg from 'pg';
import {
  AssignReferralDocument,
  CreateReferralDocument,
  ReferralDetailDocument,
  SendReferralDocument,
  WithdrawConsentDocument,
  type CreateReferralInput,
} from '../../clients/generated/graphql.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let shelter: string;
let ginaToken: string;
let bobToken: string;
let bob: ReturnType<TestHub['client']>;
let carol: ReturnType<TestHub['client']>;
/** Connections of their own: one holds row locks, the other watches who waits for them. */
let holder: pg.Client;
let watcher: pg.Client;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  shelter = encodeGlobalID('Offer', (await seedAlphaCatalogue(t.db.prisma, s)).offers.shelter.id);
  ginaToken = (await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN', 'CASE_WORKER'])).token;
  bobToken = await s.token('bob');
  bob = t.client(bobToken);
  carol = t.client(await s.token('carol'));
  holder = new pg.Client({ connectionString: t.database.url });
  watcher = new pg.Client({ connectionString: t.database.url });
  await holder.connect();
  await watcher.connect();
});
afterAll(async () => {
  await holder.end();
  await watcher.end();
  await t.close();
});

/** An operation written here (fields no client operation asks for). */
const gql = <T>(query: string) => parse(query) as TypedDocumentNode<T, Record<string, unknown>>;

const input = (over: Partial<CreateReferralInput> = {}): CreateReferralInput => ({
  senderOrganisationId: s.org.beta.globalId,
  offerId: shelter,
  needs: 'Hébergement d’urgence',
  person: { name: 'Nadia B.', languages: ['fr'], contactChannel: 'THROUGH_SENDER' },
  consentPurpose: 'Orientation',
  ...over,
});

async function draft(over: Partial<CreateReferralInput> = {}) {
  const r = await bob.request(CreateReferralDocument, { input: input(over) });
  if (r.createReferral.__typename !== 'MutationCreateReferralSuccess')
    throw new Error(r.createReferral.__typename);
  return r.createReferral.data.referral;
}

async function sent(over: Partial<CreateReferralInput> = {}) {
  const d = await draft(over);
  const r = await bob.request(SendReferralDocument, { input: { id: d.id, expectedVersion: d.version } });
  if (r.sendReferral.__typename !== 'MutationSendReferralSuccess') throw new Error(r.sendReferral.__typename);
  return r.sendReferral.data.referral;
}

/** What the database holds about a referral: must not move when someone who may not see it tries. */
async function footprint(reference: string) {
  const where = { referral: { reference } };
  const row = await t.db.prisma.referral.findFirstOrThrow({ where: { reference } });
  return {
    version: row.version,
    status: row.status,
    assignee: row.assigneeUserId,
    events: await t.db.prisma.referralEvent.count({ where }),
    messages: await t.db.prisma.referralMessage.count({ where }),
    consents: await t.db.prisma.consent.count({ where: { ...where, withdrawnAt: null } }),
    reads: await t.db.prisma.personDataAccess.count({ where }),
  };
}

describe('the draft rule on the access-log path', () => {
  const LOG = gql<{
    personDataAccessLog: {
      totalCount: number;
      edges: { node: { referral: { reference: string; needs: string | null; person: unknown } | null } }[];
    };
  }>(`query Log($organisationId: ID!) {
    personDataAccessLog(organisationId: $organisationId, first: 100) {
      totalCount
      edges { node { referral { reference needs person { name } } } }
    }
  }`);

  it("the receiving organisation's admin reads nothing of the sender's draft, until it is sent", async () => {
    const d = await draft({
      needs: 'Brouillon confidentiel',
      person: { name: 'Dina Draft', contactChannel: 'THROUGH_SENDER' },
    });
    // The sender reads the person: a row in the access log of the referral.
    expect((await bob.request(ReferralDetailDocument, { id: d.id })).referral?.person?.name).toBe(
      'Dina Draft',
    );
    const before = await footprint(d.reference);

    const alice = await t.send(
      LOG,
      { organisationId: s.org.alpha.globalId },
      { token: await s.token('alice') },
    );
    expect(alice.body.errors).toBeUndefined();
    const seen = alice.body.data!.personDataAccessLog.edges.map((e) => e.node.referral?.reference);
    expect(seen).not.toContain(d.reference);
    expect(JSON.stringify(alice.body)).not.toContain('Dina Draft');
    expect(JSON.stringify(alice.body)).not.toContain('Brouillon confidentiel');
    expect(await footprint(d.reference)).toEqual(before);

    // Once sent, the receiving side sees the referral, and its access log with it.
    const r = await bob.request(SendReferralDocument, { input: { id: d.id, expectedVersion: d.version } });
    expect(r.sendReferral.__typename).toBe('MutationSendReferralSuccess');
    const after = await t.send(
      LOG,
      { organisationId: s.org.alpha.globalId },
      { token: await s.token('alice') },
    );
    expect(after.body.data!.personDataAccessLog.edges.map((e) => e.node.referral?.reference)).toContain(
      d.reference,
    );
  });
});

describe('authorise before locking', () => {
  /** Every referral mutation an outsider may try, with the input it needs (the id is filled in). */
  const MUTATIONS: Record<string, { type: string; input: Record<string, unknown>; versioned: boolean }> = {
    updateReferralDraft: { type: 'UpdateReferralDraftInput', input: { needs: 'x' }, versioned: true },
    sendReferral: { type: 'SendReferralInput', input: {}, versioned: true },
    acceptReferral: { type: 'AcceptReferralInput', input: {}, versioned: true },
    declineReferral: { type: 'DeclineReferralInput', input: { reason: 'x' }, versioned: true },
    cancelReferral: { type: 'CancelReferralInput', input: { reason: 'x' }, versioned: true },
    assignReferral: { type: 'AssignReferralInput', input: { assigneeId: null }, versioned: true },
    postReferralMessage: { type: 'PostReferralMessageInput', input: { body: 'x' }, versioned: false },
    withdrawConsent: { type: 'WithdrawConsentInput', input: {}, versioned: false },
  };
  const mutation = (name: string) =>
    gql<Record<string, { __typename: string }>>(
      `mutation M($input: ${MUTATIONS[name]!.type}!) { ${name}(input: $input) { __typename ... on Error { code message } } }`,
    );
  const inputFor = (name: string, id: string, version: number) => ({
    input: {
      id,
      ...MUTATIONS[name]!.input,
      ...(MUTATIONS[name]!.versioned ? { expectedVersion: version } : {}),
    },
  });

  /** Holds the referral's row lock from another connection while `work` runs. */
  async function whileLocked<T>(reference: string, work: (holderPid: number) => Promise<T>): Promise<T> {
    await holder.query('begin');
    try {
      await holder.query('select id from "Referral" where reference = $1 for update', [reference]);
      const { rows } = await holder.query<{ pid: number }>('select pg_backend_pid() as pid');
      return await work(rows[0]!.pid);
    } finally {
      await holder.query('rollback');
    }
  }

  /**
   * Whether `request` answers on its own, or first waits for the lock `holderPid` holds (seen from
   * another connection: pg_stat_activity is frozen inside a transaction).
   */
  async function answersOrWaits<T>(
    holderPid: number,
    request: Promise<T>,
  ): Promise<{ answered: T } | { waiting: true; request: Promise<T> }> {
    let answered = false;
    const answer = request.then((value) => {
      answered = true;
      return { answered: value };
    });
    const waiting = (async () => {
      while (!answered) {
        const { rowCount } = await watcher.query(
          'select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
          [holderPid],
        );
        if (rowCount) return { waiting: true as const, request };
      }
      return new Promise<never>(() => undefined); // the answer came first
    })();
    return Promise.race([answer, waiting]);
  }

  it('a referral the caller may not see is never locked: NotFound at once, like an unknown ID, nothing written', async () => {
    const r = await sent({ needs: 'Verrou' });
    const d = await draft({ needs: 'Brouillon verrouillé' });
    const cases = [
      { who: 'gina (third organisation)', token: ginaToken, referral: r },
      { who: 'hugo (hub admin)', token: await s.token('hugo'), referral: r },
      { who: 'carol (receiving side, on a draft)', token: await s.token('carol'), referral: d },
    ];
    for (const c of cases) {
      const before = await footprint(c.referral.reference);
      await whileLocked(c.referral.reference, async (pid) => {
        for (const name of Object.keys(MUTATIONS)) {
          const got = await answersOrWaits(
            pid,
            t.send(mutation(name), inputFor(name, c.referral.id, c.referral.version), { token: c.token }),
          );
          if ('waiting' in got) {
            // Let it finish (the lock goes with this transaction), then fail with what happened.
            await holder.query('rollback');
            await holder.query('begin');
            await got.request;
            throw new Error(`${c.who}: ${name} waited for another transaction's lock on the referral`);
          }
          const unknown = await t.send(
            mutation(name),
            inputFor(name, encodeGlobalID('Referral', randomUUID()), c.referral.version),
            { token: c.token },
          );
          expect([c.who, name, got.answered.body.data?.[name]?.__typename]).toEqual([
            c.who,
            name,
            'NotFoundError',
          ]);
          expect([c.who, name, got.answered.body]).toEqual([c.who, name, unknown.body]);
        }
      });
      expect([c.who, await footprint(c.referral.reference)]).toEqual([c.who, before]);
    }
  });

  it('the sides themselves do wait for the lock (what the check above would see), then act', async () => {
    const r = await sent({ needs: 'Verrou, côté destinataire' });
    const posted = await whileLocked(r.reference, async (pid) => {
      const got = await answersOrWaits(
        pid,
        t.send(mutation('postReferralMessage'), inputFor('postReferralMessage', r.id, r.version), {
          token: await s.token('carol'),
        }),
      );
      expect('waiting' in got).toBe(true);
      return got;
    });
    const answer = 'waiting' in posted ? await posted.request : posted.answered;
    expect(answer.body.data?.postReferralMessage?.__typename).toBe('MutationPostReferralMessageSuccess');
  });
});

describe('idempotent createReferral under concurrency', () => {
  it('the same key and input sent at once: every answer is the one referral', async () => {
    for (let round = 0; round < 3; round++) {
      const key = `crm-concurrent-${round}`;
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          t.send(CreateReferralDocument, { input: input({ idempotencyKey: key }) }, { token: bobToken }),
        ),
      );
      for (const a of answers) {
        expect(a.body.errors).toBeUndefined();
        expect(a.body.data?.createReferral.__typename).toBe('MutationCreateReferralSuccess');
      }
      const ids = new Set(
        answers.map((a) =>
          a.body.data?.createReferral.__typename === 'MutationCreateReferralSuccess'
            ? a.body.data.createReferral.data.referral.id
            : null,
        ),
      );
      expect(ids.size).toBe(1);
      expect(await t.db.prisma.referral.count({ where: { idempotencyKey: key } })).toBe(1);
    }
  });

  it('the same key with different inputs at once: one referral, the others a typed conflict', async () => {
    const key = 'crm-concurrent-conflict';
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.send(
          CreateReferralDocument,
          { input: input({ idempotencyKey: key, needs: `Besoin ${i}` }) },
          { token: bobToken },
        ),
      ),
    );
    const kinds = answers.map((a) => a.body.data?.createReferral.__typename ?? a.body.errors?.[0]?.message);
    expect(kinds.filter((k) => k === 'MutationCreateReferralSuccess')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'IdempotencyConflictError')).toHaveLength(5);
    expect(await t.db.prisma.referral.count({ where: { idempotencyKey: key } })).toBe(1);
  });
});

describe('the assignee, seen from the other side', () => {
  const ASSIGNEE = gql<{
    referral: {
      assigneeName: string | null;
      assignee: { id: string; name: string; memberships: { roles: string[] }[] } | null;
    } | null;
  }>(`query Assignee($id: ID!) {
    referral(id: $id) { assigneeName assignee { id name memberships { roles organisation { slug } } } }
  }`);

  it('the sending side sees the name only; the receiving side the user', async () => {
    const r = await sent({ needs: 'Suivi' });
    const assigned = await carol.request(AssignReferralDocument, {
      input: { id: r.id, expectedVersion: r.version, assigneeId: s.user.carol.globalId },
    });
    expect(assigned.assignReferral.__typename).toBe('MutationAssignReferralSuccess');

    const forBob = await t.send(ASSIGNEE, { id: r.id }, { token: bobToken });
    expect(forBob.body).toEqual({ data: { referral: { assigneeName: 'Carol', assignee: null } } });

    const forAlice = await t.send(ASSIGNEE, { id: r.id }, { token: await s.token('alice') });
    expect(forAlice.body.data?.referral).toEqual({
      assigneeName: 'Carol',
      assignee: {
        id: s.user.carol.globalId,
        name: 'Carol',
        memberships: [{ roles: ['CASE_WORKER'], organisation: { slug: 'alpha' } }],
      },
    });
  });
});

describe('withdrawn consent', () => {
  const NEEDS = gql<{ referral: { needs: string | null; person: { name: string | null } | null } | null }>(
    `query Needs($id: ID!) { referral(id: $id) { needs person { name } } }`,
  );

  it('hides the needs from the receiving side, as it hides the person; the sender keeps both', async () => {
    const r = await sent({
      needs: 'Situation décrite en détail',
      person: { name: 'Wanda W.', contactChannel: 'THROUGH_SENDER' },
    });
    expect(
      (await t.send(NEEDS, { id: r.id }, { token: await s.token('carol') })).body.data?.referral,
    ).toEqual({
      needs: 'Situation décrite en détail',
      person: { name: 'Wanda W.' },
    });
    const withdrawn = await bob.request(WithdrawConsentDocument, { input: { id: r.id } });
    expect(withdrawn.withdrawConsent.__typename).toBe('MutationWithdrawConsentSuccess');

    const forCarol = await t.send(NEEDS, { id: r.id }, { token: await s.token('carol') });
    expect(forCarol.body).toEqual({ data: { referral: { needs: null, person: null } } });
    const forBob = await t.send(NEEDS, { id: r.id }, { token: bobToken });
    expect(forBob.body.data?.referral).toEqual({
      needs: 'Situation décrite en détail',
      person: { name: 'Wanda W.' },
    });
  });
});
