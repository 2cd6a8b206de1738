/**
 * The network's picture over the API, from referrals and events written with chosen times
 * (January 2026, every duration a whole number of working days from `addWorkingDays`), so that
 * every count and duration is known:
 *
 * - beta → alpha: 20 referrals (10 COMPLETED, 5 ACCEPTED, 5 DECLINED for NO_CAPACITY), housing;
 * - alpha → beta: 2 COMPLETED (a small flow: "< 5" everywhere);
 * - hub → beta: 5 still SENT.
 *
 * Checked: the facts the refresher derives (working days from the event log), flows as edges and
 * matrix with their disclosure control, who sees what (hub admin, network coordinator, a member,
 * nobody), response times, the CSV and the report, the statistics log, a live change reaching
 * the figures through the outbox, and unmet demand counted from searches and matches that found
 * nothing — never a person, never the text searched.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  AcceptReferralDocument,
  MatchOffersDocument,
  NetworkFlowsDocument,
  NetworkGapsDocument,
  NetworkResponseTimesDocument,
  OffersDocument,
  type NetworkFlowsQuery,
} from '../../clients/generated/graphql.ts';
import type { ApiScope, DeclineReason, ReferralStatus } from '../../src/generated/prisma/enums.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import { monthOf } from '../../src/modules/network/network-stats.service.ts';
import { backdatedSupplyReadings } from '../../src/modules/network/supply.ts';
import { addWorkingDays } from '../../src/modules/referrals/working-days.ts';
import {
  aliceViewer,
  seedAlphaCatalogue,
  seedThemes,
  sendShelterReferral,
} from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Person, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let gina: string;
let shelterId: string;

const JAN = { from: '2026-01-01T00:00:00.000+01:00', to: '2026-02-01T00:00:00.000+01:00' };
const SECRETS = ['Maria Secret', 'M. S.', '+352 621 000 000', 'needs-text', 'reason-text', 'outcome-text'];

interface Row {
  from: 'alpha' | 'beta' | 'hub';
  to: 'alpha' | 'beta';
  /** Day of January 2026 it was sent on, at 09:00 in Luxembourg. */
  day: number;
  status: ReferralStatus;
  /** Working days to the first answer (accepted or declined), and to completion. */
  answer?: number;
  complete?: number;
  reason?: DeclineReason;
}

const rows: Row[] = [
  // beta -> alpha: accepted after 1, 2, 3, 4, 5, 1, 2, 3, 4, 5 working days; completed 10 after.
  ...Array.from({ length: 10 }, (_, i): Row => ({
    from: 'beta',
    to: 'alpha',
    day: 5 + i,
    status: 'COMPLETED',
    answer: (i % 5) + 1,
    complete: 10,
  })),
  ...Array.from({ length: 5 }, (_, i): Row => ({
    from: 'beta',
    to: 'alpha',
    day: 6 + i,
    status: 'ACCEPTED',
    answer: 2,
  })),
  ...Array.from({ length: 5 }, (_, i): Row => ({
    from: 'beta',
    to: 'alpha',
    day: 7 + i,
    status: 'DECLINED',
    answer: 1,
    reason: 'NO_CAPACITY',
  })),
  { from: 'alpha', to: 'beta', day: 12, status: 'COMPLETED', answer: 1, complete: 3 },
  { from: 'alpha', to: 'beta', day: 13, status: 'COMPLETED', answer: 1, complete: 3 },
  ...Array.from({ length: 5 }, (_, i): Row => ({ from: 'hub', to: 'beta', day: 14 + i, status: 'SENT' })),
];

