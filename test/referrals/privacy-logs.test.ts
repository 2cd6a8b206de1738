/**
 * No person data in any log line. A hub logging at its most verbose level (trace) into a captured
 * stream lives through whole referrals over HTTP and WebSocket: drafted with a person and a
 * consent, edited, sent, acknowledged, accepted, read (person, messages, history), messages both
 * ways, held and resumed, completed; another declined, another cancelled, another withdrawn; a
 * partner webhook that answers with an error page quoting the person; statistics; a text the
 * database refuses; then retention. Every free text is unique, and none of it — the person's name,
 * initials and contact, the needs, the consent purpose, messages, reasons, the outcome, the
 * partner's answer body — may appear in any line the hub logged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import {
  AcceptReferralDocument,
  AcknowledgeReferralDocument,
  CreateReferralDocument,
  CreateWebhookDocument,
  DeclineReferralDocument,
  PersonDataAccessLogDocument,
  PostReferralMessageDocument,
  ReferralDetailDocument,
  ReferralEventsDocument,
  ReferralStatsDocument,
  SendReferralDocument,
  UpdateReferralDraftDocument,
  WithdrawConsentDocument,
  type CreateReferralInput,
} from '../../clients/generated/graphql.ts';
import { anonymiseClosedReferrals } from '../../src/modules/referrals/retention.ts';
import { addWorkingDays } from '../../src/modules/referrals/working-days.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type LogLine, type TestHub } from '../helpers/hub.ts';
import { raw } from '../helpers/realtime.ts';

/** Every free text of the scenario; each carries a token found nowhere else. */
const TEXT = {
  name: 'Zofia Wiśniewska-Qorvath',
  initials: 'Z. W. Q.',
  contact: '+352 691 424 242',
  needs: 'Sans logement depuis octobre, trois enfants (besoins-k7xq)',
  needsEdited: 'Sans logement, trois enfants, scolarisés à Bonnevoie (besoins-m2vd)',
  purpose: 'Orientation vers un hébergement d’urgence (finalite-p9rt)',
  secondPurpose: 'Orientation vers un autre foyer (finalite-h4zw)',
  messageFromReceiver: 'Mme Wiśniewska a-t-elle un titre de séjour ? (message-c8jn)',
  messageFromSender: 'Oui, jusqu’en 2027, carte n° 4711 (message-d3bf)',
  hold: 'En attente du rapport médical de Zofia (attente-r5lt)',
  outcome: 'Hébergée au foyer de Bonnevoie, chambre 12 (resultat-w6gy)',
  decline: 'Plus de place pour une famille de quatre (refus-n1sa)',
  cancel: 'La famille a trouvé un logement chez un cousin (annulation-b7ke)',
  partnerAnswer: 'Erreur 500 : dossier Zofia Wiśniewska-Qorvath introuvable (partenaire-f2uc)',
} as const;
/** The tokens: a line quoting any part of a text gives itself away by them too. */
const TOKENS = [
  ...Object.values(TEXT),
  'Wiśniewska',
  'Qorvath',
  '691 424 242',
  'besoins-k7xq',
  'besoins-m2vd',
  'finalite-p9rt',
  'finalite-h4zw',
  'message-c8jn',
  'message-d3bf',
  'attente-r5lt',
  'resultat-w6gy',
  'refus-n1sa',
  'annulation-b7ke',
  'partenaire-f2uc',
];

let t: TestHub;
let s: Scenario;
let shelter: string;
let partner: http.Server;
let partnerUrl: string;
const partnerHits: string[] = [];

