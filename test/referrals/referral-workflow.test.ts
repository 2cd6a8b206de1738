/**
 * The referral work of both sides over the API: editing a draft, retrying a send, declining with
 * a coded reason, assigning and filtering the inbox, the person-data access log, and an inbox
 * page whose SQL does not grow with its size.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import {
  AcceptReferralDocument,
  AssignReferralDocument,
  CreateReferralDocument,
  DeclineReferralDocument,
  PersonDataAccessLogDocument,
  ReferralDetailDocument,
  ReferralInboxDocument,
  SendReferralDocument,
  UpdateReferralDraftDocument,
  type CreateReferralInput,
} from '../../clients/generated/graphql.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let shelter: string;
let betaOffer: string;
let bob: ReturnType<TestHub['client']>;
let carol: ReturnType<TestHub['client']>;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  shelter = encodeGlobalID('Offer', (await seedAlphaCatalogue(t.db.prisma, s)).offers.shelter.id);
  // An offer of beta itself, to move a draft to another organisation.
  const own = await t.db.prisma.offer.create({
    data: {
      organisationId: s.org.beta.id,
      title: { fr: 'Consultation sociale' },
      status: 'PUBLISHED',
      acceptsReferrals: true,
    },
  });
  betaOffer = encodeGlobalID('Offer', own.id);
  bob = t.client(await s.token('bob'));
  carol = t.client(await s.token('carol'));
});
afterAll(() => t.close());

const input = (over: Partial<CreateReferralInput> = {}): CreateReferralInput => ({
  senderOrganisationId: s.org.beta.globalId,
  offerId: shelter,
  needs: 'Besoin d’un hébergement',
  person: { initials: 'J. D.', languages: ['pt'], contactChannel: 'THROUGH_SENDER' },
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

describe('drafts', () => {
  it('the sender edits a draft; moving it to another organisation needs a consent covering it', async () => {
    const d = await draft();
    const moved = await bob.request(UpdateReferralDraftDocument, {
      input: {
        id: d.id,
        expectedVersion: d.version,
        offerId: betaOffer,
        needs: 'Besoin d’un accompagnement social',
        urgency: 'URGENT',
        needThemes: ['housing'],
        person: {
          name: 'João Dias',
          languages: ['pt', 'fr'],
          interpreterNeeded: true,
          contactChannel: 'THROUGH_SENDER',
        },
      },
    });
    expect(moved.updateReferralDraft).toMatchObject({
      data: {
        referral: {
          version: d.version + 1,
          urgency: 'URGENT',
          needs: 'Besoin d’un accompagnement social',
          receiverOrganisation: { slug: 'beta' },
        },
      },
    });
    const stale = await bob.request(UpdateReferralDraftDocument, {
      input: { id: d.id, expectedVersion: d.version, needs: 'x' },
    });
    expect(stale.updateReferralDraft).toMatchObject({ __typename: 'VersionConflictError' });
    const refused = await bob.request(SendReferralDocument, {
      input: { id: d.id, expectedVersion: d.version + 1 },
    });
    expect(refused.sendReferral).toMatchObject({ __typename: 'ConsentMissingError' });

    const consented = await bob.request(UpdateReferralDraftDocument, {
      input: { id: d.id, expectedVersion: d.version + 1, consentPurpose: 'Accompagnement social interne' },
    });
    expect(consented.updateReferralDraft.__typename).toBe('MutationUpdateReferralDraftSuccess');
    const ok = await bob.request(SendReferralDocument, {
      input: { id: d.id, expectedVersion: d.version + 2 },
    });
    expect(ok.sendReferral).toMatchObject({ data: { referral: { status: 'SENT' } } });
    const detail = await bob.request(ReferralDetailDocument, { id: d.id });
    expect(detail.referral).toMatchObject({
      person: { name: 'João Dias', initials: null, interpreterNeeded: true },
      needThemes: [{ code: 'housing' }],
    });
  });

  it('a draft stays with its sender: the receiving side neither sees nor touches it', async () => {
    const d = await draft({ needs: 'Brouillon' });
    const forCarol = await carol.request(ReferralDetailDocument, { id: d.id });
    expect(forCarol.referral).toBeNull();
    const inbox = await carol.request(ReferralInboxDocument, { box: 'INCOMING' });
    expect(inbox.referrals.edges.map((e) => e.node.reference)).not.toContain(d.reference);
    const declined = await carol.request(DeclineReferralDocument, {
      input: { id: d.id, expectedVersion: d.version, reason: 'x' },
    });
    expect(declined.declineReferral).toMatchObject({ __typename: 'NotFoundError' });
    expect((await bob.request(ReferralDetailDocument, { id: d.id })).referral).not.toBeNull();
  });

  it('only drafts can be edited, only by the sender', async () => {
    const r = await sent();
    const after = await bob.request(UpdateReferralDraftDocument, {
      input: { id: r.id, expectedVersion: r.version, needs: 'x' },
    });
    expect(after.updateReferralDraft).toMatchObject({ __typename: 'InvalidTransitionError' });
    const byReceiver = await carol.request(UpdateReferralDraftDocument, {
      input: { id: r.id, expectedVersion: r.version, needs: 'x' },
    });
    expect(byReceiver.updateReferralDraft).toMatchObject({ __typename: 'ForbiddenError' });
  });
});

describe('sendReferral with an idempotency key', () => {
  it('a retry returns the first result; another input under the same key is refused', async () => {
    const d = await draft();
    const send = { id: d.id, expectedVersion: d.version, idempotencyKey: 'crm-send-1' };
    const first = await bob.request(SendReferralDocument, { input: send });
    const retry = await bob.request(SendReferralDocument, { input: send });
    expect(first.sendReferral).toMatchObject({ data: { referral: { status: 'SENT' } } });
    expect(retry).toEqual(first);
    const other = await bob.request(SendReferralDocument, { input: { ...send, acceptWaitlist: true } });
    expect(other.sendReferral).toMatchObject({ __typename: 'IdempotencyConflictError' });
    const sends = await t.db.prisma.referralEvent.count({
      where: { referral: { reference: d.reference }, toStatus: 'SENT' },
    });
    expect(sends).toBe(1);
  });

  it('two concurrent sends with one key: one send, both get it', async () => {
    const d = await draft();
    const send = { id: d.id, expectedVersion: d.version, idempotencyKey: 'crm-send-2' };
    const [a, b] = await Promise.all([
      bob.request(SendReferralDocument, { input: send }),
      bob.request(SendReferralDocument, { input: send }),
    ]);
    expect(a).toEqual(b);
    expect(a.sendReferral).toMatchObject({ data: { referral: { status: 'SENT', version: d.version + 1 } } });
  });
});

describe('the receiving side', () => {
  it('declines with a coded reason', async () => {
    const r = await sent();
    const declined = await carol.request(DeclineReferralDocument, {
      input: {
        id: r.id,
        expectedVersion: r.version,
        reason: 'Plus de place ce mois-ci',
        reasonCode: 'NO_CAPACITY',
      },
    });
    expect(declined.declineReferral).toMatchObject({
      data: { referral: { status: 'DECLINED', declineReason: 'NO_CAPACITY' } },
    });
    const noCode = await sent();
    const other = await carol.request(DeclineReferralDocument, {
      input: { id: noCode.id, expectedVersion: noCode.version, reason: 'Hors critères' },
    });
    expect(other.declineReferral).toMatchObject({ data: { referral: { declineReason: 'OTHER' } } });
  });

  it('assigns, and filters its inbox by assignee or unassigned', async () => {
    const r = await sent({ needs: 'À assigner' });
    const alice = t.client(await s.token('alice'));
    const assigned = await alice.request(AssignReferralDocument, {
      input: { id: r.id, expectedVersion: r.version, assigneeId: s.user.carol.globalId },
    });
    expect(assigned.assignReferral).toMatchObject({
      data: { referral: { assignee: { id: s.user.carol.globalId } } },
    });
    const mine = await carol.request(ReferralInboxDocument, {
      box: 'INCOMING',
      filter: { assigneeId: s.user.carol.globalId },
    });
    expect(mine.referrals.edges.map((e) => e.node.reference)).toEqual([r.reference]);
    expect(mine.referrals.edges[0]?.node).toMatchObject({
      assignee: { name: 'Carol' },
      lastEvent: { type: 'ASSIGNED' },
    });
    const all = await carol.request(ReferralInboxDocument, { box: 'INCOMING' });
    const unassigned = await carol.request(ReferralInboxDocument, {
      box: 'INCOMING',
      filter: { unassigned: true },
    });
    expect(unassigned.referrals.totalCount).toBe(all.referrals.totalCount - 1);
    expect(unassigned.referrals.edges.map((e) => e.node.reference)).not.toContain(r.reference);
    const acceptedOnly = await carol.request(ReferralInboxDocument, {
      box: 'INCOMING',
      filter: { status: ['ACCEPTED'], assigneeId: s.user.carol.globalId },
    });
    expect(acceptedOnly.referrals.totalCount).toBe(0);
    const accepted = await carol.request(AcceptReferralDocument, {
      input: { id: r.id, expectedVersion: r.version + 1 },
    });
    expect(accepted.acceptReferral.__typename).toBe('MutationAcceptReferralSuccess');
  });
});

describe('the access log', () => {
  it('records each read of person data; admins of either side read it, case workers do not', async () => {
    const r = await sent({ needs: 'Lecture journalisée' });
    await carol.request(ReferralDetailDocument, { id: r.id });
    await bob.request(ReferralDetailDocument, { id: r.id });
    const forCarol = await carol.request(ReferralDetailDocument, { id: r.id });
    expect(forCarol.referral?.personAccessLog).toBeNull();
    const forBob = await bob.request(ReferralDetailDocument, { id: r.id });
    // The reads before this request, newest first (this one is logged with its answer).
    expect(forBob.referral?.personAccessLog?.map((a) => [a.readerName, a.organisation.slug])).toEqual([
      ['Carol', 'alpha'],
      ['Bob', 'beta'],
      ['Carol', 'alpha'],
    ]);
    const alice = t.client(await s.token('alice'));
    const log = await alice.request(PersonDataAccessLogDocument, { organisationId: s.org.alpha.globalId });
    expect(
      log.personDataAccessLog.edges.filter((e) => e.node.referral?.reference === r.reference),
    ).toHaveLength(4);
    const notHers = await carol.request(PersonDataAccessLogDocument, {
      organisationId: s.org.alpha.globalId,
    });
    expect(notHers.personDataAccessLog.totalCount).toBe(0);
  });
});

/** The statement that reads the page (the only one from "Referral" r). */
const page = (statements: string[]) => statements.find((q) => /from "Referral" r/.test(q)) ?? '';