beforeAll(async () => {
  t = await startTestHub({}, { captureLogs: true });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  ({ token: gina } = await seedThirdOrganisation(t.db.prisma, t.config, ['NETWORK_COORDINATOR']));
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  shelterId = offers.shelter.id;
  const betaOffer = await t.db.prisma.offer.create({
    data: { organisationId: s.org.beta.id, title: { fr: 'Aide alimentaire' }, status: 'PUBLISHED' },
  });
  const offerOf = { alpha: offers.shelter.id, beta: betaOffer.id };
  const writer = { alpha: s.user.carol.id, beta: s.user.bob.id, hub: s.user.hugo.id };
  for (const [i, row] of rows.entries()) {
    const sentAt = new Date(`2026-01-${String(row.day).padStart(2, '0')}T09:00:00+01:00`);
    const answeredAt = row.answer ? addWorkingDays(sentAt, row.answer) : null;
    const closedAt = row.complete ? addWorkingDays(sentAt, row.complete) : row.reason ? answeredAt : null;
    const events: { toStatus: ReferralStatus; at: Date }[] = [{ toStatus: 'SENT', at: sentAt }];
    if (answeredAt) events.push({ toStatus: row.reason ? 'DECLINED' : 'ACCEPTED', at: answeredAt });
    if (row.complete) events.push({ toStatus: 'COMPLETED', at: closedAt! });
    await t.db.prisma.referral.create({
      data: {
        reference: `REF-2026-${String(800_000 + i)}`,
        senderOrganisationId: s.org[row.from].id,
        senderUserId: writer[row.from],
        receiverOrganisationId: s.org[row.to].id,
        offerId: offerOf[row.to],
        status: row.status,
        needs: 'needs-text',
        sentAt,
        firstAnswerAt: answeredAt,
        closedAt,
        declineReason: row.reason ?? null,
        statusReason: row.reason ? 'reason-text' : null,
        outcome: row.status === 'COMPLETED' ? 'outcome-text' : null,
        needThemes: { connect: row.from === 'beta' ? [{ code: 'housing' }] : [{ code: 'health' }] },
        person: {
          create: {
            name: 'Maria Secret',
            initials: 'M. S.',
            contactChannel: 'PHONE',
            contact: '+352 621 000 000',
          },
        },
        events: {
          create: events.map((e, n) => ({
            type: 'STATUS_CHANGED',
            fromStatus: n === 0 ? 'DRAFT' : events[n - 1]!.toStatus,
            toStatus: e.toStatus,
            at: e.at,
          })),
        },
      },
    });
  }
  await t.hub.networkFacts.refreshNow();
});
afterAll(() => t.close());

type Flows = Extract<
  NonNullable<NetworkFlowsQuery['networkFlows']>,
  { __typename: 'QueryNetworkFlowsSuccess' }
>['data'];

const token = (who: Person | 'gina' | undefined) =>
  who === undefined ? Promise.resolve(undefined) : who === 'gina' ? Promise.resolve(gina) : s.token(who);

async function flows(who: Person | 'gina', period = JAN): Promise<Flows> {
  const res = await t.send(
    NetworkFlowsDocument,
    { ...period, withCharts: true },
    { token: await token(who) },
  );
  expect(res.body.errors).toBeUndefined();
  const raw = JSON.stringify(res.body);
  for (const secret of SECRETS) expect(raw).not.toContain(secret);
  const result = res.body.data!.networkFlows;
  if (result?.__typename !== 'QueryNetworkFlowsSuccess') throw new Error(JSON.stringify(result));
  return result.data;
}

const pair = (f: Flows, from: string, to: string) =>
  f.edges.find((e) => e.sender.slug === from && e.receiver.slug === to);
const shown = (c: { value?: number | null; display: string }) => c.display;

