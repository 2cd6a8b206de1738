/**
 * Who acted, for both sides: each event of a referral's history (`events`, `lastEvent`, live
 * notices) and each message says who (a person's name, or an API client's) and for which
 * organisation — a name, never the other side's accounts. The receiving side reads the consent
 * record (who recorded it, when, purpose, recipients, until when, withdrawn when) without the
 * person data it protects; once retention anonymised the referral, its purpose is gone.
 *
 * Each row keeps who wrote it (a user id or an API client id): a partner system's message,
 * consent or withdrawal is its own, read from the row, not guessed from an event.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AcknowledgeReferralDocument,
  CreateReferralDocument,
  PostReferralMessageDocument,
  ReferralEventsDocument,
  ReferralHistoryDocument,
  SendReferralDocument,
  WithdrawConsentDocument,
  type ReferralEventsSubscription,
} from '../../clients/generated/graphql.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import { anonymiseClosedReferrals } from '../../src/modules/referrals/retention.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { resumable } from '../helpers/realtime.ts';

let t: TestHub;
let s: Scenario;
let shelter: string;
/** Alpha's partner system, with REFERRALS_WRITE. */
let alphaKey: string;
let alphaClientId: string;
/** Beta's (the sending side's), with REFERRALS_WRITE. */
let beta: { key: string; id: string };
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  shelter = encodeGlobalID('Offer', (await seedAlphaCatalogue(t.db.prisma, s)).offers.shelter.id);
  ({
    key: alphaKey,
    apiClient: { id: alphaClientId },
  } = await createApiClient(t.db.prisma, s.viewer('alice'), {
    organisationId: s.org.alpha.id,
    name: 'Alpha CRM',
    scopes: ['REFERRALS_WRITE'],
  }));
  const betaCrm = await createApiClient(t.db.prisma, s.viewer('bob'), {
    organisationId: s.org.beta.id,
    name: 'Beta CRM',
    scopes: ['REFERRALS_WRITE'],
  });
  beta = { key: betaCrm.key, id: betaCrm.apiClient.id };
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await t.close();
});

const bob = { kind: 'PERSON', name: 'Bob', organisation: { name: 'Organisation beta' } };
const carol = { kind: 'PERSON', name: 'Carol', organisation: { name: 'Organisation alpha' } };
const crm = { kind: 'API_CLIENT', name: 'Alpha CRM', organisation: { name: 'Organisation alpha' } };
const betaCrm = { kind: 'API_CLIENT', name: 'Beta CRM', organisation: { name: 'Organisation beta' } };

/** Bob drafts and sends; Carol acknowledges; Carol, Bob and alpha's CRM write. */
async function story() {
  const asBob = t.client(await s.token('bob'));
  const asCarol = t.client(await s.token('carol'));
  const created = await asBob.request(CreateReferralDocument, {
    input: {
      offerId: shelter,
      needs: 'Hébergement',
      person: { name: 'Mariam Khalil', contactChannel: 'PHONE', contact: '+352 621 000 000' },
      consentPurpose: 'Orientation vers un hébergement',
      consentExpiresAt: '2030-01-01T00:00:00.000Z',
    },
  });
  if (created.createReferral.__typename !== 'MutationCreateReferralSuccess') throw new Error('create');
  const { id } = created.createReferral.data.referral;
  await asBob.request(SendReferralDocument, { input: { id, expectedVersion: 1 } });
  await asCarol.request(AcknowledgeReferralDocument, { input: { id, expectedVersion: 2 } });
  await asCarol.request(PostReferralMessageDocument, { input: { id, body: 'Bien reçu.' } });
  await asBob.request(PostReferralMessageDocument, { input: { id, body: 'Merci.' } });
  const byCrm = await t.send(
    PostReferralMessageDocument,
    { input: { id, body: 'Dossier ouvert.' } },
    { token: alphaKey },
  );
  expect(byCrm.body.data?.postReferralMessage.__typename).toBe('MutationPostReferralMessageSuccess');
  return id;
}