describe('an inbox page', () => {
  it('costs the same 5 SQL statements for 2 referrals as for 30, with one INSERT for the access log', async () => {
    for (let i = 0; i < 30; i++) await sent({ needs: `Page ${i}` });
    const statements = async (first: number) => {
      t.resetQueries();
      const page = await carol.request(ReferralInboxDocument, { box: 'INCOMING', first });
      expect(page.referrals.edges).toHaveLength(first);
      return [...t.queries];
    };
    const small = await statements(2);
    const large = await statements(30);
    expect(large.length).toBe(small.length);
    expect(large.filter((q) => /insert into/i.test(q))).toHaveLength(1);
    // The token's user with its memberships, the page with all it shows and its count (issue
    // 15: one statement, last events included), the access log, then the names of the events'
    // actors and their organisations.
    expect(large).toHaveLength(5);
    expect(large.filter((q) => /from "Referral" r/.test(q))).toHaveLength(1);
    expect(page(large)).toMatch(/select count\(\*\)::int from "Referral" r/);
  });

  it('reads of the person only the columns the page shows: no name or contact leaves the database for it', async () => {
    const person = {
      name: 'Ana Colonnes',
      initials: 'A. C.',
      languages: ['pt', 'fr'],
      contactChannel: 'PHONE' as const,
      contact: '+352 621 000 000',
    };
    await sent({ person });
    const inbox = (person: string) =>
      parse(
        `{ referrals(box: INCOMING, first: 5) { edges { node { reference person { ${person} } } } } }`,
      ) as TypedDocumentNode<{
        referrals: { edges: { node: { person: Record<string, unknown> | null } }[] };
      }>;
    /** The person's part of the page statement: the JSON object built from "ReferralPerson". */
    const personRead = (statement: string) =>
      /'person', \(SELECT json_build_object\(([^)]*)\) FROM "ReferralPerson"/.exec(statement)?.[1];

    t.resetQueries();
    const initials = await carol.request(inbox('initials languages'));
    expect(initials.referrals.edges[0]!.node.person).toEqual({ initials: 'A. C.', languages: ['pt', 'fr'] });
    const narrow = personRead(page(t.queries));
    // The key, what the page shows, and `anonymisedAt`, which decides whether it shows a person at all.
    for (const column of ['referralId', 'initials', 'languages', 'anonymisedAt'])
      expect(narrow).toContain(`"${column}"`);
    for (const column of ['name', 'contact', 'contactChannel', 'birthYear'])
      expect(narrow).not.toContain(`"${column}"`);

    t.resetQueries();
    const contact = await carol.request(inbox('name contact'));
    expect(contact.referrals.edges[0]!.node.person).toEqual({ name: person.name, contact: person.contact });
    const asked = personRead(page(t.queries));
    for (const column of ['name', 'contact', 'anonymisedAt']) expect(asked).toContain(`"${column}"`);
    expect(asked).not.toContain('"initials"');
  });

  it('reads of a referral only the columns the SDK inbox shows, with the assignee for the receiving side alone', async () => {
    const r = await sent({ needs: 'Colonnes de la boîte' });
    const alice = t.client(await s.token('alice'));
    await alice.request(AssignReferralDocument, {
      input: { id: r.id, expectedVersion: r.version, assigneeId: s.user.carol.globalId },
    });
    const row = async (client: typeof carol, box: 'INCOMING' | 'OUTGOING') => {
      t.resetQueries();
      const inbox = await client.request(ReferralInboxDocument, { box, first: 50 });
      return {
        node: inbox.referrals.edges.find((e) => e.node.reference === r.reference)!.node,
        statement: page(t.queries),
      };
    };
    const receiving = await row(carol, 'INCOMING');
    // `assignee`'s authorisation declares what it reads of the row (`authReads`): without it the page
    // read every column of the referral, and of its assignee.
    const part = (key: string) =>
      new RegExp(`'${key}', \\(SELECT (?:coalesce\\(json_agg\\()?json_build_object\\(([^)]*)\\)`).exec(
        receiving.statement,
      )?.[1];
    const referral = /^\s*select json_build_object\(([^(]*)/.exec(receiving.statement)?.[1];
    for (const column of ['sentAt', 'receiverOrganisationId', 'needs'])
      expect(referral).toContain(`'${column}'`);
    for (const column of ['statusReason', 'outcome', 'idempotencyHash', 'closedAt'])
      expect(referral).not.toContain(`'${column}'`);
    expect(part('assignee')).toBe(`'id', r_5."id", 'name', r_5."name"`);
    expect(part('events')).toContain(`'toStatus'`);
    expect(part('events')).not.toContain(`'note'`);
    expect(receiving.node.assignee).toMatchObject({ id: s.user.carol.globalId, name: 'Carol' });
    expect(receiving.node.assigneeName).toBe('Carol');
    // Alone, `assignee` reads the referral's routing and key, and its authorisation answers from them.
    t.resetQueries();
    const assigneeOnly: TypedDocumentNode<{
      referrals: { edges: { node: { reference: string; assignee: { name: string } | null } }[] };
    }> = parse(`{ referrals(box: INCOMING, first: 50) { edges { node { reference assignee { name } } } } }`);
    const alone = await carol.request(assigneeOnly);
    expect(alone.referrals.edges.find((e) => e.node.reference === r.reference)!.node.assignee).toEqual({
      name: 'Carol',
    });
    expect(/^\s*select json_build_object\(([^(]*)/.exec(page(t.queries))?.[1]).toBe(
      `'id', r."id", 'reference', r."reference", 'senderOrganisationId', r."senderOrganisationId", 'receiverOrganisationId', r."receiverOrganisationId", 'sentAt', r."sentAt", 'assignee', `,
    );
    const sending = await row(bob, 'OUTGOING');
    expect(sending.node.assignee).toBeNull();
    expect(sending.node.assigneeName).toBe('Carol');
  });

  it('counts the box with the page: the same totalCount as counting apart, and apart when the page is empty', async () => {
    for (let i = 0; i < 3; i++) await sent({ needs: `Compte ${i}` });
    t.resetQueries();
    const first = await carol.request(ReferralInboxDocument, { box: 'INCOMING', first: 2 });
    const withPage = [...t.queries];
    const total = await t.db.prisma.referral.count({
      where: { receiverOrganisationId: s.org.alpha.id, sentAt: { not: null } },
    });
    expect(first.referrals.totalCount).toBe(total);
    expect(withPage.filter((q) => /select count/.test(q))).toHaveLength(1);
    // Past the end: no row carries the count, so it is read apart, and is the same.
    let after = first.referrals.pageInfo.endCursor;
    for (;;) {
      t.resetQueries();
      const next = await carol.request(ReferralInboxDocument, { box: 'INCOMING', first: 50, after });
      if (next.referrals.edges.length === 0) {
        expect(next.referrals.totalCount).toBe(total);
        expect(t.queries.filter((q) => /select count/.test(q))).toHaveLength(2);
        break;
      }
      after = next.referrals.pageInfo.endCursor;
    }
  });
});