describe('the facts', () => {
  it('hold each sent referral with its durations in working days, from the event log', async () => {
    const facts = await t.db.prisma.networkReferralFact.findMany({ orderBy: { sentAt: 'asc' } });
    expect(facts).toHaveLength(rows.length);
    const completed = facts.filter((f) => f.status === 'COMPLETED' && f.themeCodes.includes('housing'));
    expect(completed.map((f) => f.acceptanceDays).sort()).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(new Set(completed.map((f) => f.completionDays))).toEqual(new Set([10]));
    expect(facts.filter((f) => f.status === 'SENT').every((f) => f.firstAnswerDays === null)).toBe(true);
    const declined = facts.filter((f) => f.status === 'DECLINED');
    expect(declined.map((f) => [f.declineReason, f.firstAnswerDays, f.acceptanceDays])).toEqual(
      Array(5).fill(['NO_CAPACITY', 1, null]),
    );
    expect(declined[0]!.communes).toEqual(['Luxembourg']);
  });
});

describe('flows', () => {
  it('hub admins see every pair, counts published as referralStats publishes them', async () => {
    const f = await flows('hugo');
    expect(f.wholeNetwork).toBe(true);
    expect(f.limitedTo).toBeNull();
    expect(f.refreshedAt).not.toBeNull();
    const ba = pair(f, 'beta', 'alpha')!;
    expect([ba.sent, ba.completed, ba.accepted, ba.declined, ba.pending, ba.cancelled].map(shown)).toEqual([
      '20',
      '10',
      '5',
      '5',
      '0',
      '0',
    ]);
    expect(ba.declines.find((d) => d.reason === 'NO_CAPACITY')!.count.display).toBe('5');
    // Two referrals: every part of the pair is "< 5", zeros included.
    const ab = pair(f, 'alpha', 'beta')!;
    expect([ab.sent, ab.completed, ab.pending, ab.declined].map(shown)).toEqual(['< 5', '< 5', '< 5', '< 5']);
    expect(pair(f, 'hub', 'beta')!.pending.display).toBe('5');
    expect(f.edges).toHaveLength(3);
  });

  it('gives the matrix with totals that give no small cell away', async () => {
    const f = await flows('hugo');
    const slugs = f.matrix.organisations.map((o) => o.slug);
    expect(slugs[0]).toBe('beta'); // 27 referrals sent or received
    const row = (slug: string) => f.matrix.rows[slugs.indexOf(slug)]!;
    const cell = (from: string, to: string) => row(from).cells[slugs.indexOf(to)];
    expect(cell('beta', 'alpha')!.display).toBe('20');
    expect(cell('alpha', 'beta')!.display).toBe('< 5');
    expect(cell('alpha', 'hub')!.display).toBe('0');
    expect(row('beta').sent.display).toBe('20');
    expect(row('alpha').sent.display).toBe('< 5');
    // beta received 2 + 5: published from 2.5 + 5, never from 7 (7 - 5 would give the 2 away).
    expect(f.matrix.receivedTotals[slugs.indexOf('beta')]!.display).toBe('10');
  });

  it('network coordinators see the whole network; members the pairs of their organisation', async () => {
    expect((await flows('gina')).wholeNetwork).toBe(true);
    const carol = await flows('carol');
    expect(carol.wholeNetwork).toBe(false);
    expect(carol.limitedTo!.map((o) => o.slug)).toEqual(['alpha']);
    expect(carol.edges.map((e) => `${e.sender.slug}>${e.receiver.slug}`).sort()).toEqual([
      'alpha>beta',
      'beta>alpha',
    ]);
    const slugs = carol.matrix.organisations.map((o) => o.slug);
    expect(carol.matrix.rows[slugs.indexOf('hub')]?.cells[slugs.indexOf('beta')] ?? null).toBeNull();
  });

  it('a partner system reads its organisation’s pairs with REFERRALS_READ, nothing without', async () => {
    const key = async (scopes: ApiScope[], name: string) =>
      (await createApiClient(t.db.prisma, aliceViewer(s), { organisationId: s.org.alpha.id, name, scopes }))
        .key;
    const reader = await t.send(NetworkFlowsDocument, JAN, { token: await key(['REFERRALS_READ'], 'crm') });
    const flowsRead = reader.body.data!.networkFlows!;
    if (flowsRead.__typename !== 'QueryNetworkFlowsSuccess') throw new Error(JSON.stringify(flowsRead));
    expect(flowsRead.data.edges.map((e) => `${e.sender.slug}>${e.receiver.slug}`).sort()).toEqual([
      'alpha>beta',
      'beta>alpha',
    ]);
    const catalogue = await t.send(NetworkFlowsDocument, JAN, {
      token: await key(['CATALOGUE_READ'], 'site'),
    });
    expect(catalogue.body.data!.networkFlows!.__typename).toBe('ForbiddenError');
  });

  it('refuses anonymous callers and too short periods, and draws the pictures without script', async () => {
    const anonymous = await t.send(NetworkFlowsDocument, JAN);
    expect(anonymous.body.data?.networkFlows?.__typename).not.toBe('QueryNetworkFlowsSuccess');
    const short = await t.send(
      NetworkFlowsDocument,
      { from: JAN.from, to: '2026-01-03T00:00:00.000+01:00' },
      { token: await s.token('hugo') },
    );
    expect(short.body.data!.networkFlows!.__typename).toBe('InvalidInputError');
    const f = await flows('hugo');
    for (const svg of [f.diagramSvg!, f.sankeySvg!]) {
      expect(svg).toMatch(/^<svg/);
      expect(svg).not.toMatch(/<script/i);
      expect(svg).toContain('Organisation beta');
    }
  });
});

