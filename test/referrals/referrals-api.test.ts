/**
 * Referrals over the API: the sender drafts and sends, the receiver sees it in its inbox with
 * the person (and the read is logged); anyone else, hub admins included, gets "not found"
 * through every path.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  AcceptReferralDocument,
  CreateReferralDocument,
  ReferralByReferenceDocument,
  ReferralCountsDocument,
  ReferralInboxDocument,
  ReferralNodeDocument,
  SendReferralDocument,
  WithdrawConsentDocument,
} from '../../clients/generated/graphql.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let referral: { id: string; reference: string; version: number };

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  const bob = t.client(await s.token('bob'));
  const created = await bob.request(CreateReferralDocument, {
    input: {
      senderOrganisationId: s.org.beta.globalId,
      offerId: encodeGlobalID('Offer', offers.shelter.id),
      needs: 'Famille sans logement',
      needThemes: ['housing'],
      person: {
        initials: 'M. K.',
        birthYear: 1987,
        languages: ['ar'],
        interpreterNeeded: true,
        contactChannel: 'THROUGH_SENDER',
      },
      consentPurpose: 'Orientation vers un hébergement',
      idempotencyKey: 'beta-crm-1',
    },
  });
  if (created.createReferral.__typename !== 'MutationCreateReferralSuccess')
    throw new Error(created.createReferral.__typename);
  const draft = created.createReferral.data.referral;
  const sent = await bob.request(SendReferralDocument, {
    input: { id: draft.id, expectedVersion: draft.version },
  });
  if (sent.sendReferral.__typename !== 'MutationSendReferralSuccess')
    throw new Error(sent.sendReferral.__typename);
  referral = sent.sendReferral.data.referral;
});
afterAll(() => t.close());

describe('the two sides', () => {
  it('the receiver finds it in its incoming box, with the person; the read is logged', async () => {
    const before = await t.db.prisma.personDataAccess.count();
    const inbox = await t.client(await s.token('carol')).request(ReferralInboxDocument, { box: 'INCOMING' });
    expect(inbox.referrals.totalCount).toBe(1);
    expect(inbox.referrals.edges[0]?.node).toMatchObject({
      reference: referral.reference,
      status: 'SENT',
      senderOrganisation: { slug: 'beta' },
      person: { initials: 'M. K.', interpreterNeeded: true },
      events: [{ type: 'CREATED' }, { type: 'STATUS_CHANGED', toStatus: 'SENT' }],
    });
    const log = await t.db.prisma.personDataAccess.findMany({ where: { userId: s.user.carol.id } });
    expect(log).toHaveLength(1);
    expect(await t.db.prisma.personDataAccess.count()).toBe(before + 1);
  });

  it('inboxes count per status, and find overdue referrals', async () => {
    const carol = t.client(await s.token('carol'));
    const counts = await carol.request(ReferralCountsDocument, { box: 'INCOMING' });
    expect(counts.referralStatusCounts.find((c) => c.status === 'SENT')?.count).toBe(1);
    expect(counts.referralStatusCounts).toHaveLength(9);
    expect(counts.overdue.totalCount).toBe(0);
    expect(counts.all.edges.map((e) => e.node.overdue)).toEqual([false]);
    await t.db.prisma.referral.updateMany({ data: { dueAt: new Date(Date.now() - 60_000) } });
    const late = await carol.request(ReferralCountsDocument, { box: 'INCOMING' });
    expect(late.overdue.totalCount).toBe(1);
    // The field and the filter say the same (one rule, referral-overdue.ts).
    expect(late.all.edges.filter((e) => e.node.overdue).map((e) => e.node.reference)).toEqual(
      late.overdue.edges.map((e) => e.node.reference),
    );
    const hugo = await t.client(await s.token('hugo')).request(ReferralCountsDocument, { box: 'INCOMING' });
    expect(hugo.referralStatusCounts.every((c) => c.count === 0)).toBe(true);
  });

  it('the sender finds it in its outgoing box', async () => {
    const outbox = await t.client(await s.token('bob')).request(ReferralInboxDocument, { box: 'OUTGOING' });
    expect(outbox.referrals.edges.map((e) => e.node.reference)).toEqual([referral.reference]);
  });
});

describe('consent', () => {
  it('withdrawing it cancels the referral and hides the person from the receiver, not from the sender', async () => {
    const carol = t.client(await s.token('carol'));
    const forReceiver = await carol.request(ReferralInboxDocument, { box: 'INCOMING' });
    expect(forReceiver.referrals.edges[0]?.node.person).not.toBeNull();
    const carolsTry = await carol.request(WithdrawConsentDocument, { input: { id: referral.id } });
    expect(carolsTry.withdrawConsent.__typename).toBe('ForbiddenError');

    const bob = t.client(await s.token('bob'));
    const withdrawn = await bob.request(WithdrawConsentDocument, { input: { id: referral.id } });
    expect(withdrawn.withdrawConsent).toMatchObject({ data: { referral: { status: 'CANCELLED' } } });
    const after = await carol.request(ReferralInboxDocument, { box: 'INCOMING' });
    expect(after.referrals.edges[0]?.node).toMatchObject({ status: 'CANCELLED', person: null });
    const forSender = await bob.request(ReferralInboxDocument, { box: 'OUTGOING' });
    expect(forSender.referrals.edges[0]?.node.person).not.toBeNull();
    const row = await t.db.prisma.referral.findFirstOrThrow({ where: { reference: referral.reference } });
    referral.version = row.version;
  });
});

describe('anyone else: not found, through every path', () => {
  it('a hub admin and an anonymous caller see nothing, exactly as for an unknown referral', async () => {
    for (const token of [await s.token('hugo'), undefined]) {
      const node = await t.send(ReferralNodeDocument, { id: referral.id }, { token });
      const unknown = await t.send(
        ReferralNodeDocument,
        { id: encodeGlobalID('Referral', randomUUID()) },
        { token },
      );
      expect(node.body).toEqual({ data: { node: null } });
      expect(unknown.body).toEqual(node.body);
      const byRef = await t.send(ReferralByReferenceDocument, { reference: referral.reference }, { token });
      expect(byRef.body.data?.referral ?? null).toBeNull();
    }
    const inbox = await t.client(await s.token('hugo')).request(ReferralInboxDocument, { box: 'INCOMING' });
    expect(inbox.referrals.totalCount).toBe(0);
  });

  it('their mutations answer like for an unknown referral, and change nothing', async () => {
    const hugo = t.client(await s.token('hugo'));
    const onIt = await hugo.request(AcceptReferralDocument, {
      input: { id: referral.id, expectedVersion: referral.version },
    });
    const onUnknown = await hugo.request(AcceptReferralDocument, {
      input: { id: encodeGlobalID('Referral', randomUUID()), expectedVersion: referral.version },
    });
    expect(onIt).toEqual(onUnknown);
    expect(onIt.acceptReferral).toMatchObject({ __typename: 'NotFoundError' });
    const row = await t.db.prisma.referral.findFirstOrThrow({ where: { reference: referral.reference } });
    expect(row).toMatchObject({ version: referral.version });
  });
});
