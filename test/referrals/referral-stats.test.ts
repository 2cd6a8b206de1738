/**
 * referralStats over the API. Referrals are written as rows with chosen times, so that every
 * count and median is known exactly: January 2026, alpha receiving from beta and sending to
 * beta, one referral between hub and beta, and rows just outside the period or never sent —
 * each row five times (COPIES), so that every count is a multiple of 5 and shows as it is.
 * Small counts have their own fixtures (2027): "< 5", rounding, totals that give nothing away,
 * medians over too few, the minimum period. Who may ask: hub admins anything, alpha's admin and
 * case worker alpha only, nobody else; every request is logged with who asked; and no person,
 * user, reference or free text ever appears in an answer or the log.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLObjectType,
  type GraphQLType,
} from 'graphql';
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
/** Every row of ROWS is written this many times: counts are multiples of 5, shown exactly. */
const COPIES = 5;
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

/**
 * Small counts, March 2027 (beta -> alpha, written once each): 12 SENT, 7 ACCEPTED, 2 ON_HOLD,
 * 3 COMPLETED, 7 DECLINED (6 NO_CAPACITY, 1 OTHER); housing on all but the ON_HOLD (health).
 * And one referral alone in the week of 3 May 2027 (alpha -> beta).
 */
const MARCH_2027 = { from: '2027-03-01T00:00:00.000Z', to: '2027-04-01T00:00:00.000Z' };
const MAY_WEEK_2027 = { from: '2027-05-03T00:00:00.000Z', to: '2027-05-10T00:00:00.000Z' };
const SMALL_ROWS: (Row & { copies: number })[] = [
  {
    copies: 12,
    from: 'beta',
    to: 'alpha',
    sentAt: '2027-03-02T08:00:00Z',
    status: 'SENT',
    themes: ['housing'],
  },
  {
    copies: 7,
    from: 'beta',
    to: 'alpha',
    sentAt: '2027-03-03T08:00:00Z',
    status: 'ACCEPTED',
    answer: 2,
    themes: ['housing'],
  },
  {
    copies: 2,
    from: 'beta',
    to: 'alpha',
    sentAt: '2027-03-04T08:00:00Z',
    status: 'ON_HOLD',
    answer: 3,
    themes: ['health'],
  },
  {
    copies: 3,
    from: 'beta',
    to: 'alpha',
    sentAt: '2027-03-05T08:00:00Z',
    status: 'COMPLETED',
    answer: 4,
    closed: 50,
    themes: ['housing'],
  },
  {
    copies: 6,
    from: 'beta',
    to: 'alpha',
    sentAt: '2027-03-08T08:00:00Z',
    status: 'DECLINED',
    answer: 1,
    closed: 1,
    reason: 'NO_CAPACITY',
    themes: ['housing'],
  },
  {
    copies: 1,
    from: 'beta',
    to: 'alpha',
    sentAt: '2027-03-09T08:00:00Z',
    status: 'DECLINED',
    answer: 1,
    closed: 1,
    reason: 'OTHER',
    themes: ['housing'],
  },
  {
    copies: 1,
    from: 'alpha',
    to: 'beta',
    sentAt: '2027-05-05T10:00:00Z',
    status: 'SENT',
    themes: ['housing'],
  },
];