describe('response times', () => {
  it('gives medians and 90th percentiles in working days, only over enough referrals', async () => {
    const res = await t.send(
      NetworkResponseTimesDocument,
      { ...JAN, withChart: true },
      { token: await s.token('hugo') },
    );
    const result = res.body.data!.networkResponseTimes!;
    if (result.__typename !== 'QueryNetworkResponseTimesSuccess') throw new Error(JSON.stringify(result));
    const ba = result.data.pairs.find((p) => p.sender.slug === 'beta' && p.receiver.slug === 'alpha')!;
    // First answers, sorted: 1 ×7, 2 ×7, 3 ×2, 4 ×2, 5 ×2 → median 2; p90 interpolated at 17.1 of 19 → 4.1.
    expect(ba.firstAnswer).toEqual({
      count: expect.objectContaining({ display: '20' }),
      median: 2,
      p90: 4.1,
    });
    // Acceptances (15): 1 ×2, 2 ×7, 3 ×2, 4 ×2, 5 ×2 → median 2, p90 at 12.6 of 14 → 4.6.
    expect([ba.acceptance.median, ba.acceptance.p90]).toEqual([2, 4.6]);
    expect(ba.completion).toEqual({ count: expect.objectContaining({ display: '10' }), median: 10, p90: 10 });
    const ab = result.data.pairs.find((p) => p.sender.slug === 'alpha')!;
    expect([ab.firstAnswer.median, ab.firstAnswer.p90, ab.firstAnswer.count.display]).toEqual([
      null,
      null,
      '< 5',
    ]);
    const hub = result.data.pairs.find((p) => p.sender.slug === 'hub')!;
    expect(hub.firstAnswer.count.display).toBe('0');
    expect(result.data.themes.find((x) => x.theme.code === 'housing')!.theme.label).toBe('Logement');
    expect(result.data.chartSvg).toMatch(/^<svg/);
  });
});

