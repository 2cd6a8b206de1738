/**
 * Every way to reach a referral, tried by the two sides (who see it) and by everybody else — a
 * case worker and an admin of a third organisation, its API client, a hub admin, an anonymous
 * caller — who must get exactly what an unknown referral gives: null, an empty list, or
 * NotFoundError, and change nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CreateReferralDocument,
  NodesDocument,
  OfferReferralsDocument,
  OrganisationReferralsDocument,
  PersonDataAccessLogDocument,
  PostReferralMessageDocument,
  ReferralByReferenceDocument,
  ReferralCountsDocument,
  ReferralDetailDocument,
  ReferralInboxDocument,
  ReferralNodeDocument,
  SendReferralDocument,
} from '../../clients/generated/graphql.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let shelter: string;
let referral: { id: string; reference: string; version: number };
/** Callers who must not see the referral, by name. */
const outsiders: Record<string, string | undefined> = {};
/** An API client of beta (the sender) that may read and write referrals. */
let betaKey: string;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  shelter = encodeGlobalID('Offer', (await seedAlphaCatalogue(t.db.prisma, s)).offers.shelter.id);

  // A third organisation with an admin who is also a case worker, and an API client.
  const gamma = await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN', 'CASE_WORKER']);
  outsiders['gina (third organisation)'] = gamma.token;
  outsiders['hugo (hub admin)'] = await s.token('hugo');
  outsiders['anonymous'] = undefined;
  outsiders['API client of the third organisation'] = (
    await createApiClient(t.db.prisma, gamma.viewer, {
      organisationId: gamma.organisation.id,
      name: 'Gamma CRM',
      scopes: ['REFERRALS_READ', 'REFERRALS_WRITE'],
    })
  ).key;
  betaKey = (
    await createApiClient(t.db.prisma, s.viewer('bob'), {
      organisationId: s.org.beta.id,
      name: 'Beta CRM',
      scopes: ['REFERRALS_READ', 'REFERRALS_WRITE'],
    })
  ).key;

  const bob = t.client(await s.token('bob'));
  const created = await bob.request(CreateReferralDocument, {
    input: {
      senderOrganisationId: s.org.beta.globalId,
      offerId: shelter,
      needs: 'Hébergement d’urgence pour une mère et son enfant',
      person: {
        name: 'Amina K.',
        birthYear: 1994,
        languages: ['ar', 'fr'],
        contactChannel: 'THROUGH_SENDER',
      },
      consentPurpose: 'Orientation vers un hébergement',
    },
  });
  if (created.createReferral.__typename !== 'MutationCreateReferralSuccess') throw new Error('create');
  const draft = created.createReferral.data.referral;
  const sent = await bob.request(SendReferralDocument, {
    input: { id: draft.id, expectedVersion: draft.version },
  });
  if (sent.sendReferral.__typename !== 'MutationSendReferralSuccess') throw new Error('send');
  referral = sent.sendReferral.data.referral;
  await bob.request(PostReferralMessageDocument, {
    input: { id: referral.id, body: 'Appeler le matin svp' },
  });
  referral.version = (
    await t.db.prisma.referral.findFirstOrThrow({ where: { reference: referral.reference } })
  ).version;
});
afterAll(() => t.close());

/** What the database holds about the referral: must not move when outsiders try things. */
async function footprint() {
  const where = { referral: { reference: referral.reference } };
  const row = await t.db.prisma.referral.findFirstOrThrow({ where: { reference: referral.reference } });
  return {
    version: row.version,
    status: row.status,
    events: await t.db.prisma.referralEvent.count({ where }),
    messages: await t.db.prisma.referralMessage.count({ where }),
    consents: await t.db.prisma.consent.count({ where: { ...where, withdrawnAt: null } }),
    reads: await t.db.prisma.personDataAccess.count({ where }),
  };
}

