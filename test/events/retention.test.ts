/**
 * `npm run retention` for events: accessibility needs go once an edition is over; everything
 * personal of an edition goes EVENT_RETENTION_MONTHS after it (default 6), leaving counts by
 * organisation and category; the dry run says so and changes nothing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

const exec = promisify(execFile);
const DAY = 24 * 3600 * 1000;
let database: TestDatabase;
let db: Database;
const edition = {} as Record<'old' | 'recent' | 'coming', string>;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') });
  const org = await db.prisma.organisation.create({ data: { slug: 'ville', name: 'Ville' } });
  const event = await db.prisma.event.create({
    data: { slug: 'assises', organisationId: org.id, name: { fr: 'Assises' } },
  });
  const mk = async (slug: string, endedDaysAgo: number) => {
    const endsAt = new Date(Date.now() - endedDaysAgo * DAY);
    const e = await db.prisma.eventEdition.create({
      data: {
        slug,
        eventId: event.id,
        organisationId: org.id,
        title: { fr: slug },
        startsAt: new Date(endsAt.getTime() - 8 * 3600 * 1000),
        endsAt,
        status: 'CLOSED',
      },
    });
    for (const [i, category] of (['PARTNER_STAFF', 'PRESS'] as const).entries()) {
      await db.prisma.registration.create({
        data: {
          editionId: e.id,
          name: `Personne ${slug} ${i}`,
          email: `p${i}@${slug}.example`,
          organisationId: org.id,
          organisationName: 'Ville',
          function: 'Assistante sociale',
          category,
          accessibilityNeeds: 'fauteuil',
          showName: true,
          contactable: true,
          source: 'ORGANISER',
          manageTokenHash: `hash-${slug}-${i}`,
          badgeCode: `BADGE${slug}${i}`.slice(0, 40),
        },
      });
    }
    return e.id;
  };
  edition.old = await mk('old', 200);
  edition.recent = await mk('recent', 1);
  edition.coming = await mk('coming', -10);
});

afterAll(async () => {
  await db.close();
  await database.drop();
});

async function retention(args: string[]): Promise<string> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/retention.ts', ...args], {
    env: { ...process.env, DATABASE_URL: database.url, EVENT_RETENTION_MONTHS: undefined },
  });
  return stdout;
}

it('says what it would do in a dry run, and changes nothing', async () => {
  const out = await retention(['--dry-run']);
  expect(out).toMatch(
    /Would erase the accessibility needs of 4 registration\(s\) of past events; would anonymise 1 event edition\(s\) ended before \d{4}-\d{2}-\d{2} \(2 registration\(s\)\)\./,
  );
  expect(await db.prisma.registration.count({ where: { accessibilityNeeds: { not: null } } })).toBe(6);
});

it('erases needs after the event and everything personal six months after, keeping counts', async () => {
  await retention([]);
  const rows = await db.prisma.registration.findMany({ orderBy: { email: 'asc' } });
  const of = (id: string) => rows.filter((r) => r.editionId === id);
  expect(of(edition.coming).every((r) => r.accessibilityNeeds === 'fauteuil')).toBe(true);
  expect(of(edition.recent).map((r) => [r.name, r.accessibilityNeeds])).toEqual([
    ['Personne recent 0', null],
    ['Personne recent 1', null],
  ]);
  for (const r of of(edition.old)) {
    expect(r).toMatchObject({
      name: '',
      function: null,
      showName: false,
      contactable: false,
      status: 'REGISTERED',
    });
    expect(r.email).toMatch(/@anonymised\.invalid$/);
    expect(r.anonymisedAt).not.toBeNull();
  }
  expect(
    of(edition.old)
      .map((r) => r.category)
      .sort(),
  ).toEqual(['PARTNER_STAFF', 'PRESS']);
  expect(
    (await db.prisma.eventEdition.findUniqueOrThrow({ where: { id: edition.old } })).anonymisedAt,
  ).not.toBeNull();
  // Twice is once.
  expect(await retention([])).not.toContain('anonymised 1 event');
});