describe('files', () => {
  const get = async (path: string, who?: Person) =>
    fetch(`http://127.0.0.1:${t.hub.port}${path}`, {
      headers: who ? { authorization: `Bearer ${await s.token(who)}` } : {},
    });
  const period = `from=${encodeURIComponent(JAN.from)}&to=${encodeURIComponent(JAN.to)}`;

  it('flows.csv has one line per pair, counts as published', async () => {
    const res = await get(`/network/flows.csv?${period}`, 'hugo');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(
      /^sender,receiver,sent,pending,accepted,completed,declined,cancelled,declined_no_capacity/,
    );
    expect(lines).toContain('Organisation beta,Organisation alpha,20,0,5,10,5,0,5,0,0,0,0,0,0');
    expect(lines.find((l) => l.startsWith('Organisation alpha,'))).toBe(
      'Organisation alpha,Organisation beta,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5',
    );
  });

  it('refuses the anonymous (403), a bad token (401) and a bad period (400)', async () => {
    expect((await get(`/network/flows.csv?${period}`)).status).toBe(403);
    const bad = await fetch(`http://127.0.0.1:${t.hub.port}/network/flows.csv?${period}`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.status).toBe(401);
    const res = await get('/network/flows.csv?from=yesterday&to=2026-02-01', 'hugo');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ parameter: 'from' });
  });

  it('response-times.csv and gaps.csv answer a member for their scope', async () => {
    const times = await (await get(`/network/response-times.csv?${period}`, 'carol')).text();
    expect(times).toContain('pair,Organisation beta,Organisation alpha,,20,20,2,4.1,15,2,4.6,10,10,10');
    expect(times).not.toContain('Organisation hub');
    const gaps = await get('/network/gaps.csv?month=2026-01', 'carol');
    expect(gaps.status).toBe(200);
    expect(await gaps.text()).toContain('housing,Logement,Luxembourg,5,0,0,5,0,');
  });

  it('the monthly report is one printable page with its pictures and no script', async () => {
    const res = await get('/network/report.html?month=2026-01&lang=fr', 'hugo');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const page = await res.text();
    expect(page).toMatch(/janvier 2026/);
    expect((page.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(page).not.toMatch(/<script/i);
    for (const secret of SECRETS) expect(page).not.toContain(secret);
  });
});

describe('the log', () => {
  it('records who ran which statistics query, for what', async () => {
    await flows('carol');
    const logged = await t.db.prisma.statisticsQueryLog.findMany({ where: { userId: s.user.carol.id } });
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.find((l) => l.query === 'FLOWS' && l.format === 'GRAPHQL')).toMatchObject({
      organisationIds: [s.org.alpha.id],
      periodFrom: new Date(JAN.from),
      outcome: 'answered',
    });
    const csv = await t.db.prisma.statisticsQueryLog.findMany({ where: { format: 'CSV' } });
    expect(csv.map((l) => l.query)).toEqual(expect.arrayContaining(['FLOWS', 'RESPONSE_TIMES', 'GAPS']));
    expect(t.logs.some((l) => l.msg === 'network statistics asked')).toBe(true);
  });
});

describe('live', () => {
  it('a referral sent and accepted now reaches the figures through the outbox', async () => {
    const now = new Date();
    const period = {
      from: new Date(now.getTime() - 8 * 86_400_000).toISOString(),
      to: new Date(now.getTime() + 86_400_000).toISOString(),
    };
    const before = pair(await flows('hugo', period), 'beta', 'alpha');
    expect(before).toBeUndefined();
    const id = await sendShelterReferral(t.graphqlUrl, s, shelterId);
    const { version } = await t.db.prisma.referral.findUniqueOrThrow({
      where: { id: decodeId(id) },
      select: { version: true },
    });
    const accepted = await t.send(
      AcceptReferralDocument,
      { input: { id, expectedVersion: version } },
      { token: await s.token('carol') },
    );
    expect(accepted.body.data!.acceptReferral.__typename).toBe('MutationAcceptReferralSuccess');
    await t.hub.networkFacts.refreshNow();
    const fact = await t.db.prisma.networkReferralFact.findUniqueOrThrow({
      where: { referralId: decodeId(id) },
    });
    expect(fact.status).toBe('ACCEPTED');
    expect(fact.acceptanceDays).toBeLessThan(0.01);
    expect(pair(await flows('hugo', period), 'beta', 'alpha')!.sent.display).toBe('< 5');
  });
});

const decodeId = (globalId: string) => decodeGlobalID(globalId).id;