beforeAll(async () => {
  t = await startTestHub({}, { captureLogs: true });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  const betaOffer = await t.db.prisma.offer.create({
    data: { organisationId: s.org.beta.id, title: { fr: 'Aide alimentaire' }, status: 'PUBLISHED' },
  });
  const offerOf = { alpha: offers.shelter.id, beta: betaOffer.id };
  const writer = { alpha: s.user.carol.id, beta: s.user.bob.id, hub: s.user.hugo.id };
  const rows = [
    ...ROWS.flatMap((row) => Array.from({ length: COPIES }, () => row)),
    ...SMALL_ROWS.flatMap((row) => Array.from({ length: row.copies }, () => row)),
  ];
  for (const [i, row] of rows.entries()) {
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
type Count = Flow['total'];

/** A published count as the tests read it: its value, or what it prints when suppressed. */
const shown = (c: Count) => (c.suppressed ? c.display : c.value);

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

/** Statuses not shown as 0, after checking that every status is listed. */
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
  for (const c of [flow.total, ...flow.byStatus.map((b) => b.count), ...flow.declines.map((d) => d.count)])
    expect(c).toEqual(
      c.suppressed
        ? { value: null, display: expect.stringMatching(/^(< 5|hidden)$/), suppressed: true }
        : { value: expect.any(Number), display: String(c.value), suppressed: false },
    );
  // With nothing suppressed, the parts add up to the total.
  if (!flow.byStatus.some((c) => c.count.suppressed))
    expect(flow.byStatus.reduce((n, c) => n + c.count.value!, 0)).toBe(flow.total.value);
  return Object.fromEntries(
    flow.byStatus.filter((c) => c.count.value !== 0).map((c) => [c.status, shown(c.count)]),
  );
}

/** Decline reasons not shown as 0 (null: uncoded), after checking that every coded reason is listed. */
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
  return Object.fromEntries(
    flow.declines.filter((d) => d.count.value !== 0).map((d) => [String(d.reason), shown(d.count)]),
  );
}

function themes(data: Stats) {
  return Object.fromEntries(
    data.themes.map(({ theme, sent, received, declined, completed }) => [
      theme.code,
      {
        sent: shown(sent),
        received: shown(received),
        declined: shown(declined),
        completed: shown(completed),
      },
    ]),
  );
}

describe("an organisation's statistics", () => {
  it('alpha, as receiver and as sender: counts by status, medians, declines and themes', async () => {
    const alpha = await stats('alice', { organisationId: s.org.alpha.globalId });
    expect(alpha.organisation).toEqual({ slug: 'alpha' });
    expect(new Date(alpha.from).toISOString()).toBe(JAN.from);
    expect(new Date(alpha.to).toISOString()).toBe(JAN.to);

    expect(alpha.received.total).toEqual({ value: 35, display: '35', suppressed: false });
    expect(statuses(alpha.received)).toEqual({ SENT: 5, ACCEPTED: 5, DECLINED: 15, COMPLETED: 10 });
    expect(alpha.received.medianFirstAnswerHours).toBe(5);
    expect(alpha.received.medianCompletionHours).toBe(84);
    expect(declines(alpha.received)).toEqual({ NO_CAPACITY: 10, null: 5 });
    expect(alpha.received.declines.at(-1)).toEqual({
      reason: null,
      count: { value: 5, display: '5', suppressed: false },
    });

    expect(shown(alpha.sent.total)).toBe(15);
    expect(statuses(alpha.sent)).toEqual({ DECLINED: 5, COMPLETED: 5, CANCELLED: 5 });
    expect(alpha.sent.medianFirstAnswerHours).toBe(18);
    expect(alpha.sent.medianCompletionHours).toBe(72);
    expect(declines(alpha.sent)).toEqual({ OUT_OF_AREA: 5 });
    expect(alpha.sent.declines).toHaveLength(7);

    expect(alpha.themes.map((th) => th.theme.code)).toEqual([
      'health',
      'housing',
      'housing.emergency_shelter',
      'language',
      'language.french',
    ]);
    expect(themes(alpha)).toEqual({
      health: { sent: 5, received: 5, declined: 0, completed: 10 },
      housing: { sent: 0, received: 20, declined: 10, completed: 5 },
      'housing.emergency_shelter': { sent: 0, received: 5, declined: 0, completed: 0 },
      language: { sent: 5, received: 0, declined: 5, completed: 0 },
      'language.french': { sent: 0, received: 5, declined: 0, completed: 5 },
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
    expect(shown(beta.sent.total)).toBe(35);
    expect(statuses(beta.sent)).toEqual({ SENT: 5, ACCEPTED: 5, DECLINED: 15, COMPLETED: 10 });
    expect(shown(beta.received.total)).toBe(20);
    expect(statuses(beta.received)).toEqual({ RECEIVED: 5, DECLINED: 5, COMPLETED: 5, CANCELLED: 5 });
    // 12, 24, 30 h (five times each)
    expect(beta.received.medianFirstAnswerHours).toBe(24);
  });

  it('the period is [from, to) on sentAt; drafts never count', async () => {
    const feb = await stats('alice', {
      organisationId: s.org.alpha.globalId,
      from: JAN.to,
      to: '2026-03-01T00:00:00Z',
    });
    expect(shown(feb.received.total)).toBe(5);
    expect(statuses(feb.received)).toEqual({ SENT: 5 });
    expect(feb.received.medianFirstAnswerHours).toBeNull();
    expect(feb.received.medianCompletionHours).toBeNull();
    expect(feb.sent.total).toEqual({ value: 0, display: '0', suppressed: false });
    expect(themes(feb)).toEqual({ health: { sent: 0, received: 5, declined: 0, completed: 0 } });

    const dec = await stats('alice', {
      organisationId: s.org.alpha.globalId,
      from: '2025-12-01T00:00:00Z',
      to: JAN.from,
    });
    expect(statuses(dec.received)).toEqual({ COMPLETED: 5 });
    expect(dec.received.medianCompletionHours).toBe(2);

    // The first week: the referrals sent exactly at `from`, on 6 and on 7 January.
    const firstWeek = await stats('alice', {
      organisationId: s.org.alpha.globalId,
      from: JAN.from,
      to: '2026-01-08T00:00:00Z',
    });
    expect(statuses(firstWeek.received)).toEqual({ SENT: 5, ACCEPTED: 5, DECLINED: 5 });

    // The draft (alpha -> beta, never sent) is in no period.
    const all = await stats('hugo', { from: '2021-06-01T00:00:00Z', to: '2026-06-01T00:00:00Z' });
    expect(shown(all.sent.total)).toBe((ROWS.length - 1) * COPIES);
    expect(all.sent.byStatus.find((c) => c.status === 'DRAFT')?.count.value).toBe(0);
  });
});

describe('the whole network (hub admins)', () => {
  it('counts every referral once per side; medians over all; in one statement', async () => {
    t.resetQueries();
    const network = await stats('hugo');
    expect(t.queries.filter((q) => q.includes('"Referral"'))).toHaveLength(1);
    expect(network.organisation).toBeNull();
    expect(network.sent).toEqual(network.received);
    expect(shown(network.sent.total)).toBe(55);
    expect(statuses(network.sent)).toEqual({
      SENT: 5,
      RECEIVED: 5,
      ACCEPTED: 5,
      DECLINED: 20,
      COMPLETED: 15,
      CANCELLED: 5,
    });
    // 1, 2, 4, 6, 8, 10, 12, 24, 30 h; completions 48, 72, 120 h.
    expect(network.sent.medianFirstAnswerHours).toBe(8);
    expect(network.sent.medianCompletionHours).toBe(72);
    expect(declines(network.sent)).toEqual({ NO_CAPACITY: 10, OUT_OF_AREA: 5, null: 5 });
    expect(themes(network).housing).toEqual({ sent: 25, received: 25, declined: 10, completed: 5 });
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
    ['one millisecond', '2026-01-07T08:00:00.000Z', '2026-01-07T08:00:00.001Z'],
    ['six days and 22 hours', '2026-01-05T00:00:00Z', '2026-01-11T22:00:00Z'],
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
    expect(shown(five.sent.total)).toBe(5);
  });

  it('a week is fine, also the one that loses an hour to summer time', async () => {
    for (const [from, to] of [
      ['2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z'],
      // Monday 23 March to Monday 30 March 2026, midnight in Luxembourg.
      ['2026-03-22T23:00:00Z', '2026-03-29T22:00:00Z'],
    ])
      await stats('hugo', { from, to });
  });
});

describe('small counts cannot point at a person', () => {
  it('one millisecond around one referral used to give its status, times and themes: refused', async () => {
    const { result } = await ask('alice', {
      organisationId: s.org.alpha.globalId,
      from: '2026-01-07T08:00:00.000Z',
      to: '2026-01-07T08:00:00.001Z',
    });
    expect(result).toMatchObject({
      __typename: 'InvalidInputError',
      message: 'The period is too short.',
      fields: [{ path: ['to'], message: expect.stringContaining('at least 7 days') }],
    });
    expect(JSON.stringify(result)).not.toMatch(/DECLINED|housing|"count"/);
  });

  it('a week with one referral in it shows "< 5" everywhere, zeros included', async () => {
    const week = await stats('alice', { organisationId: s.org.alpha.globalId, ...MAY_WEEK_2027 });
    const small = { value: null, display: '< 5', suppressed: true };
    expect(week.sent.total).toEqual(small);
    expect(week.sent.byStatus.map((c) => c.count)).toEqual(week.sent.byStatus.map(() => small));
    expect(week.sent.declines.map((c) => c.count)).toEqual(week.sent.declines.map(() => small));
    expect(week.sent.medianFirstAnswerHours).toBeNull();
    expect(week.received.total).toEqual({ value: 0, display: '0', suppressed: false });
    expect(themes(week)).toEqual({
      housing: { sent: '< 5', received: 0, declined: 'hidden', completed: 'hidden' },
    });
  });

  it('1–4 is "< 5", the rest rounded to 5; totals and medians give no small count away', async () => {
    const march = await stats('alice', { organisationId: s.org.alpha.globalId, ...MARCH_2027 });
    // 12 SENT, 7 ACCEPTED, 2 ON_HOLD, 3 COMPLETED, 7 DECLINED (6 NO_CAPACITY, 1 OTHER).
    expect(statuses(march.received)).toEqual({
      SENT: 10,
      ACCEPTED: 5,
      ON_HOLD: '< 5',
      COMPLETED: '< 5',
      DECLINED: 10,
    });
    expect(declines(march.received)).toEqual({ NO_CAPACITY: 5, OTHER: '< 5' });
    // DECLINED is 6 + 2.5 for the "< 5" (8.5, shown 10), the total 12 + 7 + 2.5 + 2.5 + 8.5
    // (32.5, shown 35): neither minus the other numbers says how many were declined for OTHER,
    // put on hold or completed.
    expect(shown(march.received.total)).toBe(35);
    // Answered: 7 + 2 + 3 + 7 (median 2 h); completed: 3, too few for a median.
    expect(march.received.medianFirstAnswerHours).toBe(2);
    expect(march.received.medianCompletionHours).toBeNull();
    expect(themes(march)).toEqual({
      health: { sent: 0, received: '< 5', declined: 'hidden', completed: 'hidden' },
      housing: { sent: 0, received: 30, declined: 'hidden', completed: '< 5' },
    });
  });

  it('a referral on hold declined for OTHER instead (ON_HOLD 2 -> 1, OTHER 1 -> 2) changes nothing', async () => {
    const before = await stats('alice', { organisationId: s.org.alpha.globalId, ...MARCH_2027 });
    const moved = await t.db.prisma.referral.findFirstOrThrow({
      where: { sentAt: new Date('2027-03-04T08:00:00Z') },
    });
    await t.db.prisma.referral.update({
      where: { id: moved.id },
      data: { status: 'DECLINED', declineReason: 'OTHER', closedAt: moved.firstAnswerAt },
    });
    try {
      // DECLINED went from 7 to 8: rounding the exact number would have shown 5, then 10, and
      // DECLINED − NO_CAPACITY would have told how many were declined for OTHER.
      expect(await stats('alice', { organisationId: s.org.alpha.globalId, ...MARCH_2027 })).toEqual(before);
    } finally {
      await t.db.prisma.referral.update({
        where: { id: moved.id },
        data: { status: 'ON_HOLD', declineReason: null, closedAt: null },
      });
    }
  });
});

describe('who asked is logged', () => {
  const asked = () => t.logs.filter((l) => l.msg === 'referral statistics asked');

  it('every request, answered or refused, with who asked and for what; never a person', async () => {
    const from = asked().length;
    await stats('carol', { organisationId: s.org.alpha.globalId });
    await ask('bob', { organisationId: s.org.alpha.globalId });
    await ask('hugo', { from: JAN.from, to: '2026-01-01T00:00:00.001Z' });
    expect(asked().slice(from)).toEqual([
      expect.objectContaining({
        level: 30,
        requestId: expect.any(String),
        referralStats: {
          asker: { userId: s.user.carol.id, hubAdmin: false },
          askerOrganisationIds: [s.org.alpha.id],
          organisationId: s.org.alpha.id,
          from: JAN.from,
          to: JAN.to,
          outcome: 'answered',
        },
      }),
      expect.objectContaining({
        referralStats: expect.objectContaining({
          asker: { userId: s.user.bob.id, hubAdmin: false },
          organisationId: s.org.alpha.id,
          outcome: 'common/forbidden',
        }),
      }),
      expect.objectContaining({
        referralStats: expect.objectContaining({
          asker: { userId: s.user.hugo.id, hubAdmin: true },
          organisationId: null,
          outcome: 'common/invalid_input',
        }),
      }),
    ]);
    const logged = JSON.stringify(t.logs);
    for (const secret of [...SECRETS, s.user.carol.email, s.user.bob.email])
      expect(logged).not.toContain(secret);
  });
});

describe('no person data, by construction', () => {
  it('the statistics types hold only counts, durations, statuses, reasons, themes and the organisation', () => {
    const allowed = new Set([
      'Int',
      'Float',
      'Boolean',
      'String',
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
      'ReferralStatsCount',
      'ReferralStatsStatusCount',
      'ReferralThemeStats',
    ]);
    // The only strings: what to print for a count.
    expect(Object.keys((schema.getType('ReferralStatsCount') as GraphQLObjectType).getFields())).toEqual([
      'display',
      'suppressed',
      'value',
    ]);
  });
});

function named(type: GraphQLType): string {
  if (isNonNullType(type) || isListType(type)) return named(type.ofType);
  if (isScalarType(type) || isEnumType(type) || isObjectType(type)) return type.name;
  return type.toString();
}
