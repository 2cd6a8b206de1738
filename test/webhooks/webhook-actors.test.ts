/**
 * A webhook body names who made a referral event (`data.event.actor`) as GraphQL's
 * `ReferralEvent.actor` tells both sides: a person's or an API client's name, its kind and the
 * organisation acted for; null for an event the hub made itself. The worker reads the names of a
 * whole claim of deliveries in one statement, never one per delivery.
 *
 * The hub runs no worker here: this file's workers are the only ones, on a database handle of
 * their own whose statements the test counts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { CreateWebhookDocument, ReferralHistoryDocument } from '../../clients/generated/graphql.ts';
import type { ApiClientViewer } from '../../src/modules/accounts/viewer.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import {
  createReferral,
  postReferralMessage,
  stepReferral,
  withdrawConsent,
} from '../../src/modules/referrals/referral.service.ts';
import { startWebhookWorker, type WebhookWorker } from '../../src/modules/webhooks/webhook-worker.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { listenAttempts, Receiver, viewers, type BodyActor } from './helpers.ts';

/** No worker in the hub; up to ten attempts per endpoint at once (a claim takes them all). */
const ENV = {
  WEBHOOK_WORKER: 'false',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_CONCURRENCY: '40',
  OUTBOX_POLL_MS: '100',
};
const logger = createLogger('silent');

let t: TestHub;
let s: Scenario;
let workerDb: Database;
/** The statements the workers' database handle ran (hand-written ones included). */
const statements: string[] = [];
let offers: Awaited<ReturnType<typeof seedAlphaCatalogue>>['offers'];
let crm: ApiClientViewer;
let alpha: Receiver;
let beta: Receiver;

beforeAll(async () => {
  t = await startTestHub(ENV);
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  offers = (await seedAlphaCatalogue(t.db.prisma, s)).offers;
  const { apiClient } = await createApiClient(t.db.prisma, s.viewer('bob'), {
    organisationId: s.org.beta.id,
    name: 'Beta CRM',
    scopes: ['REFERRALS_WRITE'],
  });
  crm = {
    kind: 'apiClient',
    apiClientId: apiClient.id,
    organisationId: s.org.beta.id,
    scopes: new Set(['REFERRALS_WRITE']),
  };
  workerDb = openDatabase({
    url: t.database.url,
    poolMax: 3,
    logger,
    onQuery: (sql) => statements.push(sql),
  });
  [alpha, beta] = await Promise.all([Receiver.start(), Receiver.start()]);
  for (const [person, org, r] of [
    ['alice', s.org.alpha.globalId, alpha],
    ['bob', s.org.beta.globalId, beta],
  ] as const) {
    const res = await t.client(await s.token(person)).request(CreateWebhookDocument, {
      input: { organisationId: org, url: r.url, eventTypes: [...REFERRAL_TYPES] },
    });
    if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess') throw new Error('createWebhook');
  }
});

afterAll(async () => {
  await alpha.close();
  await beta.close();
  await workerDb.close();
  await t.close();
});

const REFERRAL_TYPES = [
  'REFERRAL_CREATED',
  'REFERRAL_STATUS_CHANGED',
  'REFERRAL_MESSAGE_POSTED',
  'REFERRAL_CONSENT_WITHDRAWN',
] as const;

function startWorker(): WebhookWorker {
  return startWebhookWorker({ db: workerDb, config: t.config, logger });
}

async function lastSeq(): Promise<string> {
  const row = await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } });
  return row.value.toString();
}

interface Body {
  type: string;
  data: { event: { id: string; type: string; actor: BodyActor | null }; referral: { id: string } };
}

/**
 * Beta's CRM drafts and sends; Carol (alpha) acknowledges; the CRM writes; the hub itself cancels
 * (as a job ending expired consents would: nobody acted); the CRM records the consent's withdrawal.
 */
async function flow(): Promise<string> {
  const v = viewers(s);
  const draft = await createReferral(t.db.prisma, crm, {
    offerId: offers.shelter.id,
    needs: 'Hébergement',
    person: { name: 'Amina K.', contactChannel: 'THROUGH_SENDER' },
    consent: { purpose: 'Orientation vers un hébergement' },
  });
  const sent = await stepReferral(t.db, crm, draft.id, 'send', { expectedVersion: draft.version });
  await stepReferral(t.db, v.carol, draft.id, 'acknowledge', { expectedVersion: sent.version });
  await postReferralMessage(t.db.prisma, crm, draft.id, 'Dossier transmis.');
  await t.db.prisma.$transaction([
    t.db.prisma.referral.update({
      where: { id: draft.id },
      data: { status: 'CANCELLED', closedAt: new Date(), version: { increment: 1 } },
    }),
    t.db.prisma.referralEvent.create({
      data: { referralId: draft.id, type: 'STATUS_CHANGED', fromStatus: 'RECEIVED', toStatus: 'CANCELLED' },
    }),
  ]);
  await withdrawConsent(t.db.prisma, crm, draft.id);
  return draft.id;
}

