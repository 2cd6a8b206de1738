/**
 * The `after` cursor of every resumable subscription: one beyond the newest event, or one that is
 * not a cursor at all, is answered at once with CURSOR_INVALID and the stream completes (it used to
 * be accepted and stay silent forever). The newest cursor itself resumes normally.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  IncomingReferralsDocument,
  OfferCapacityChangedDocument,
  ReferralEventsDocument,
  ReferralUpdatedDocument,
} from '../../clients/generated/graphql.ts';
import { updateOfferCapacity } from '../../src/modules/catalogue/offer.service.ts';
import { createReferral } from '../../src/modules/referrals/referral.service.ts';
import { aliceViewer, seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { raw } from '../helpers/realtime.ts';

let t: TestHub;
let s: Scenario;
let shelterId: string;
let referralId: string;
const disposers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  shelterId = offers.shelter.id;
  const r = await createReferral(t.db.prisma, s.viewer('bob'), {
    senderOrganisationId: s.org.beta.id,
    offerId: shelterId,
    needs: 'Hébergement',
    person: { initials: 'R. T.', contactChannel: 'THROUGH_SENDER' },
    consent: { purpose: 'Orientation' },
  });
  referralId = encodeGlobalID('Referral', r.id);
});
afterAll(async () => {
  for (const dispose of disposers) await dispose();
  await t.close();
});

/** The last sequence number handed out. */
async function newest(): Promise<bigint> {
  const { rows } = await t.db.pool.query<{ seq: string }>('select value::text as seq from "OutboxSequence"');
  return BigInt(rows[0]!.seq);
}

type AnyDocument = TypedDocumentNode<unknown, Record<string, unknown>>;
const subscriptions: [string, AnyDocument, () => Record<string, unknown>][] = [
  ['referralEvents', ReferralEventsDocument, () => ({})],
  ['referralUpdated', ReferralUpdatedDocument as AnyDocument, () => ({ id: referralId })],
  ['incomingReferrals', IncomingReferralsDocument, () => ({})],
  ['offerCapacityChanged', OfferCapacityChangedDocument, () => ({})],
];

async function firstAnswer(document: AnyDocument, variables: Record<string, unknown>) {
  const sub = raw(t.graphqlUrl, await s.token('bob'), document, variables);
  disposers.push(async () => sub.client.dispose());
  const [first] = await sub.waitFor(1);
  return { first, ended: await sub.ended };
}

describe.each(subscriptions)('%s', (name, document, variables) => {
  it('a cursor beyond the newest event is a typed error, at once', async () => {
    const ahead = ((await newest()) + 1000n).toString();
    const { first, ended } = await firstAnswer(document, { ...variables(), after: ahead });
    expect(first?.data ?? null).toBeNull();
    expect(first?.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/ahead of the newest event/),
      extensions: { code: 'CURSOR_INVALID' },
    });
    expect([name, ended]).toEqual([name, 'complete']);
  });

  it.each(['abc', '-1', '1e3', '99999999999999999999'])(
    'a malformed cursor (%s) is the same typed error',
    async (after) => {
      const { first, ended } = await firstAnswer(document, { ...variables(), after });
      expect(first?.errors?.[0]?.extensions?.code).toBe('CURSOR_INVALID');
      expect([name, ended]).toEqual([name, 'complete']);
    },
  );
});

it('the newest cursor itself resumes: the next change arrives', async () => {
  const sub = raw(t.graphqlUrl, await s.token('alice'), OfferCapacityChangedDocument, {
    after: (await newest()).toString(),
  });
  disposers.push(async () => sub.client.dispose());
  await updateOfferCapacity(t.db.prisma, aliceViewer(s), shelterId, { free: 4 });
  const [first] = await sub.waitFor(1);
  expect(first?.errors).toBeUndefined();
  expect(first?.data?.offerCapacityChanged).toMatchObject({ capacityFree: 4 });
});