describe('who acted', () => {
  it('each event and message names who acted and for which organisation, the same for both sides', async () => {
    const id = await story();
    for (const person of ['bob', 'carol'] as const) {
      const { referral } = await t.client(await s.token(person)).request(ReferralHistoryDocument, { id });
      expect([person, referral?.events.map((e) => [e.type, e.actor])]).toEqual([
        person,
        [
          ['CREATED', bob],
          ['STATUS_CHANGED', bob],
          ['STATUS_CHANGED', carol],
          ['MESSAGE', carol],
          ['MESSAGE', bob],
          ['MESSAGE', crm],
        ],
      ]);
      expect([person, referral?.messages.map((m) => [m.body, m.actor])]).toEqual([
        person,
        [
          ['Bien reçu.', carol],
          ['Merci.', bob],
          ['Dossier ouvert.', crm],
        ],
      ]);
      expect(referral?.lastEvent).toMatchObject({ type: 'MESSAGE', actor: crm });
      // The same ids as webhooks (global, of a type of their own).
      expect(referral?.events[0]?.id).toMatch(/^[A-Za-z0-9+/=]+$/);
    }
  });

  it('an actor is a name and an organisation: no account, e-mail or role of the other side', async () => {
    const fields = parse('{ __type(name: "Actor") { fields { name } } }') as TypedDocumentNode<
      { __type: { fields: { name: string }[] } | null },
      Record<string, never>
    >;
    const res = await t.send(fields, {});
    expect(res.body.data?.__type?.fields.map((f) => f.name).sort()).toEqual(['kind', 'name', 'organisation']);
  });

  it('live notices say who acted', async () => {
    const { rows } = await t.db.pool.query<{ seq: string }>(
      'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
    );
    const cursorOf = (d: ReferralEventsSubscription) => d.referralEvents.cursor;
    const forCarol = resumable(
      t.graphqlUrl,
      await s.token('carol'),
      ReferralEventsDocument,
      {},
      cursorOf,
      rows[0]!.seq,
    );
    stops.push(() => forCarol.sub.stop());
    await story();
    const notices = (await forCarol.waitFor(5)).map((d) => [d.referralEvents.type, d.referralEvents.actor]);
    expect(notices).toEqual([
      ['STATUS_CHANGED', bob],
      ['STATUS_CHANGED', carol],
      ['MESSAGE', carol],
      ['MESSAGE', bob],
      ['MESSAGE', crm],
    ]);
  });
});

describe('the consent record', () => {
  it('both sides read who recorded it, when, for what, for whom and until when; not the person', async () => {
    const id = await story();
    const forBob = (await t.client(await s.token('bob')).request(ReferralHistoryDocument, { id })).referral;
    const forCarol = (await t.client(await s.token('carol')).request(ReferralHistoryDocument, { id }))
      .referral;
    const record = {
      recordedBy: bob,
      purpose: 'Orientation vers un hébergement',
      recipients: [{ id: s.org.alpha.globalId, name: 'Organisation alpha' }],
      expiresAt: '2030-01-01T00:00:00.000Z',
      withdrawnAt: null,
      withdrawnBy: null,
    };
    expect(forBob?.consent).toMatchObject(record);
    expect(forCarol?.consent).toMatchObject(record);
    expect(Date.parse(forCarol!.consent!.recordedAt)).toBeLessThanOrEqual(Date.now());

    const withdrawn = await t
      .client(await s.token('bob'))
      .request(WithdrawConsentDocument, { input: { id } });
    expect(withdrawn.withdrawConsent.__typename).toBe('MutationWithdrawConsentSuccess');
    const after = (await t.client(await s.token('carol')).request(ReferralHistoryDocument, { id })).referral;
    expect(after?.person).toBeNull();
    expect(after?.consent).toMatchObject({ ...record, withdrawnBy: bob, withdrawnAt: expect.any(String) });
  });

  it('after retention, the purpose is gone and the rest stays', async () => {
    const id = await story();
    await t.client(await s.token('bob')).request(WithdrawConsentDocument, { input: { id } });
    const future = new Date(Date.now() + 400 * 86_400_000);
    await anonymiseClosedReferrals(t.db.prisma, { months: 12, now: future });
    const { referral } = await t.client(await s.token('carol')).request(ReferralHistoryDocument, { id });
    expect(referral?.consent).toMatchObject({
      purpose: null,
      recordedBy: bob,
      recipients: [{ name: 'Organisation alpha' }],
      withdrawnAt: expect.any(String),
    });
  });
});

