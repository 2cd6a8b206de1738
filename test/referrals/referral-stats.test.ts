/**
 * referralStats over the API. Referrals are written as rows with chosen times, so that every
 * count and median is known exactly: January 2026, alpha receiving from beta and sending to
 * beta, one referral between hub and beta, and rows just outside the period or never sent.
 * Who may ask: hub admins anything, alpha's admin and case worker alpha only, nobody else;
 * and no person, user, reference or free text ever appears in an answer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { isEnumType, isListType, isNonNullType, isObjectType, isScalarType, type GraphQLType } from 'graphql';
import { ReferralStatsDocument, type ReferralStatsQuery } from '../../clients/generated/graphql.ts';
import type { DeclineReason, ReferralStatus } from '../../src/generated/prisma/enums.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import { schema } from '../../src/schema.ts';
import { aliceViewer, seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Person, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;

const JAN = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };
const HOUR = 3_600_000;
/** Free text and person data written into every referral: none of it may come back. */
const SECRETS = ['Maria Secret', 'M. S.', '+352 621 000 000', 'needs-text', 'reason-text', 'outcome-text'];

interface Row {
  from: 'alpha' | 'beta' | 'hub';
  to: 'alpha' | 'beta';
  sentAt: string | null;
  status: ReferralStatus;
  /** Hours after sentAt. */
  answer?: number;
  closed?: number;
  reason?: DeclineReason;
  themes?: string[];
}

/** Hours from sending to the first answer and to closing, chosen so that medians are exact. */
const ROWS: Row[] = [
  // beta -> alpha (alpha receives 7): first answers 2, 4, 10, 6, 1, 8 h (median 5); completions 48, 120 h (84).
  { from: 'beta', to: 'alpha', sentAt: JAN.from, status: 'SENT', themes: ['housing'] },
  {
    from: 'beta',
    to: 'alpha',
    sentAt: '2026-01-06T08:00:00Z',
    status: 'ACCEPTED',
    answer: 2,
    themes: ['housing.emergency_shelter'],
  },
  {
    from: 'beta',
    to: 'alpha',
    sentAt: '2026-01-07T08:00:00Z',
    status: 'DECLINED',
    answer: 4,
    closed: 4,
    reason: 'NO_CAPACITY',
    themes: ['housing'],
  },
  {
    from: 'beta',
    to: 'alpha',
    sentAt: '2026-01-08T08:00:00Z',
    status: 'COMPLETED',
    answer: 10,
    closed: 48,
    themes: ['housing', 'health'],
  },
  {
    from: 'beta',
    to: 'alpha',
    sentAt: '2026-01-09T08:00:00Z',
    status: 'COMPLETED',
    answer: 6,
    closed: 120,
    themes: ['language.french'],
  },
  {
    from: 'beta',
    to: 'alpha',
    sentAt: '2026-01-10T08:00:00Z',
    status: 'DECLINED',
    answer: 1,
    closed: 1,
    reason: 'NO_CAPACITY',
    themes: ['housing'],
  },
  // Declined without a coded reason (as before the codes existed).
  { from: 'beta', to: 'alpha', sentAt: '2026-01-11T08:00:00Z', status: 'DECLINED', answer: 8, closed: 8 },
  // alpha -> beta (alpha sends 3): first answers 24, 12 h (median 18); completion 72 h.
  {
    from: 'alpha',
    to: 'beta',
    sentAt: '2026-01-12T08:00:00Z',
    status: 'COMPLETED',
    answer: 24,
    closed: 72,
    themes: ['health'],
  },
  {
    from: 'alpha',
    to: 'beta',
    sentAt: '2026-01-13T08:00:00Z',
    status: 'DECLINED',
    answer: 12,
    closed: 12,
    reason: 'OUT_OF_AREA',
    themes: ['language'],
  },
  { from: 'alpha', to: 'beta', sentAt: '2026-01-14T08:00:00Z', status: 'CANCELLED', closed: 1 },
  // hub -> beta: in the network's numbers only.
  {
    from: 'hub',
    to: 'beta',
    sentAt: '2026-01-15T08:00:00Z',
    status: 'RECEIVED',
    answer: 30,
    themes: ['housing'],
  },
  // Outside the period: a millisecond before it, exactly at its end, and a draft never sent.
  {
    from: 'beta',
    to: 'alpha',
    sentAt: '2025-12-31T23:59:59.999Z',
    status: 'COMPLETED',
    answer: 1,
    closed: 2,
    themes: ['housing'],
  },
  { from: 'beta', to: 'alpha', sentAt: JAN.to, status: 'SENT', themes: ['health'] },
  { from: 'alpha', to: 'beta', sentAt: null, status: 'DRAFT', themes: ['housing'] },
];

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  const betaOffer = await t.db.prisma.offer.create({
    data: { organisationId: s.org.beta.id, title: { fr: 'Aide alimentaire' }, status: 'PUBLISHED' },
  });
  const offerOf = { alpha: offers.shelter.id, beta: betaOffer.id };
  const writer = { alpha: s.user.carol.id, beta: s.user.bob.id, hub: s.user.hugo.id };
  for (const [i, row] of ROWS.entries()) {
    const sentAt = row.sentAt ? new Date(row.sentAt) : null;
    const after = (hours: number | undefined) =>
      sentAt && hours !== undefined ? new Date(sentAt.getTime() + hours * HOUR) : null;
    await t.db.prisma.referral.create({
      data: {
        reference: `REF-2026-${String(900_000 + i)}`,
        senderOrganisationId: s.org[row.from].id,
        senderUserId: writer[row.from],
        receiverOrganisationId: s.org[row.to].id,
        assigneeUserId: row.to === 'alpha' ? s.user.carol.id : s.user.bob.id,
        offerId: offerOf[row.to],
        status: row.status,
        needs: 'needs-text',
        sentAt,
        firstAnswerAt: after(row.answer),
        closedAt: after(row.closed),
        declineReason: row.reason ?? null,
        statusReason: row.status === 'DECLINED' ? 'reason-text' : null,
        outcome: row.status === 'COMPLETED' ? 'outcome-text' : null,
        needThemes: { connect: (row.themes ?? []).map((code) => ({ code })) },
        person: {
          create: {
            name: 'Maria Secret',
            initials: 'M. S.',
            birthYear: 1987,
            contactChannel: 'PHONE',
            contact: '+352 621 000 000',
          },
        },
      },
    });
  }
});
afterAll(() => t.close());