describe('the two sides', () => {
  it('find it through every path, with person and messages', async () => {
    for (const who of ['bob', 'carol'] as const) {
      const token = await s.token(who);
      const box = who === 'bob' ? 'OUTGOING' : 'INCOMING';
      const org = who === 'bob' ? 'beta' : 'alpha';
      const c = t.client(token);
      expect((await c.request(ReferralNodeDocument, { id: referral.id })).node).toMatchObject({
        __typename: 'Referral',
      });
      expect((await c.request(NodesDocument, { ids: [referral.id] })).nodes).toHaveLength(1);
      expect((await c.request(ReferralDetailDocument, { id: referral.id })).referral).toMatchObject({
        person: { name: 'Amina K.' },
        messages: [{ body: 'Appeler le matin svp' }],
      });
      expect((await c.request(ReferralInboxDocument, { box })).referrals.totalCount).toBe(1);
      const viaOrg = await c.request(OrganisationReferralsDocument, { slug: org, box });
      expect(viaOrg.organisation?.referrals.edges[0]?.node).toMatchObject({
        reference: referral.reference,
        person: { initials: null },
        messages: [{ body: 'Appeler le matin svp' }],
      });
      const viaOffer = await c.request(OfferReferralsDocument, { id: shelter });
      expect(viaOffer.node).toMatchObject({ referrals: { totalCount: 1 } });
    }
  });

  it("the sender's API client reads it (the read is logged for the client) and acts on it", async () => {
    const api = t.client(betaKey);
    const before = await t.db.prisma.personDataAccess.count({ where: { apiClientId: { not: null } } });
    const detail = await api.request(ReferralDetailDocument, { id: referral.id });
    expect(detail.referral?.person?.name).toBe('Amina K.');
    expect(await t.db.prisma.personDataAccess.count({ where: { apiClientId: { not: null } } })).toBe(
      before + 1,
    );
    const posted = await api.request(PostReferralMessageDocument, {
      input: { id: referral.id, body: 'Message du logiciel de Beta' },
    });
    expect(posted.postReferralMessage.__typename).toBe('MutationPostReferralMessageSuccess');
    const event = await t.db.prisma.referralEvent.findFirstOrThrow({
      where: {
        referral: { reference: referral.reference },
        type: 'MESSAGE',
        actorApiClientId: { not: null },
      },
    });
    expect(event.actorOrganisationId).toBe(s.org.beta.id);
    referral.version = (
      await t.db.prisma.referral.findFirstOrThrow({ where: { reference: referral.reference } })
    ).version;
  });
});