describe('an API client acting', () => {
  /** Beta's CRM drafts (recording the consent), sends, writes, and records the withdrawal. */
  async function byPartnerSystem() {
    const as = { token: beta.key };
    const created = await t.send(
      CreateReferralDocument,
      {
        input: {
          offerId: shelter,
          needs: 'Hébergement',
          person: { name: 'Mariam Khalil', contactChannel: 'PHONE', contact: '+352 621 000 000' },
          consentPurpose: 'Orientation vers un hébergement',
        },
      },
      as,
    );
    const made = created.body.data?.createReferral;
    if (made?.__typename !== 'MutationCreateReferralSuccess') throw new Error(JSON.stringify(created.body));
    const { id } = made.data.referral;
    await t.send(SendReferralDocument, { input: { id, expectedVersion: 1 } }, as);
    await t.send(PostReferralMessageDocument, { input: { id, body: 'Dossier transmis.' } }, as);
    const withdrawn = await t.send(WithdrawConsentDocument, { input: { id } }, as);
    expect(withdrawn.body.data?.withdrawConsent.__typename).toBe('MutationWithdrawConsentSuccess');
    return id;
  }

  it("both sides read its name for its message, its consent and the consent's withdrawal", async () => {
    const id = await byPartnerSystem();
    for (const person of ['bob', 'carol'] as const) {
      const { referral } = await t.client(await s.token(person)).request(ReferralHistoryDocument, { id });
      expect([person, referral?.messages.map((m) => [m.body, m.actor])]).toEqual([
        person,
        [['Dossier transmis.', betaCrm]],
      ]);
      const consent = referral?.consent;
      expect([person, consent?.recordedBy, consent?.withdrawnBy]).toEqual([person, betaCrm, betaCrm]);
      expect([person, referral?.events.map((e) => [e.type, e.actor])]).toEqual([
        person,
        [
          ['CREATED', betaCrm],
          ['STATUS_CHANGED', betaCrm],
          ['MESSAGE', betaCrm],
          ['CONSENT_WITHDRAWN', betaCrm],
        ],
      ]);
    }
  });

  it('each row stores who wrote it: the API client, or the person', async () => {
    const byCrm = decodeGlobalID(await byPartnerSystem()).id;
    const byBob = decodeGlobalID(await story()).id;
    await t.client(await s.token('bob')).request(WithdrawConsentDocument, {
      input: { id: encodeGlobalID('Referral', byBob) },
    });
    const consents = await t.db.prisma.consent.findMany({
      where: { referralId: { in: [byCrm, byBob] } },
      select: {
        referralId: true,
        recordedByUserId: true,
        recordedByApiClientId: true,
        withdrawnByUserId: true,
        withdrawnByApiClientId: true,
      },
    });
    const messages = await t.db.prisma.referralMessage.findMany({
      where: { referralId: { in: [byCrm, byBob] } },
      select: { referralId: true, authorUserId: true, authorApiClientId: true, authorOrganisationId: true },
      orderBy: { at: 'asc' },
    });
    const client = { userId: null, apiClientId: beta.id };
    const bob = { userId: s.user.bob.id, apiClientId: null };
    expect(
      consents.map((c) => [
        c.referralId === byCrm ? 'crm' : 'bob',
        { userId: c.recordedByUserId, apiClientId: c.recordedByApiClientId },
        { userId: c.withdrawnByUserId, apiClientId: c.withdrawnByApiClientId },
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['crm', client, client],
        ['bob', bob, bob],
      ]),
    );
    expect(
      messages.map((m) => [
        m.referralId === byCrm ? 'crm' : 'story',
        m.authorUserId,
        m.authorApiClientId,
        m.authorOrganisationId,
      ]),
    ).toEqual([
      ['crm', null, beta.id, s.org.beta.id],
      ['story', s.user.carol.id, null, s.org.alpha.id],
      ['story', s.user.bob.id, null, s.org.beta.id],
      ['story', null, alphaClientId, s.org.alpha.id],
    ]);
  });
});