type Result = ReferralStatsQuery['referralStats'];
type Stats = Extract<NonNullable<Result>, { __typename: 'QueryReferralStatsSuccess' }>['data'];
type Flow = Stats['sent'];

async function ask(
  person: Person | undefined,
  vars: { organisationId?: string; from?: string; to?: string } = {},
): Promise<{ result: Result; raw: string }> {
  const res = await t.send(
    ReferralStatsDocument,
    { from: JAN.from, to: JAN.to, ...vars },
    { token: person ? await s.token(person) : undefined },
  );
  expect(res.body.errors).toBeUndefined();
  return { result: res.body.data!.referralStats, raw: JSON.stringify(res.body) };
}

async function stats(person: Person, vars: { organisationId?: string; from?: string; to?: string } = {}) {
  const { result, raw } = await ask(person, vars);
  if (result?.__typename !== 'QueryReferralStatsSuccess') throw new Error(JSON.stringify(result));
  for (const secret of SECRETS) expect(raw).not.toContain(secret);
  return result.data;
}

/** Non-zero statuses, after checking that every status is listed. */
function statuses(flow: Flow) {
  expect(flow.byStatus.map((c) => c.status)).toEqual([
    'DRAFT',
    'SENT',
    'RECEIVED',
    'ACCEPTED',
    'DECLINED',
    'IN_PROGRESS',
    'ON_HOLD',
    'COMPLETED',
    'CANCELLED',
  ]);
  expect(flow.byStatus.reduce((n, c) => n + c.count, 0)).toBe(flow.total);
  return Object.fromEntries(flow.byStatus.filter((c) => c.count > 0).map((c) => [c.status, c.count]));
}

/** Non-zero decline reasons (null: uncoded), after checking that every coded reason is listed. */
function declines(flow: Flow) {
  expect(flow.declines.slice(0, 7).map((d) => d.reason)).toEqual([
    'NO_CAPACITY',
    'NOT_ELIGIBLE',
    'OUT_OF_AREA',
    'PERSON_UNREACHABLE',
    'PERSON_REFUSED',
    'DUPLICATE',
    'OTHER',
  ]);
  return Object.fromEntries(flow.declines.filter((d) => d.count > 0).map((d) => [String(d.reason), d.count]));
}

function themes(data: Stats) {
  return Object.fromEntries(
    data.themes.map(({ theme, ...counts }) => [theme.code, counts as Record<string, number>]),
  );
}

