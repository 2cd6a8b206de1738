/**
 * `npm run retention` keeps the outbox rows a webhook still needs (a pending delivery's event,
 * events not yet fanned out), and deletes the log of finished webhook deliveries (delivered or
 * failed) once their event has left the outbox: such a delivery can no longer be sent again, and
 * its row would stay for ever. A failed one stays as long after its last attempt. A dry run counts
 * the same and deletes nothing. Each test starts from an empty outbox and log.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import type { WebhookDeliveryStatus } from '../../src/generated/prisma/enums.ts';
import { pruneOutbox } from '../../src/modules/realtime/outbox-retention.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

const exec = promisify(execFile);
const DAY = 24 * 3600 * 1000;
let database: TestDatabase;
let db: Database;
let endpointId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') });
  const organisation = await db.prisma.organisation.create({ data: { slug: 'alpha', name: 'Alpha' } });
  endpointId = (
    await db.prisma.webhookEndpoint.create({
      data: {
        organisationId: organisation.id,
        url: 'https://hooks.example.org/maillage',
        secret: 'whsec_test',
        eventTypes: ['offer.changed'],
        startSeq: 0n,
      },
    })
  ).id;
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

// Each test starts from an empty outbox, log and fan-out cursor.
beforeEach(async () => {
  await db.prisma.$executeRaw`delete from "WebhookDelivery"`;
  await db.prisma.$executeRaw`delete from "OutboxEvent"`;
  await db.prisma.$executeRaw`delete from "WebhookCursor"`;
});

/** Appends one outbox row, `daysAgo` days old; its sequence number. */
async function event(daysAgo: number): Promise<bigint> {
  const [row] = await db.prisma.$queryRaw<{ seq: bigint }[]>`
    select maillage_outbox_append('OFFER_CHANGED', null, null, null, null, '{}', false, '{}'::jsonb) as seq`;
  await db.prisma.outboxEvent.update({
    where: { seq: row!.seq },
    data: { at: new Date(Date.now() - daysAgo * DAY) },
  });
  return row!.seq;
}

/** A delivery of the event `seq`; a failed one last attempted `attemptedDaysAgo` days ago. */
async function delivery(seq: bigint, status: WebhookDeliveryStatus, attemptedDaysAgo = 40): Promise<void> {
  await db.prisma.webhookDelivery.create({
    data: {
      endpointId,
      seq,
      eventType: 'offer.changed',
      status,
      nextAttemptAt: status === 'PENDING' ? new Date() : null,
      lastAttemptAt: new Date(Date.now() - attemptedDaysAgo * DAY),
    },
  });
}

/** Fanned out up to the newest row. */
async function fannedOut(): Promise<void> {
  await db.prisma.$executeRaw`
    insert into "WebhookCursor" (id, seq) select 1, coalesce(max(seq), 0) from "OutboxEvent"
    on conflict (id) do update set seq = excluded.seq`;
}

const outboxLeft = async () =>
  (await db.prisma.outboxEvent.findMany({ orderBy: { seq: 'asc' } })).map((e) => e.seq);
const deliveriesLeft = async () =>
  (await db.prisma.webhookDelivery.findMany({ orderBy: { seq: 'asc' } })).map((d) => [d.seq, d.status]);

it('keeps what a webhook still needs, and the log of a delivery while its event is kept', async () => {
  const delivered = await event(50);
  const failed = await event(45);
  const pending = await event(40);
  const afterPending = await event(35);
  const recent = await event(1);
  await delivery(delivered, 'DELIVERED');
  await delivery(failed, 'FAILED');
  await delivery(pending, 'PENDING');
  await delivery(afterPending, 'DELIVERED');
  await delivery(recent, 'DELIVERED');
  await fannedOut();

  const dry = await pruneOutbox(db.pool, { days: 30, dryRun: true });
  expect(dry).toMatchObject({ rows: 2, deliveries: 2 });
  expect(await outboxLeft()).toEqual([delivered, failed, pending, afterPending, recent]);
  expect(await deliveriesLeft()).toHaveLength(5);

  // The events before the pending delivery's go, with the log of their finished deliveries.
  expect(await pruneOutbox(db.pool, { days: 30 })).toMatchObject({ rows: 2, deliveries: 2 });
  expect(await outboxLeft()).toEqual([pending, afterPending, recent]);
  expect(await deliveriesLeft()).toEqual([
    [pending, 'PENDING'],
    [afterPending, 'DELIVERED'],
    [recent, 'DELIVERED'],
  ]);

  // Once delivered, the rest goes but the recent event and its delivery.
  await db.prisma.webhookDelivery.updateMany({ where: { seq: pending }, data: { status: 'DELIVERED' } });
  expect(await pruneOutbox(db.pool, { days: 30, dryRun: true })).toMatchObject({ rows: 2, deliveries: 2 });
  expect(await pruneOutbox(db.pool, { days: 30 })).toMatchObject({ rows: 2, deliveries: 2 });
  expect(await outboxLeft()).toEqual([recent]);
  expect(await deliveriesLeft()).toEqual([[recent, 'DELIVERED']]);
});

