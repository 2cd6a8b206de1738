/**
 * Retention against real PostgreSQL: referrals closed more than N months ago lose their person
 * data (person, needs, reasons, outcome, notes, messages, consent purposes, idempotency keys:
 * every free text, checked column by column from the database's catalogue) and keep what the
 * statistics count; recent and open referrals are untouched; a second run and a dry run change
 * nothing; and `npm run retention` does the same as an operator runs it. The tests share one
 * database and run in order: each leaves no referral due for the next one's counts.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Authenticator } from '../../src/modules/accounts/auth.service.ts';
import type { Viewer } from '../../src/modules/accounts/viewer.ts';
import {
  createReferral,
  postReferralMessage,
  stepReferral,
  type StepOptions,
} from '../../src/modules/referrals/referral.service.ts';
import { anonymiseClosedReferrals, retentionCutoff } from '../../src/modules/referrals/retention.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Person, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

const exec = promisify(execFile);
const DAY = 86_400_000;

/** Every free text the fixture writes: none may survive retention, in any column of any table. */
const FREE_TEXTS = [
  'Mariam Khalil',
  'M. K.',
  '+352 621 000 000',
  'Famille de 4 personnes',
  'Orientation vers un hébergement',
  'Mme Khalil',
  'jusqu’en 2027',
  'Plus de place',
  'Hébergée au foyer',
];

let database: TestDatabase;
let db: Database;
let s: Scenario;
let shelterId: string;
const viewers = {} as Record<Person, Viewer>;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
  const logger = createLogger('silent');
  db = openDatabase({ url: database.url, poolMax: 5, logger });
  s = await seedScenario(db.prisma, config);
  await seedThemes(db.prisma);
  shelterId = (await seedAlphaCatalogue(db.prisma, s)).offers.shelter.id;
  const auth = new Authenticator(db.prisma, db.sql, config, logger);
  for (const person of ['alice', 'bob', 'carol'] as const) {
    viewers[person] = (await auth.authenticate(`Bearer ${await s.token(person)}`))!;
  }
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

/** Now minus whole calendar months, minus a few more days. */
function monthsAgo(months: number, days = 0): Date {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - months);
  return new Date(d.getTime() - days * DAY);
}

/** Moves a referral's dates and its events back in time, as if it had all happened earlier. */
async function backdate(id: string, to: Date, field: 'closedAt' | 'createdAt'): Promise<void> {
  const r = await db.prisma.referral.findUniqueOrThrow({ where: { id } });
  const shift = r[field]!.getTime() - to.getTime();
  const back = (d: Date | null) => (d ? new Date(d.getTime() - shift) : null);
  await db.prisma.referral.update({
    where: { id },
    data: {
      createdAt: back(r.createdAt)!,
      sentAt: back(r.sentAt),
      dueAt: back(r.dueAt),
      firstAnswerAt: back(r.firstAnswerAt),
      closedAt: back(r.closedAt),
    },
  });
  await db.prisma.$executeRaw`
    update "ReferralEvent" set at = at - ${shift / 1000}::float8 * interval '1 second' where "referralId" = ${id}::uuid`;
}

/**
 * A referral with everything retention deals with: a person, an idempotency key, messages, an
 * idempotency record, a read of the person, notes in its history; closed (or not) at a date.
 */