describe("an organisation's statistics", () => {
  it('alpha, as receiver and as sender: counts by status, medians, declines and themes', async () => {
    const alpha = await stats('alice', { organisationId: s.org.alpha.globalId });
    expect(alpha.organisation).toEqual({ slug: 'alpha' });
    expect(new Date(alpha.from).toISOString()).toBe(JAN.from);
    expect(new Date(alpha.to).toISOString()).toBe(JAN.to);

    expect(alpha.received.total).toBe(7);
    expect(statuses(alpha.received)).toEqual({ SENT: 1, ACCEPTED: 1, DECLINED: 3, COMPLETED: 2 });
    expect(alpha.received.medianFirstAnswerHours).toBe(5);
    expect(alpha.received.medianCompletionHours).toBe(84);
    expect(declines(alpha.received)).toEqual({ NO_CAPACITY: 2, null: 1 });
    expect(alpha.received.declines.at(-1)).toEqual({ reason: null, count: 1 });

    expect(alpha.sent.total).toBe(3);
    expect(statuses(alpha.sent)).toEqual({ DECLINED: 1, COMPLETED: 1, CANCELLED: 1 });
    expect(alpha.sent.medianFirstAnswerHours).toBe(18);
    expect(alpha.sent.medianCompletionHours).toBe(72);
    expect(declines(alpha.sent)).toEqual({ OUT_OF_AREA: 1 });
    expect(alpha.sent.declines).toHaveLength(7);

    expect(alpha.themes.map((th) => th.theme.code)).toEqual([
      'health',
      'housing',
      'housing.emergency_shelter',
      'language',
      'language.french',
    ]);
    expect(themes(alpha)).toEqual({
      health: { sent: 1, received: 1, declined: 0, completed: 2 },
      housing: { sent: 0, received: 4, declined: 2, completed: 1 },
      'housing.emergency_shelter': { sent: 0, received: 1, declined: 0, completed: 0 },
      language: { sent: 1, received: 0, declined: 1, completed: 0 },
      'language.french': { sent: 0, received: 1, declined: 0, completed: 1 },
    });
    expect(alpha.themes.find((th) => th.theme.code === 'housing')?.theme.label.text).toBe('Logement');
    expect(alpha.themes.find((th) => th.theme.code === 'language.french')?.theme.parent).toEqual({
      code: 'language',
    });
  });

  it('carol (case worker of alpha) and hugo (hub admin) see the same numbers for alpha', async () => {
    const forAlice = await stats('alice', { organisationId: s.org.alpha.globalId });
    expect(await stats('carol', { organisationId: s.org.alpha.globalId })).toEqual(forAlice);
    expect(await stats('hugo', { organisationId: s.org.alpha.globalId })).toEqual(forAlice);
  });

  it('beta (bob) sees the other side of the same referrals', async () => {
    const beta = await stats('bob', { organisationId: s.org.beta.globalId });
    expect(beta.sent.total).toBe(7);
    expect(statuses(beta.sent)).toEqual({ SENT: 1, ACCEPTED: 1, DECLINED: 3, COMPLETED: 2 });
    expect(beta.received.total).toBe(4);
    expect(statuses(beta.received)).toEqual({ RECEIVED: 1, DECLINED: 1, COMPLETED: 1, CANCELLED: 1 });
    // 12, 24, 30 h
    expect(beta.received.medianFirstAnswerHours).toBe(24);
  });

  it('the period is [from, to) on sentAt; drafts never count', async () => {
    const feb = await stats('alice', {
      organisationId: s.org.alpha.globalId,
      from: JAN.to,
      to: '2026-03-01T00:00:00Z',
    });
    expect(feb.received.total).toBe(1);
    expect(statuses(feb.received)).toEqual({ SENT: 1 });
    expect(feb.received.medianFirstAnswerHours).toBeNull();
    expect(feb.received.medianCompletionHours).toBeNull();
    expect(feb.sent.total).toBe(0);
    expect(themes(feb)).toEqual({ health: { sent: 0, received: 1, declined: 0, completed: 0 } });

    const dec = await stats('alice', {
      organisationId: s.org.alpha.globalId,
      from: '2025-12-01T00:00:00Z',
      to: JAN.from,
    });
    expect(statuses(dec.received)).toEqual({ COMPLETED: 1 });
    expect(dec.received.medianCompletionHours).toBe(2);

    // Only the referral sent exactly at `from`.
    const firstHour = await stats('alice', {
      organisationId: s.org.alpha.globalId,
      from: JAN.from,
      to: '2026-01-01T01:00:00Z',
    });
    expect(firstHour.received.total).toBe(1);

    // The draft (alpha -> beta, never sent) is in no period.
    const all = await stats('hugo', { from: '2021-06-01T00:00:00Z', to: '2026-06-01T00:00:00Z' });
    expect(all.sent.total).toBe(ROWS.length - 1);
    expect(all.sent.byStatus.find((c) => c.status === 'DRAFT')?.count).toBe(0);
  });
});

