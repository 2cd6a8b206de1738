/**
 * `npm run token`: `--list` shows active users and their active memberships only, and a token is
 * issued only to an active user with an active membership (a hub admin holds that role through
 * one too); anything else is one plain line and exit 1.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

const exec = promisify(execFile);
let database: TestDatabase;
let db: Database;
let s: Scenario;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') });
  s = await seedScenario(db.prisma, loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }));
  // Carol's only membership is disabled; Bob has a second one, disabled, in alpha.
  await db.prisma.membership.updateMany({
    where: { userId: s.user.carol.id },
    data: { disabledAt: new Date() },
  });
  await db.prisma.membership.create({
    data: {
      userId: s.user.bob.id,
      organisationId: s.org.alpha.id,
      roles: ['CASE_WORKER'],
      disabledAt: new Date(),
    },
  });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'maillage-token-'));
  env = {
    ...process.env,
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    AUTH_JWKS_URL: '',
    SECRETS_KEY: randomBytes(32).toString('base64'),
  };
});
afterAll(async () => {
  await db.close();
  await database.drop();
  await rm(env.DATA_DIR!, { recursive: true, force: true });
});

/** Runs the command as `npm run token` does; its exit code and output, never a throw. */
async function token(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['--import', 'tsx', 'src/cli/token.ts', ...args],
      {
        env,
      },
    );
    return { code: 0, out: stdout, err: stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

it('lists active users and their active memberships only', async () => {
  const { code, out } = await token('--list');
  expect(code).toBe(0);
  const rows = out
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(/\s+/));
  expect(rows).toEqual([
    ['alice@alpha.example', 'alpha', 'ORG_ADMIN,CATALOGUE_EDITOR'],
    ['bob@beta.example', 'beta', 'ORG_ADMIN,CASE_WORKER'],
    ['hugo@hub.example', 'hub', 'HUB_ADMIN'],
  ]);
});

it('issues tokens to active members, hub admins included, and refuses the others in one line', async () => {
  for (const email of ['alice@alpha.example', 'hugo@hub.example']) {
    const issued = await token(email);
    expect(issued.code).toBe(0);
    expect(issued.out.trim().split('\n').pop()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  }

  const carol = await token('carol@alpha.example');
  expect(carol.code).toBe(1);
  expect(carol.out).toBe('');
  expect(carol.err.trim()).toBe(
    'carol@alpha.example has no active membership: a token would give no access. See: npm run token -- --list',
  );

  const dora = await token('dora@alpha.example');
  expect(dora.code).toBe(1);
  expect(dora.out).toBe('');
  expect(dora.err.trim()).toBe('No active user with e-mail dora@alpha.example. See: npm run token -- --list');
});