async function referral(end: 'decline' | 'complete' | 'open', at: Date): Promise<string> {
  const r = await createReferral(db.prisma, viewers.bob, {
    senderOrganisationId: s.org.beta.id,
    offerId: shelterId,
    needs: 'Famille de 4 personnes sans logement depuis une semaine.',
    needThemes: ['housing'],
    urgency: 'URGENT',
    person: {
      name: 'Mariam Khalil',
      initials: 'M. K.',
      birthYear: 1987,
      languages: ['ar', 'fr'],
      contactChannel: 'PHONE',
      contact: '+352 621 000 000',
      interpreterNeeded: true,
    },
    consent: { purpose: 'Orientation vers un hébergement' },
    idempotencyKey: randomUUID(),
  });
  let version = r.version;
  const step = async (
    who: Person,
    action: Parameters<typeof stepReferral>[3],
    extra: Omit<StepOptions, 'expectedVersion'> = {},
  ) => {
    version = (await stepReferral(db, viewers[who], r.id, action, { expectedVersion: version, ...extra }))
      .version;
  };
  await step('bob', 'send', { idempotencyKey: randomUUID() });
  await postReferralMessage(db.prisma, viewers.carol, r.id, 'Mme Khalil a-t-elle un titre de séjour ?');
  await postReferralMessage(db.prisma, viewers.bob, r.id, 'Oui, jusqu’en 2027.');
  if (end === 'decline') {
    await step('carol', 'decline', {
      reason: 'Plus de place pour une famille de 4 ce mois-ci',
      declineReason: 'NO_CAPACITY',
    });
  } else {
    await step('carol', 'accept');
    if (end === 'complete') {
      await step('carol', 'start');
      await step('carol', 'complete', { outcome: 'Hébergée au foyer de Bonnevoie' });
    }
  }
  await db.prisma.personDataAccess.create({
    data: { referralId: r.id, organisationId: s.org.alpha.id, userId: s.user.carol.id },
  });
  await backdate(r.id, at, end === 'open' ? 'createdAt' : 'closedAt');
  return r.id;
}

/** Everything stored about a referral. */
const snapshot = (id: string) =>
  db.prisma.referral.findUniqueOrThrow({
    where: { id },
    include: {
      person: true,
      needThemes: { select: { code: true } },
      consents: { orderBy: { id: 'asc' } },
      events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      messages: { orderBy: { id: 'asc' } },
      accesses: { orderBy: { id: 'asc' } },
      idempotencyRecords: { orderBy: { key: 'asc' } },
    },
  });
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/**
 * Text columns that hold no free text: codes and references the hub writes itself, and the
 * outbox payload (built by triggers from ids, statuses and dates; searched for the fixture's texts).
 */
const NOT_FREE_TEXT = new Set([
  'Referral.reference',
  'ReferralEvent.type',
  'IdempotencyRecord.scope',
  'OutboxEvent.type',
  'OutboxEvent.payload',
]);

/**
 * Every text value (text, varchar, arrays of them, json) stored about a referral, by
 * "Table.column": the Referral row and every table with a `referralId` column, as the database's
 * catalogue lists them today (a column added later is checked too).
 */
async function texts(id: string): Promise<Record<string, unknown[]>> {
  const { rows: columns } = await db.pool.query<{ table: string; column: string }>(`
    select c.table_name as "table", c.column_name as "column"
    from information_schema.columns c
    where c.table_schema = 'public'
      and c.udt_name in ('text', 'varchar', 'bpchar', '_text', '_varchar', 'json', 'jsonb')
      and (c.table_name = 'Referral' or exists (
        select 1 from information_schema.columns k
        where k.table_schema = 'public' and k.table_name = c.table_name and k.column_name = 'referralId'))
    order by 1, 2`);
  const found: Record<string, unknown[]> = {};
  for (const { table, column } of columns) {
    const key = table === 'Referral' ? 'id' : 'referralId';
    const { rows } = await db.pool.query<{ v: unknown }>(
      `select "${column}" as v from "${table}" where "${key}" = $1::uuid`,
      [id],
    );
    found[`${table}.${column}`] = rows.map((r) => r.v);
  }
  return found;
}

/** The "Table.column"s of `texts` that still hold free text. */
function freeTextLeft(found: Record<string, unknown[]>): string[] {
  const empty = (v: unknown) => v === null || v === '' || (Array.isArray(v) && v.length === 0);
  return Object.entries(found)
    .filter(([column, values]) => !NOT_FREE_TEXT.has(column) && !values.every(empty))
    .map(([column]) => column);
}