describe('who acted, in webhook bodies', () => {
  it('names the API client or the person, and the organisation, as GraphQL does; null for the hub', async () => {
    // A first worker sets the fan-out cursor in its first cycle, which stopping waits for.
    await startWorker().stop();
    expect(await t.db.prisma.webhookCursor.findUnique({ where: { id: 1 } })).not.toBeNull();

    // Every event is in the outbox before the next worker starts: its first claim takes them all.
    const start = await lastSeq();
    const referralId = await flow();
    const events = (
      await t.db.prisma.outboxEvent.findMany({
        where: { seq: { gt: BigInt(start) } },
        orderBy: { seq: 'asc' },
      })
    ).map((e) => e.seq.toString());
    expect(events).toHaveLength(6);
    statements.splice(0);
    const attempts = await listenAttempts(t.database.url);
    const worker = startWorker();
    try {
      await Promise.all([
        beta.waitForDelivered(events, 'beta'),
        alpha.waitForDelivered(events.slice(1), 'alpha (not the draft)'),
        // Recorded too (stopping would cut an attempt short that is not).
        attempts.feed.waitFor(
          (items) => items.filter((n) => n.status === 'DELIVERED').length === 11,
          'eleven deliveries recorded',
        ),
      ]);
    } finally {
      await worker.stop();
      await attempts.close();
    }

    // In event order (deliveries may arrive in any).
    const bodies = (r: Receiver) =>
      r.requests.items
        .filter((q) => events.includes(q.eventId))
        .sort((x, y) => events.indexOf(x.eventId) - events.indexOf(y.eventId))
        .map((q) => JSON.parse(q.body) as Body)
        .map((b) => [b.type, b.data.event.actor]);
    const crmActs = {
      name: 'Beta CRM',
      kind: 'API_CLIENT',
      organisation: { id: s.org.beta.globalId, name: 'Organisation beta' },
    };
    const carolActs = {
      name: 'Carol',
      kind: 'PERSON',
      organisation: { id: s.org.alpha.globalId, name: 'Organisation alpha' },
    };
    const sent = [
      ['referral.status_changed', crmActs],
      ['referral.status_changed', carolActs],
      ['referral.message_posted', crmActs],
      ['referral.status_changed', null],
      ['referral.consent_withdrawn', crmActs],
    ];
    expect(bodies(beta)).toEqual([['referral.created', crmActs], ...sent]);
    expect(bodies(alpha)).toEqual(sent);

    // The names of the eleven deliveries: one statement for the claim that took them all (and one
    // more for each retry's claim, should an attempt have failed on a loaded machine).
    const names = statements.filter((q) => /"ApiClient"/.test(q) && /unnest/.test(q));
    const deliveries = await t.db.prisma.webhookDelivery.findMany({ where: { seq: { gt: BigInt(start) } } });
    const retries = deliveries.reduce((n, d) => n + d.attempts - 1, 0);
    expect([deliveries.length, names.length]).toEqual([11, 1 + retries]);

    // Both sides read the same through GraphQL.
    const byEvent = new Map(
      beta.requests.items
        .filter((q) => events.includes(q.eventId))
        .map((q) => JSON.parse(q.body) as Body)
        .map((b) => [b.data.event.id, b.data.event.actor]),
    );
    for (const person of ['bob', 'carol'] as const) {
      const { referral } = await t
        .client(await s.token(person))
        .request(ReferralHistoryDocument, { id: encodeGlobalID('Referral', referralId) });
      const read = referral?.events.map((e) => [e.id, e.actor]);
      const told = referral?.events.map((e) => {
        const actor = byEvent.get(e.id);
        return [
          e.id,
          actor
            ? { kind: actor.kind, name: actor.name, organisation: { name: actor.organisation?.name } }
            : null,
        ];
      });
      expect([person, read]).toEqual([person, told]);
    }
  });
});
