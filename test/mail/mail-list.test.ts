/**
 * Without SMTP_URL mail is kept: the mailer writes it to the database and `npm run mail:list`
 * prints it, newest first, in full (how a demo reads its invitation codes).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createMailer } from '../../src/modules/mail/mailer.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

const exec = promisify(execFile);
let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') });
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

/** Runs the command as `npm run mail:list` does; its exit code and output, never a throw. */
async function mailList(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['--import', 'tsx', 'src/cli/mail-list.ts', ...args],
      {
        env: { ...process.env, DATABASE_URL: database.url, SMTP_URL: '' },
      },
    );
    return { code: 0, out: stdout, err: stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

it('keeps mail without SMTP_URL and lists it, newest first, filtered by address and kind', async () => {
  expect((await mailList()).out).toContain('No mail kept.');
  const mailer = createMailer({ MAIL_FROM: 'hub@maillage.example' }, db.prisma, createLogger('silent'));
  expect(mailer.transport).toBe('kept');
  for (const [to, kind, subject] of [
    ['Anna@Example.org', 'invitation', 'Première'],
    ['anna@example.org', 'registration', 'Deuxième'],
    ['ben@example.org', 'invitation', 'Troisième'],
  ]) {
    expect(
      await mailer.send({
        to: to!,
        kind: kind!,
        subject: subject!,
        text: `Texte ${subject}`,
        related: { id: '1' },
      }),
    ).toBe('KEPT');
  }
  const all = await mailList();
  expect(all.code).toBe(0);
  expect(all.out).toContain('3 mail(s) kept.');
  expect(all.out.indexOf('Troisième')).toBeLessThan(all.out.indexOf('Première'));

  const anna = await mailList('--to', 'ANNA@example.org', '--kind', 'invitation');
  expect(anna.out).toContain('1 mail(s) kept.');
  expect(anna.out).toContain('to anna@example.org');
  expect(anna.out).toContain('Subject: Première');
  expect(anna.out).toContain('Texte Première');
  expect(anna.out).not.toContain('Deuxième');

  expect((await mailList('--limit', '1')).out).toContain('3 mail(s) kept, newest 1 shown.');
  const bad = await mailList('--limit', 'many');
  expect(bad.code).toBe(2);
  expect(bad.err).toContain('usage: npm run mail:list');
});