/** What the statistics read: must survive retention exactly. */
function statistics(r: Snapshot) {
  return {
    reference: r.reference,
    status: r.status,
    urgency: r.urgency,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    dueAt: r.dueAt,
    firstAnswerAt: r.firstAnswerAt,
    closedAt: r.closedAt,
    declineReason: r.declineReason,
    waitlisted: r.waitlisted,
    senderOrganisationId: r.senderOrganisationId,
    receiverOrganisationId: r.receiverOrganisationId,
    offerId: r.offerId,
    needThemes: r.needThemes,
    consents: r.consents.map(({ purpose: _purpose, ...consent }) => consent),
    accesses: r.accesses,
    events: r.events.map(({ note: _note, ...event }) => event),
  };
}

describe('anonymiseClosedReferrals', () => {
  const ids = {} as Record<'declined' | 'completed' | 'recent' | 'open', string>;
  const before = {} as Record<keyof typeof ids, Snapshot>;

  beforeAll(async () => {
    ids.declined = await referral('decline', monthsAgo(13));
    ids.completed = await referral('complete', monthsAgo(14, 3));
    ids.recent = await referral('complete', monthsAgo(11));
    ids.open = await referral('open', monthsAgo(24));
    for (const k of Object.keys(ids) as (keyof typeof ids)[]) before[k] = await snapshot(ids[k]);
  });

  it('the fixtures hold person data everywhere retention looks', () => {
    for (const r of Object.values(before)) {
      expect(r.person).toMatchObject({ name: 'Mariam Khalil', contact: '+352 621 000 000' });
      expect(r.messages).toHaveLength(2);
      expect(r.idempotencyRecords).toHaveLength(1);
      expect(r.idempotencyKey).not.toBeNull();
    }
    expect(before.declined).toMatchObject({ status: 'DECLINED', statusReason: expect.any(String) });
    expect(before.declined.events.some((e) => e.note)).toBe(true);
    expect(before.completed).toMatchObject({ status: 'COMPLETED', outcome: expect.any(String) });
    expect(before.open.closedAt).toBeNull();
  });

  it('the fixtures hold free text in every text column the catalogue lists', async () => {
    const found = await texts(ids.declined);
    for (const column of [
      'Referral.needs',
      'Referral.statusReason',
      'Referral.idempotencyKey',
      'ReferralPerson.name',
      'ReferralPerson.initials',
      'ReferralPerson.contact',
      'ReferralPerson.languages',
      'Consent.purpose',
      'ReferralEvent.note',
      'ReferralMessage.body',
      'IdempotencyRecord.key',
    ])
      expect(freeTextLeft(found)).toContain(column);
    const all = JSON.stringify(found);
    for (const text of FREE_TEXTS.filter((t) => !t.startsWith('Hébergée'))) expect(all).toContain(text);
  });

  it('a dry run counts the referrals closed more than 12 months ago and writes nothing', async () => {
    const now = new Date();
    const result = await anonymiseClosedReferrals(db.prisma, { months: 12, now, dryRun: true });
    expect(result).toEqual({ referrals: 2, cutoff: retentionCutoff(now, 12) });
    for (const k of Object.keys(ids) as (keyof typeof ids)[])
      expect(await snapshot(ids[k])).toEqual(before[k]);
  });

  it('removes the person data of referrals closed more than 12 months ago and keeps the statistics', async () => {
    const now = new Date();
    expect(await anonymiseClosedReferrals(db.prisma, { months: 12, now })).toEqual({
      referrals: 2,
      cutoff: retentionCutoff(now, 12),
    });
    for (const k of ['declined', 'completed'] as const) {
      const after = await snapshot(ids[k]);
      expect(after.person).toEqual({
        referralId: ids[k],
        name: null,
        initials: null,
        birthYear: null,
        languages: [],
        contactChannel: null,
        contact: null,
        interpreterNeeded: false,
        anonymisedAt: now,
      });
      expect(after).toMatchObject({
        needs: '',
        statusReason: null,
        outcome: null,
        idempotencyKey: null,
        idempotencyHash: null,
        messages: [],
        idempotencyRecords: [],
      });
      expect(after.events).toHaveLength(before[k].events.length);
      expect(after.events.every((e) => e.note === null)).toBe(true);
      expect(after.consents).toHaveLength(1);
      expect(after.consents.every((c) => c.purpose === '')).toBe(true);
      expect(statistics(after)).toEqual(statistics(before[k]));
      // Every text column of every table that points at the referral, the outbox included.
      const found = await texts(ids[k]);
      expect(freeTextLeft(found)).toEqual([]);
      const all = JSON.stringify(found);
      for (const text of FREE_TEXTS) expect(all).not.toContain(text);
    }
    expect((await snapshot(ids.declined)).declineReason).toBe('NO_CAPACITY');
  });

  it('leaves a referral closed 11 months ago and an open one created 2 years ago untouched', async () => {
    expect(await snapshot(ids.recent)).toEqual(before.recent);
    expect(await snapshot(ids.open)).toEqual(before.open);
  });

  it('a second run finds nothing and changes nothing', async () => {
    const anonymised = await snapshot(ids.declined);
    expect((await anonymiseClosedReferrals(db.prisma, { months: 12 })).referrals).toBe(0);
    expect((await anonymiseClosedReferrals(db.prisma, { months: 12, dryRun: true })).referrals).toBe(0);
    expect(await snapshot(ids.declined)).toEqual(anonymised);
  });

  it('follows the months it is given; open referrals are never touched', async () => {
    expect((await anonymiseClosedReferrals(db.prisma, { months: 10, dryRun: true })).referrals).toBe(1);
    expect((await anonymiseClosedReferrals(db.prisma, { months: 10 })).referrals).toBe(1);
    expect((await snapshot(ids.recent)).person?.anonymisedAt).not.toBeNull();
    expect((await anonymiseClosedReferrals(db.prisma, { months: 1 })).referrals).toBe(0);
    expect(await snapshot(ids.open)).toEqual(before.open);
  });

  it('counts calendar months, clamped to the end of a shorter month', () => {
    expect(retentionCutoff(new Date('2026-11-22T10:00:00Z'), 12)).toEqual(new Date('2025-11-22T10:00:00Z'));
    expect(retentionCutoff(new Date('2026-03-31T08:00:00Z'), 1)).toEqual(new Date('2026-02-28T08:00:00Z'));
    expect(retentionCutoff(new Date('2024-03-31T08:00:00Z'), 13)).toEqual(new Date('2023-02-28T08:00:00Z'));
    expect(retentionCutoff(new Date('2024-01-15T00:00:00Z'), 24)).toEqual(new Date('2022-01-15T00:00:00Z'));
  });

  it('works in set-based batches, and marks a referral that had no person row so that it is not counted again', async () => {
    const batch = [];
    for (let i = 0; i < 4; i++) batch.push(await referral('decline', monthsAgo(20, i)));
    const bare = await db.prisma.referral.create({
      data: {
        reference: 'REF-2020-999999',
        senderOrganisationId: s.org.beta.id,
        receiverOrganisationId: s.org.alpha.id,
        offerId: shelterId,
        needs: 'Imported without a person',
        status: 'CANCELLED',
        statusReason: 'Doublon',
        createdAt: monthsAgo(30),
        closedAt: monthsAgo(29),
      },
    });
    const statements: string[] = [];
    const counted = openDatabase({
      url: database.url,
      poolMax: 2,
      logger: createLogger('silent'),
      onQuery: (sql) => statements.push(sql),
    });
    try {
      expect(await anonymiseClosedReferrals(counted.prisma, { months: 12, batchSize: 2 })).toMatchObject({
        referrals: 5,
      });
    } finally {
      await counted.close();
    }
    // Three transactions of set-based statements, not one statement per referral.
    expect(statements.filter((q) => q === 'COMMIT')).toHaveLength(3);
    for (const write of [
      /^UPDATE "public"."ReferralPerson"/,
      /^UPDATE "public"."Referral" /,
      /^UPDATE "public"."ReferralEvent"/,
      /^UPDATE "public"."Consent"/,
      /^DELETE FROM "public"."ReferralMessage"/,
      /^DELETE FROM "public"."IdempotencyRecord"/,
    ])
      expect(statements.filter((q) => write.test(q))).toHaveLength(3);
    for (const id of [...batch, bare.id]) {
      const after = await snapshot(id);
      expect(after).toMatchObject({ needs: '', statusReason: null, messages: [] });
      expect(freeTextLeft(await texts(id))).toEqual([]);
      expect(after.person?.anonymisedAt).toBeInstanceOf(Date);
      expect(after.person?.name ?? null).toBeNull();
    }
    expect((await anonymiseClosedReferrals(db.prisma, { months: 12, batchSize: 2 })).referrals).toBe(0);
  });

  it('refuses a number of months that is not a positive integer', async () => {
    await expect(anonymiseClosedReferrals(db.prisma, { months: 0 })).rejects.toThrow(RangeError);
    await expect(anonymiseClosedReferrals(db.prisma, { months: 1.5 })).rejects.toThrow(RangeError);
  });
});