describe('the whole network (hub admins)', () => {
  it('counts every referral once per side; medians over all; in one statement', async () => {
    t.resetQueries();
    const network = await stats('hugo');
    expect(t.queries.filter((q) => q.includes('"Referral"'))).toHaveLength(1);
    expect(network.organisation).toBeNull();
    expect(network.sent).toEqual(network.received);
    expect(network.sent.total).toBe(11);
    expect(statuses(network.sent)).toEqual({
      SENT: 1,
      RECEIVED: 1,
      ACCEPTED: 1,
      DECLINED: 4,
      COMPLETED: 3,
      CANCELLED: 1,
    });
    // 1, 2, 4, 6, 8, 10, 12, 24, 30 h; completions 48, 72, 120 h.
    expect(network.sent.medianFirstAnswerHours).toBe(8);
    expect(network.sent.medianCompletionHours).toBe(72);
    expect(declines(network.sent)).toEqual({ NO_CAPACITY: 2, OUT_OF_AREA: 1, null: 1 });
    expect(themes(network).housing).toEqual({ sent: 5, received: 5, declined: 2, completed: 1 });
  });

  it('an unknown organisation is not found', async () => {
    const { result } = await ask('hugo', { organisationId: encodeGlobalID('Organisation', randomUUID()) });
    expect(result).toMatchObject({ __typename: 'NotFoundError', code: 'common/not_found' });
  });
});

describe('who may ask', () => {
  const refused: [string, Person, 'alpha' | 'beta' | undefined][] = [
    ['bob (beta) for alpha', 'bob', 'alpha'],
    ['alice (alpha) for beta', 'alice', 'beta'],
    ['alice (alpha admin) for the whole network', 'alice', undefined],
    ['carol (alpha case worker) for the whole network', 'carol', undefined],
  ];
  it.each(refused)('%s: ForbiddenError', async (_what, person, org) => {
    const { result, raw } = await ask(person, org ? { organisationId: s.org[org].globalId } : {});
    expect(result).toMatchObject({ __typename: 'ForbiddenError', code: 'common/forbidden' });
    expect(raw).not.toMatch(/"total"|"count"/);
  });

  it("an API client, even its own organisation's: ForbiddenError", async () => {
    const { key } = await createApiClient(t.db.prisma, aliceViewer(s), {
      organisationId: s.org.alpha.id,
      name: 'crm',
      scopes: ['REFERRALS_READ'],
    });
    const res = await t.send(
      ReferralStatsDocument,
      { organisationId: s.org.alpha.globalId, ...JAN },
      { token: key },
    );
    expect(res.body.data?.referralStats).toMatchObject({ __typename: 'ForbiddenError' });
  });

  it('anonymous callers are refused', async () => {
    for (const organisationId of [s.org.alpha.globalId, undefined]) {
      const res = await t.send(ReferralStatsDocument, { organisationId, ...JAN });
      expect(res.body.data).toEqual({ referralStats: null });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('the period is checked', () => {
  it.each([
    ['empty', JAN.from, JAN.from],
    ['reversed', JAN.to, JAN.from],
    ['longer than five years', '2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
  ])('%s: InvalidInputError', async (_what, from, to) => {
    const { result } = await ask('hugo', { from, to });
    expect(result).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'common/invalid_input',
      fields: [{ path: ['to'] }],
    });
  });

  it('five years exactly is fine', async () => {
    const five = await stats('hugo', { from: '2021-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(five.sent.total).toBe(1);
  });
});

describe('no person data, by construction', () => {
  it('the statistics types hold only counts, durations, statuses, reasons, themes and the organisation', () => {
    const allowed = new Set([
      'Int',
      'Float',
      'DateTime',
      'ReferralStatus',
      'DeclineReason',
      'Theme',
      'Organisation',
    ]);
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name) || allowed.has(name)) return;
      seen.add(name);
      const type = schema.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      for (const field of Object.values(type.getFields())) visit(named(field.type));
    };
    visit('ReferralStats');
    expect([...seen].sort()).toEqual([
      'ReferralDeclineCount',
      'ReferralFlowStats',
      'ReferralStats',
      'ReferralStatsStatusCount',
      'ReferralThemeStats',
    ]);
  });
});

function named(type: GraphQLType): string {
  if (isNonNullType(type) || isListType(type)) return named(type.ofType);
  if (isScalarType(type) || isEnumType(type) || isObjectType(type)) return type.name;
  return type.toString();
}