beforeAll(async () => {
  t = await startTestHub(
    { WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_BASE_MS: '600000' },
    { captureLogs: 'trace' },
  );
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  shelter = encodeGlobalID('Offer', (await seedAlphaCatalogue(t.db.prisma, s)).offers.shelter.id);
  // A partner system of alpha that fails with an error page quoting the person.
  partner = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      partnerHits.push(String(req.headers['maillage-event-type']));
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(TEXT.partnerAnswer);
    });
  });
  await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/maillage`;
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => partner.close(resolve));
});

type Step = 'startReferral' | 'holdReferral' | 'resumeReferral' | 'completeReferral' | 'cancelReferral';
/** A step mutation without a client operation of its own. */
const step = (name: Step) =>
  parse(`mutation Step($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) {
    ${name}(input: $input) {
      __typename
      ... on Error { code message }
      ... on ${`Mutation${name[0]!.toUpperCase()}${name.slice(1)}Success`} { data { referral { status version } } }
    }
  }`) as TypedDocumentNode<
    Record<string, { __typename: string; data?: { referral: { status: string; version: number } } }>,
    { input: Record<string, unknown> }
  >;

/** Waits until the hub has logged a line matching `test` (no fixed delay: yields to the hub). */
async function logged(test: (line: LogLine) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!t.logs.some(test)) {
    if (Date.now() > deadline) throw new Error(`the hub never logged ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a referral’s life, logged at trace', () => {
  it('leaves no person data and no partner answer in any log line', async () => {
    const bob = t.client(await s.token('bob'));
    const carol = t.client(await s.token('carol'));
    const alice = t.client(await s.token('alice'));
    const carolToken = await s.token('carol');

    const hook = await alice.request(CreateWebhookDocument, {
      input: {
        organisationId: s.org.alpha.globalId,
        url: partnerUrl,
        eventTypes: ['REFERRAL_STATUS_CHANGED', 'REFERRAL_MESSAGE_POSTED'],
      },
    });
    expect(hook.createWebhook.__typename).toBe('MutationCreateWebhookSuccess');
    // The receiving side's live view of every event it may see.
    const live = raw(t.graphqlUrl, carolToken, ReferralEventsDocument, {});

    const input = (over: Partial<CreateReferralInput> = {}): CreateReferralInput => ({
      senderOrganisationId: s.org.beta.globalId,
      offerId: shelter,
      needs: TEXT.needs,
      needThemes: ['housing'],
      person: {
        name: TEXT.name,
        initials: TEXT.initials,
        birthYear: 1987,
        languages: ['pl', 'fr'],
        contactChannel: 'PHONE',
        contact: TEXT.contact,
        interpreterNeeded: true,
      },
      consentPurpose: TEXT.purpose,
      ...over,
    });
    const create = async (over: Partial<CreateReferralInput> = {}) => {
      const r = await bob.request(CreateReferralDocument, { input: input(over) });
      if (r.createReferral.__typename !== 'MutationCreateReferralSuccess')
        throw new Error(JSON.stringify(r.createReferral));
      return r.createReferral.data.referral;
    };
    const send = async (id: string, expectedVersion: number) => {
      const r = await bob.request(SendReferralDocument, { input: { id, expectedVersion } });
      if (r.sendReferral.__typename !== 'MutationSendReferralSuccess') throw new Error(JSON.stringify(r));
      return r.sendReferral.data.referral;
    };
    const take = async (who: typeof bob, name: Step, input: Record<string, unknown>) => {
      const r = (await who.request(step(name), { input }))[name]!;
      if (!r.data) throw new Error(JSON.stringify(r));
      return r.data.referral.version;
    };

    // 1. Drafted, edited, sent, acknowledged, accepted, discussed, held, resumed, completed.
    const a = await create({ idempotencyKey: 'life-a' });
    const edited = await bob.request(UpdateReferralDraftDocument, {
      input: {
        id: a.id,
        expectedVersion: a.version,
        needs: TEXT.needsEdited,
        consentPurpose: TEXT.secondPurpose,
      },
    });
    if (edited.updateReferralDraft.__typename !== 'MutationUpdateReferralDraftSuccess')
      throw new Error(JSON.stringify(edited));
    const sent = await send(a.id, edited.updateReferralDraft.data.referral.version);
    // Due in the offer's working days, on Luxembourg's calendar.
    const row = await t.db.prisma.referral.findUniqueOrThrow({ where: { reference: sent.reference } });
    const offer = await t.db.prisma.offer.findUniqueOrThrow({ where: { id: row.offerId } });
    expect(row.dueAt).toEqual(addWorkingDays(row.sentAt!, offer.responseDays));
    let version = sent.version;
    const ack = await carol.request(AcknowledgeReferralDocument, {
      input: { id: a.id, expectedVersion: version },
    });
    if (ack.acknowledgeReferral.__typename !== 'MutationAcknowledgeReferralSuccess') throw new Error('ack');
    const accepted = await carol.request(AcceptReferralDocument, {
      input: { id: a.id, expectedVersion: ack.acknowledgeReferral.data.referral.version },
    });
    if (accepted.acceptReferral.__typename !== 'MutationAcceptReferralSuccess') throw new Error('accept');
    version = accepted.acceptReferral.data.referral.version;
    for (const [who, body] of [
      [carol, TEXT.messageFromReceiver],
      [bob, TEXT.messageFromSender],
    ] as const) {
      const m = await who.request(PostReferralMessageDocument, { input: { id: a.id, body } });
      expect(m.postReferralMessage.__typename).toBe('MutationPostReferralMessageSuccess');
    }
    const detail = await carol.request(ReferralDetailDocument, { id: a.id });
    expect(detail.referral?.person?.name).toBe(TEXT.name);
    expect(detail.referral?.messages.map((m) => m.body)).toEqual([
      TEXT.messageFromReceiver,
      TEXT.messageFromSender,
    ]);
    version = await take(carol, 'startReferral', { id: a.id, expectedVersion: detail.referral!.version });
    version = await take(carol, 'holdReferral', { id: a.id, expectedVersion: version, reason: TEXT.hold });
    version = await take(carol, 'resumeReferral', { id: a.id, expectedVersion: version });
    await take(carol, 'completeReferral', { id: a.id, expectedVersion: version, outcome: TEXT.outcome });
    // The same draft again (an idempotent retry) answers with the same referral.
    expect((await create({ idempotencyKey: 'life-a' })).id).toBe(a.id);

    // 2. Declined with a reason; 3. cancelled by the sender; 4. consent withdrawn.
    const b = await create();
    const bSent = await send(b.id, b.version);
    const declined = await carol.request(DeclineReferralDocument, {
      input: { id: b.id, expectedVersion: bSent.version, reason: TEXT.decline, reasonCode: 'NO_CAPACITY' },
    });
    expect(declined.declineReferral.__typename).toBe('MutationDeclineReferralSuccess');
    const c = await create();
    const cSent = await send(c.id, c.version);
    await take(bob, 'cancelReferral', { id: c.id, expectedVersion: cSent.version, reason: TEXT.cancel });
    const d = await create();
    await send(d.id, d.version);
    const withdrawn = await bob.request(WithdrawConsentDocument, { input: { id: d.id } });
    expect(withdrawn.withdrawConsent.__typename).toBe('MutationWithdrawConsentSuccess');

    // A text the database refuses (a NUL byte), with the person in the same input.
    await bob
      .request(CreateReferralDocument, { input: input({ needs: `${TEXT.needs}\u0000` }) })
      .catch(() => null);
    // The admins read the access log; a coordinator reads the statistics.
    await alice.request(PersonDataAccessLogDocument, { organisationId: s.org.alpha.globalId });
    await t.send(
      ReferralStatsDocument,
      { from: '2020-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' },
      { token: await s.token('hugo') },
    );

    // The live view heard the completion; the partner got its deliveries and answered 500.
    while (!live.items.some((r) => r.data?.referralEvents.toStatus === 'COMPLETED'))
      await live.waitFor(live.items.length + 1);
    await live.client.dispose();
    await logged((l) => /webhook delivery failed/.test(String(l.msg)), 'a failed webhook delivery');
    expect(partnerHits.length).toBeGreaterThan(0);

    // 5. Retention, as if a year had passed.
    const later = new Date(Date.now() + 400 * 24 * 3600 * 1000);
    expect((await anonymiseClosedReferrals(t.db.prisma, { months: 12, now: later })).referrals).toBe(4);

    // The hub did log, verbosely: requests, webhook work, debug lines.
    expect(t.logs.filter((l) => l.msg === 'request').length).toBeGreaterThan(20);
    expect(t.logs.some((l) => l.level <= 20)).toBe(true);
    const leaks = t.logs.filter((line) => {
      const text = JSON.stringify(line);
      return TOKENS.some((token) => text.includes(token));
    });
    expect(leaks).toEqual([]);
  }, 60_000);
});
