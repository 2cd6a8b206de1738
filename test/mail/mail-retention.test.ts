/**
 * Kept mail holds codes in clear: `npm run retention` deletes it once older than MAIL_KEEP_DAYS
 * (default 30), and an invitation's mail as soon as its code is dead (accepted, revoked, expired,
 * replaced by a resend, or the invitation gone). Mail whose code still works stays.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { pruneKeptMail } from '../../src/modules/mail/mail-retention.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

const exec = promisify(execFile);
const DAY = 24 * 3600 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
let database: TestDatabase;
let db: Database;
let organisationId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') });
  organisationId = (await db.prisma.organisation.create({ data: { slug: 'alpha', name: 'Alpha' } })).id;
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

/** An invitation in the given state, its code sent `sentDaysAgo` days ago. */
async function invitation(
  state: 'pending' | 'accepted' | 'revoked' | 'expired',
  sentDaysAgo = 1,
): Promise<string> {
  const row = await db.prisma.invitation.create({
    data: {
      organisationId,
      email: `${state}@example.org`,
      roles: ['CASE_WORKER'],
      codeHash: randomUUID(),
      sentAt: ago(sentDaysAgo),
      expiresAt: state === 'expired' ? ago(0.01) : ago(-13),
      acceptedAt: state === 'accepted' ? ago(0.5) : null,
      revokedAt: state === 'revoked' ? ago(0.5) : null,
    },
  });
  return row.id;
}

/** A kept mail written `daysAgo` days ago; its subject names it. */
async function mail(subject: string, daysAgo: number, invitationId?: string): Promise<void> {
  await db.prisma.mailMessage.create({
    data: {
      to: 'someone@example.org',
      subject,
      text: invitationId ? 'Your code: inv_…' : 'Hello',
      kind: invitationId ? 'invitation' : 'registration',
      related: invitationId ? { invitationId, organisationId } : {},
      createdAt: ago(daysAgo),
    },
  });
}

const subjects = async () =>
  (await db.prisma.mailMessage.findMany({ orderBy: { subject: 'asc' }, select: { subject: true } })).map(
    (m) => m.subject,
  );

it('deletes mail past MAIL_KEEP_DAYS and mail whose code is dead, and keeps the rest', async () => {
  const pending = await invitation('pending', 1);
  const resent = await invitation('pending', 0);
  await mail('pending: current code', 1, pending);
  await mail('pending, resent: replaced code', 2, resent);
  await mail('resent: current code', 0, resent);
  await mail('accepted', 1, await invitation('accepted'));
  await mail('revoked', 1, await invitation('revoked'));
  await mail('expired', 1, await invitation('expired'));
  await mail('invitation gone', 1, randomUUID());
  await mail('not an id', 1, 'inv-not-a-uuid');
  await mail('other kind, recent', 29);
  await mail('other kind, old', 31);
  await mail('pending but old', 31, await invitation('pending', 31));

  const dry = await pruneKeptMail(db.prisma, { days: 30, dryRun: true });
  expect(dry.messages).toBe(8);
  expect(Math.abs(dry.cutoff.getTime() - ago(30).getTime())).toBeLessThan(60_000);
  expect(await subjects()).toHaveLength(11);

  expect((await pruneKeptMail(db.prisma, { days: 30 })).messages).toBe(8);
  expect(await subjects()).toEqual(['other kind, recent', 'pending: current code', 'resent: current code']);
  expect((await pruneKeptMail(db.prisma, { days: 30 })).messages).toBe(0);
});

it('runs in npm run retention, after MAIL_KEEP_DAYS, and says so only when there is mail to delete', async () => {
  async function retention(args: string[], env: Record<string, string | undefined> = {}) {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/retention.ts', ...args], {
      env: { ...process.env, DATABASE_URL: database.url, MAIL_KEEP_DAYS: undefined, ...env },
    });
    return stdout;
  }
  const day = (days: number) => ago(days).toISOString().slice(0, 10);
  // Left by the first test: 'other kind, recent' (29 days) and two live codes (0 and 1 day).
  expect(await retention(['--dry-run'], { MAIL_KEEP_DAYS: '10' })).toContain(
    `Would delete 1 kept mail older than ${day(10)} or whose code can no longer be used.\n`,
  );
  expect(await subjects()).toHaveLength(3);
  expect(await retention([])).not.toContain('kept mail');
  expect(await retention([], { MAIL_KEEP_DAYS: '1' })).toContain(
    `Deleted 2 kept mails older than ${day(1)} or whose code can no longer be used.\n`,
  );
  expect(await subjects()).toEqual(['resent: current code']);
}, 60_000);

it('refuses a number of days that is not a positive integer', async () => {
  await expect(pruneKeptMail(db.prisma, { days: 0 })).rejects.toThrow(RangeError);
  await expect(pruneKeptMail(db.prisma, { days: 1.5 })).rejects.toThrow(RangeError);
});