it('keeps a pending delivery and a recently failed one, even when their event is gone', async () => {
  const gone = await event(50);
  const kept = await event(1);
  await fannedOut();
  // As after a redelivery of an event already pruned: pending, then failed at once (EVENT_GONE).
  await db.prisma.$executeRaw`delete from "OutboxEvent" where seq = ${gone}`;
  await delivery(gone, 'PENDING');
  await delivery(kept, 'DELIVERED');
  expect(await pruneOutbox(db.pool, { days: 30 })).toMatchObject({ rows: 0, deliveries: 0 });
  expect(await deliveriesLeft()).toEqual([
    [gone, 'PENDING'],
    [kept, 'DELIVERED'],
  ]);

  await db.prisma.webhookDelivery.updateMany({
    where: { seq: gone },
    data: { status: 'FAILED', lastAttemptAt: new Date() },
  });
  expect(await pruneOutbox(db.pool, { days: 30, dryRun: true })).toMatchObject({ deliveries: 0 });
  expect(await pruneOutbox(db.pool, { days: 30 })).toMatchObject({ deliveries: 0 });
  expect(await deliveriesLeft()).toHaveLength(2);

  // A month after its last attempt, it goes.
  await db.prisma.webhookDelivery.updateMany({
    where: { seq: gone },
    data: { lastAttemptAt: new Date(Date.now() - 31 * DAY) },
  });
  expect(await pruneOutbox(db.pool, { days: 30 })).toMatchObject({ deliveries: 1 });
  expect(await deliveriesLeft()).toEqual([[kept, 'DELIVERED']]);
});

it('keeps events not yet fanned out, and deletes every finished log once the outbox is empty', async () => {
  const done = await event(40);
  await delivery(done, 'DELIVERED');
  await fannedOut();
  const notFannedOut = await event(40);
  expect(await pruneOutbox(db.pool, { days: 30 })).toMatchObject({ rows: 1, deliveries: 1 });
  expect(await outboxLeft()).toEqual([notFannedOut]);

  await fannedOut();
  await delivery(notFannedOut, 'FAILED');
  expect(await pruneOutbox(db.pool, { days: 30, dryRun: true })).toMatchObject({ rows: 1, deliveries: 1 });
  expect(await pruneOutbox(db.pool, { days: 30 })).toMatchObject({ rows: 1, deliveries: 1 });
  expect(await outboxLeft()).toEqual([]);
  expect(await deliveriesLeft()).toEqual([]);
});

it.each([
  [1, 8 + 8],
  [2, 4 + 4],
  [7, 2 + 2],
  [5000, 1 + 1],
])('deletes in batches of %i: the same rows go, in %i statements', async (batch, statements) => {
  const old: bigint[] = [];
  for (let i = 0; i < 7; i++) {
    old.push(await event(40 - i));
    await delivery(old[i]!, i % 2 ? 'FAILED' : 'DELIVERED');
  }
  const pending = await event(33);
  await delivery(pending, 'PENDING');
  const recent = await event(1);
  await delivery(recent, 'DELIVERED');
  await fannedOut();
  let sent = 0;
  const counting = {
    query: (text: string, values: unknown[]) => {
      sent++;
      return db.pool.query(text, values);
    },
  };

  expect(await pruneOutbox(counting as unknown as typeof db.pool, { days: 30, batch })).toMatchObject({
    rows: 7,
    deliveries: 7,
  });
  // A batch that deletes fewer than its size is the last.
  expect(sent).toBe(statements);
  expect(await outboxLeft()).toEqual([pending, recent]);
  expect(await deliveriesLeft()).toEqual([
    [pending, 'PENDING'],
    [recent, 'DELIVERED'],
  ]);
});

it('npm run retention says how many delivery logs it deleted, and a dry run deletes none', async () => {
  const old = await event(40);
  await delivery(old, 'DELIVERED');
  await fannedOut();
  const run = async (...args: string[]) =>
    (
      await exec(process.execPath, ['--import', 'tsx', 'src/cli/retention.ts', ...args], {
        env: { ...process.env, DATABASE_URL: database.url, OUTBOX_RETENTION_DAYS: undefined },
      })
    ).stdout;
  const line = (verb: string) =>
    `${verb} the log of 1 finished webhook delivery whose event left the outbox.\n`;
  expect(await run('--dry-run')).toContain(line('Would delete'));
  expect(await deliveriesLeft()).toEqual([[old, 'DELIVERED']]);
  expect(await run()).toContain(line('Deleted'));
  expect(await deliveriesLeft()).toEqual([]);
  expect(await run()).not.toContain('webhook');
}, 60_000);
