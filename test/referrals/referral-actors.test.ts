/**
 * Who acted, for both sides: each event of a referral's history (`events`, `lastEvent`, live
 * notices) and each message says who (a person's name, or an API client's) and for which
 * organisation — a name, never the other side's accounts. The receiving side reads the consent
 * record (who recorded it, when, purpose, recipients, until when, withdrawn when) without the
 * person data it protects; once retention anonymised the referral, its purpose is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
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
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  shelter = encodeGlobalID('Offer', (await seedAlphaCatalogue(t.db.prisma, s)).offers.shelter.id);
  ({ key: alphaKey } = await createApiClient(t.db.prisma, s.viewer('alice'), {
    organisationId: s.org.alpha.id,
    name: 'Alpha CRM',
    scopes: ['REFERRALS_WRITE'],
  }));
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await t.close();
});

const bob = { kind: 'PERSON', name: 'Bob', organisation: { name: 'Organisation beta' } };
const carol = { kind: 'PERSON', name: 'Carol', organisation: { name: 'Organisation alpha' } };
const crm = { kind: 'API_CLIENT', name: 'Alpha CRM', organisation: { name: 'Organisation alpha' } };

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