describe('npm run retention', () => {
  /** Runs src/cli/retention.ts on the test database; resolves with its exit code and output. */
  async function retention(args: string[], env: Record<string, string | undefined> = {}) {
    try {
      const { stdout, stderr } = await exec(
        process.execPath,
        ['--import', 'tsx', 'src/cli/retention.ts', ...args],
        { env: { ...process.env, DATABASE_URL: database.url, RETENTION_MONTHS: undefined, ...env } },
      );
      return { code: 0, out: stdout + stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }
  const day = (months: number) => retentionCutoff(new Date(), months).toISOString().slice(0, 10);
  const days30 = () => new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const outbox = (n: number, verb = 'Deleted') =>
    `${verb} ${n} outbox row${n === 1 ? '' : 's'} older than ${days30()}.\n`;

  it('anonymises with --months or RETENTION_MONTHS (default 12), and a dry run writes nothing', async () => {
    const old = await referral('complete', monthsAgo(25));
    const lastYear = await referral('decline', monthsAgo(13));
    const untouched = await snapshot(old);

    const dry = await retention(['--dry-run'], { RETENTION_MONTHS: '24' });
    expect(dry).toEqual({
      code: 0,
      out: `Would anonymise 1 referral closed before ${day(24)}.\n` + outbox(0, 'Would delete'),
    });
    expect(await snapshot(old)).toEqual(untouched);

    const run = await retention(['--months', '24']);
    expect(run).toEqual({ code: 0, out: `Anonymised 1 referral closed before ${day(24)}.\n` + outbox(0) });
    expect((await snapshot(old)).person).toMatchObject({ name: null, anonymisedAt: expect.any(Date) });
    expect((await snapshot(lastYear)).person).toMatchObject({ name: 'Mariam Khalil', anonymisedAt: null });

    expect(await retention([])).toEqual({
      code: 0,
      out: `Anonymised 1 referral closed before ${day(12)}.\n` + outbox(0),
    });
    expect((await snapshot(lastYear)).person).toMatchObject({ name: null, anonymisedAt: expect.any(Date) });
    // Outbox rows older than OUTBOX_RETENTION_DAYS (30) go too; newer ones stay.
    const rows = await db.prisma.outboxEvent.count();
    await db.prisma.outboxEvent.updateMany({ data: { at: new Date(Date.now() - 40 * 24 * 3600 * 1000) } });
    await db.prisma
      .$executeRaw`update "OutboxEvent" set at = now() where seq = (select max(seq) from "OutboxEvent")`;
    expect(await retention(['--months=12'])).toEqual({
      code: 0,
      out: `Anonymised 0 referrals closed before ${day(12)}.\n` + outbox(rows - 1),
    });
    expect(await db.prisma.outboxEvent.count()).toBe(1);
  }, 60_000);

  it('exits 2 with the usage on bad arguments', async () => {
    const bad = [['--months'], ['--months', '0'], ['--months', 'twelve'], ['--force']];
    for (const result of await Promise.all(bad.map((args) => retention(args)))) {
      expect(result.code).toBe(2);
      expect(result.out).toContain('usage: npm run retention -- [--months N] [--dry-run]');
    }
  }, 60_000);
});
