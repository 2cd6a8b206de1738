/**
 * Attendance as counts only, over HTTP: the shelter's side, the guide's organisation and the
 * provider record a week's count (again: replaced, with who recorded it last); bad weeks and
 * counts are typed errors naming the field that write nothing; the series and the guide's totals
 * are for them only (null for the public and outsiders).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  GuideAttendanceSummaryDocument,
  GuideItemAttendanceDocument,
  RecordAttendanceDocument,
} from '../../clients/generated/graphql.ts';
import { addWeeks, luxembourgToday, mondayOf } from '../../src/modules/welcome/attendance.service.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let gammaToken: string;
let itemId: string;
let proposedId: string;
let guideId: string;
const thisWeek = mondayOf(luxembourgToday());
const lastWeek = addWeeks(thisWeek, -1);

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  gammaToken = (await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN', 'WELCOME_COORDINATOR']))
    .token;
  const db = t.db.prisma;
  // The hub organisation runs the shelter; beta writes its guide; alpha provides the offers.
  const site = await db.site.create({
    data: { organisationId: s.org.hub.id, name: 'SHUK', commune: 'Luxembourg' },
  });
  const shelter = await db.shelter.create({ data: { siteId: site.id, organisationId: s.org.hub.id } });
  const guide = await db.guide.create({
    data: {
      slug: 'shuk',
      organisationId: s.org.beta.id,
      shelterId: shelter.id,
      title: { fr: 'Près du SHUK' },
      languages: ['fr'],
      status: 'PUBLISHED',
    },
  });
  guideId = guide.id;
  const create = (offerId: string, status: 'REGULAR' | 'PROPOSED') =>
    db.guideItem.create({
      data: { guideId: guide.id, offerId, providerOrganisationId: s.org.alpha.id, status },
    });
  itemId = (await create(offers.french.id, 'REGULAR')).id;
  proposedId = (await create(offers.shelter.id, 'PROPOSED')).id;
});
afterAll(() => t.close());

const record = async (token: string | undefined, weekStart: string, count: number, id = itemId) =>
  (
    await t.send(
      RecordAttendanceDocument,
      { input: { guideItemId: encodeGlobalID('GuideItem', id), weekStart, count } },
      { token },
    )
  ).body.data?.recordAttendance;

it('the provider, the guide’s organisation and the shelter’s operator record a week; again, the count is replaced', async () => {
  const first = await record(await s.token('carol'), lastWeek, 12); // alpha: the provider
  expect(first).toMatchObject({
    data: { attendance: { weekStart: lastWeek, count: 12, recordedBy: { id: s.org.alpha.globalId } } },
  });
  const again = await record(await s.token('bob'), lastWeek, 14); // beta: the guide's organisation
  expect(again).toMatchObject({
    data: { attendance: { weekStart: lastWeek, count: 14, recordedBy: { id: s.org.beta.globalId } } },
  });
  const rows = await t.db.prisma.guideAttendance.findMany({ where: { guideItemId: itemId } });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    count: 14,
    recordedByOrganisationId: s.org.beta.id,
    recordedByUserId: s.user.bob.id,
  });
  const shelterSide = await record(await s.token('hugo'), thisWeek, 0); // hub: the shelter's operator
  expect(shelterSide).toMatchObject({
    data: { attendance: { count: 0, recordedBy: { id: s.org.hub.globalId } } },
  });
});

it('bad weeks and counts are typed errors naming the field, and write nothing', async () => {
  const before = await t.db.prisma.guideAttendance.count();
  const token = await s.token('bob');
  const tuesday = new Date(Date.parse(`${lastWeek}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const cases: [string, number, string, string][] = [
    [tuesday, 3, 'weekStart', 'must be a Monday'],
    [addWeeks(thisWeek, 1), 3, 'weekStart', 'must not be a week in the future'],
    ['2026-02-30', 3, 'weekStart', 'must be a date as YYYY-MM-DD'],
    [lastWeek, -1, 'count', 'must not be below zero'],
    [lastWeek, 1_000_000, 'count', 'must be at most 10000'],
  ];
  for (const [week, count, field, message] of cases) {
    const result = await record(token, week, count);
    expect(result).toMatchObject({ __typename: 'InvalidInputError' });
    expect((result as { fields: { path: string[]; message: string }[] }).fields).toEqual([
      { path: ['input', field], message: expect.stringContaining(message) },
    ]);
  }
  // Not an integer: GraphQL's Int refuses it before the hub runs, naming the variable's field.
  const res = await t.send(
    RecordAttendanceDocument,
    { input: { guideItemId: encodeGlobalID('GuideItem', itemId), weekStart: lastWeek, count: 2.5 } },
    { token },
  );
  expect(JSON.stringify(res.body.errors)).toContain('count');
  // An entry its provider never agreed to has no attendance.
  expect(await record(token, lastWeek, 3, proposedId)).toMatchObject({
    __typename: 'InvalidTransitionError',
  });
  expect(await t.db.prisma.guideAttendance.count()).toBe(before);
});

it('outsiders and the public may not record: the public guide’s entry is forbidden, a hidden one not found', async () => {
  const before = await t.db.prisma.guideAttendance.count();
  expect(await record(gammaToken, lastWeek, 5)).toMatchObject({ __typename: 'ForbiddenError' }); // sees the published entry
  expect(await record(gammaToken, lastWeek, 5, proposedId)).toMatchObject({ __typename: 'NotFoundError' }); // not public
  expect(await record(undefined, lastWeek, 5)).toBeUndefined(); // no token: refused before the mutation runs
  expect(await t.db.prisma.guideAttendance.count()).toBe(before);
});

it('the weekly series and the guide’s totals are for the guide, shelter and provider sides; null for others', async () => {
  const series = await t.send(
    GuideItemAttendanceDocument,
    { id: encodeGlobalID('GuideItem', itemId) },
    { token: await s.token('alice') },
  );
  expect(series.body.data?.node).toMatchObject({
    attendance: [
      { weekStart: lastWeek, count: 14 },
      { weekStart: thisWeek, count: 0 },
    ],
  });
  const summary = await t.send(
    GuideAttendanceSummaryDocument,
    { id: encodeGlobalID('Guide', guideId), weeks: 4 },
    { token: await s.token('hugo') },
  );
  expect(summary.body.data?.node).toMatchObject({
    attendanceSummary: {
      from: addWeeks(thisWeek, -3),
      to: thisWeek,
      items: [
        {
          item: { id: encodeGlobalID('GuideItem', itemId) },
          total: 14,
          weeksRecorded: 2,
          lastWeekStart: thisWeek,
        },
        {
          item: { id: encodeGlobalID('GuideItem', proposedId) },
          total: 0,
          weeksRecorded: 0,
          lastWeekStart: null,
        },
      ],
    },
  });
  for (const token of [gammaToken, undefined]) {
    const other = await t.send(
      GuideItemAttendanceDocument,
      { id: encodeGlobalID('GuideItem', itemId) },
      { token },
    );
    expect(other.body.data?.node).toMatchObject({ attendance: null });
    const otherSummary = await t.send(
      GuideAttendanceSummaryDocument,
      { id: encodeGlobalID('Guide', guideId) },
      { token },
    );
    expect(otherSummary.body.data?.node).toMatchObject({ attendanceSummary: null });
  }
});