describe('everybody else gets exactly what an unknown referral gives', () => {
  const unknownId = () => encodeGlobalID('Referral', randomUUID());

  it('through node, nodes, referral(id), referral(reference)', async () => {
    const before = await footprint();
    for (const [who, token] of Object.entries(outsiders)) {
      const node = await t.send(ReferralNodeDocument, { id: referral.id }, { token });
      expect([who, node.body]).toEqual([who, { data: { node: null } }]);
      expect((await t.send(ReferralNodeDocument, { id: unknownId() }, { token })).body).toEqual(node.body);
      const nodes = await t.send(NodesDocument, { ids: [referral.id, unknownId()] }, { token });
      expect([who, nodes.body]).toEqual([who, { data: { nodes: [null, null] } }]);
      const byId = await t.send(ReferralDetailDocument, { id: referral.id }, { token });
      expect([who, byId.body]).toEqual([who, { data: { referral: null } }]);
      const byRef = await t.send(ReferralByReferenceDocument, { reference: referral.reference }, { token });
      expect([who, byRef.body]).toEqual([who, { data: { referral: null } }]);
    }
    expect(await footprint()).toEqual(before);
  });

  it('through inboxes, counts, offer → referrals and organisation → referrals (with messages)', async () => {
    for (const [who, token] of Object.entries(outsiders)) {
      for (const box of ['INCOMING', 'OUTGOING'] as const) {
        const inbox = await t.send(ReferralInboxDocument, { box }, { token });
        expect([who, inbox.body.data?.referrals.totalCount ?? 0]).toEqual([who, 0]);
        const counts = await t.send(ReferralCountsDocument, { box }, { token });
        expect([who, counts.body.data?.referralStatusCounts.every((c) => c.count === 0)]).toEqual([
          who,
          true,
        ]);
        for (const slug of ['alpha', 'beta']) {
          const viaOrg = await t.send(OrganisationReferralsDocument, { slug, box }, { token });
          expect([who, viaOrg.body.data?.organisation?.referrals]).toEqual([
            who,
            { totalCount: 0, edges: [] },
          ]);
        }
      }
      const viaOffer = await t.send(OfferReferralsDocument, { id: shelter }, { token });
      expect([who, viaOffer.body.data?.node]).toEqual([who, { referrals: { totalCount: 0, edges: [] } }]);
      const log = await t.send(
        PersonDataAccessLogDocument,
        { organisationId: s.org.alpha.globalId },
        { token },
      );
      expect([who, log.body.data?.personDataAccessLog.totalCount ?? 0]).toEqual([who, 0]);
    }
  });

  /** Every referral mutation, with the input it needs (the id is filled in). */
  const MUTATIONS: Record<string, { type: string; input: Record<string, unknown> }> = {
    updateReferralDraft: { type: 'UpdateReferralDraftInput', input: { needs: 'x' } },
    sendReferral: { type: 'SendReferralInput', input: { idempotencyKey: 'k' } },
    acknowledgeReferral: { type: 'AcknowledgeReferralInput', input: {} },
    acceptReferral: { type: 'AcceptReferralInput', input: {} },
    declineReferral: { type: 'DeclineReferralInput', input: { reason: 'x', reasonCode: 'NO_CAPACITY' } },
    startReferral: { type: 'StartReferralInput', input: {} },
    holdReferral: { type: 'HoldReferralInput', input: { reason: 'x' } },
    resumeReferral: { type: 'ResumeReferralInput', input: {} },
    completeReferral: { type: 'CompleteReferralInput', input: { outcome: 'x' } },
    cancelReferral: { type: 'CancelReferralInput', input: { reason: 'x' } },
    assignReferral: { type: 'AssignReferralInput', input: { assigneeId: null } },
    postReferralMessage: { type: 'PostReferralMessageInput', input: { body: 'x' } },
    withdrawConsent: { type: 'WithdrawConsentInput', input: {} },
  };

  it('through every mutation: NotFoundError, as for an unknown ID, and nothing written', async () => {
    const before = await footprint();
    for (const [name, { type, input }] of Object.entries(MUTATIONS)) {
      const document = parse(
        `mutation M($input: ${type}!) { ${name}(input: $input) { __typename ... on Error { code message } } }`,
      ) as TypedDocumentNode<Record<string, { __typename: string }>, { input: Record<string, unknown> }>;
      const versioned = !['postReferralMessage', 'withdrawConsent'].includes(name);
      const inputFor = (id: string) => ({
        id,
        ...input,
        ...(versioned ? { expectedVersion: referral.version } : {}),
      });
      for (const [who, token] of Object.entries(outsiders)) {
        const onIt = await t.send(document, { input: inputFor(referral.id) }, { token });
        const onUnknown = await t.send(document, { input: inputFor(unknownId()) }, { token });
        if (token === undefined) {
          // Anonymous callers are refused before any lookup, identically for both IDs.
          expect([name, onIt.body.errors?.[0]?.extensions?.code]).toEqual([name, 'FORBIDDEN']);
        } else {
          expect([name, who, onIt.body.data?.[name]?.__typename]).toEqual([name, who, 'NotFoundError']);
        }
        expect([name, who, onIt.body]).toEqual([name, who, onUnknown.body]);
      }
    }
    expect(await footprint()).toEqual(before);
  });
});