describe('unmet demand', () => {
  it('counts searches and matches that found nothing by theme and commune, never their text', async () => {
    const search = await t.send(OffersDocument, {
      filter: { themes: ['health'], communes: ['Wiltz'], text: 'secret words' },
    });
    expect(search.body.data!.offers.edges).toHaveLength(0);
    const match = await t.send(
      MatchOffersDocument,
      { criteria: { themes: ['language.french'], commune: 'Clervaux' } },
      { token: await s.token('carol') },
    );
    expect(match.body.data!.matchOffers.__typename).toBe('QueryMatchOffersSuccess');
    // The count is written beside the answer: wait for both rows.
    const rowsNow = async () =>
      t.db.prisma.demandMiss.findMany({
        where: { commune: { in: ['Wiltz', 'Clervaux'] } },
        orderBy: { source: 'asc' },
      });
    let misses = await rowsNow();
    for (let i = 0; misses.length < 2 && i < 200; i++) {
      await new Promise((r) => setImmediate(r));
      misses = await rowsNow();
    }
    expect(misses.map((m) => [m.source, m.kind, m.themeCode, m.commune, m.count])).toEqual([
      ['SEARCH', 'NO_RESULT', 'health', 'Wiltz', 1],
      ['MATCH', 'NO_RESULT', 'language.french', 'Clervaux', 1],
    ]);
    expect(JSON.stringify(await t.db.prisma.demandMiss.findMany())).not.toContain('secret');
    const res = await t.send(
      NetworkGapsDocument,
      { month: monthOf(new Date()), withMap: true },
      { token: await s.token('carol') },
    );
    const gaps = res.body.data!.networkGaps!;
    if (gaps.__typename !== 'QueryNetworkGapsSuccess') throw new Error(JSON.stringify(gaps));
    const wiltz = gaps.data.cells.find((c) => c.commune === 'Wiltz')!;
    expect([wiltz.theme.code, wiltz.demand.searches.display, wiltz.offersWithRoom, wiltz.gapIndex]).toEqual([
      'health',
      '< 5',
      0,
      null,
    ]);
    expect(gaps.data.mapSvg).toMatch(/^<svg/);
  });

  it('counts January’s declines for lack of capacity against the supply read in January', async () => {
    const january = async () => {
      const res = await t.send(
        NetworkGapsDocument,
        { month: '2026-01', lang: 'EN' },
        { token: await s.token('bob') },
      );
      const gaps = res.body.data!.networkGaps!;
      if (gaps.__typename !== 'QueryNetworkGapsSuccess') throw new Error(JSON.stringify(gaps));
      const cell = gaps.data.cells.find((c) => c.theme.code === 'housing' && c.commune === 'Luxembourg')!;
      return { data: gaps.data, cell };
    };
    // The hub never read January's supply: the declines are counted, the supply is unknown.
    const unread = await january();
    expect(unread.cell.theme.label).toBe('Housing');
    expect(unread.cell.demand.declines.display).toBe('5');
    expect([unread.cell.offers, unread.cell.offersWithRoom, unread.cell.gapIndex]).toEqual([
      null,
      null,
      null,
    ]);
    expect([unread.data.previousMonth, unread.data.supplyReadAt]).toEqual(['2025-12', null]);

    // Read at January's close: the shelter (housing.emergency_shelter, under housing) was
    // published in Luxembourg with room.
    const readAt = new Date('2026-01-31T22:00:00Z');
    await t.db.sql(backdatedSupplyReadings([{ month: '2026-01', readAt }]));
    const read = await january();
    expect([read.cell.offers, read.cell.offersWithRoom, read.cell.gapIndex]).toEqual([1, 1, 5]);
    expect([read.data.supplyReadAt, read.data.previousSupplyReadAt]).toEqual([readAt.toISOString(), null]);
    await t.db.prisma.supplyReading.deleteMany({ where: { month: '2026-01' } });
  });
});
