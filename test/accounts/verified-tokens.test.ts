/**
 * A token's signature is checked once per key set (`auth.service.ts`, `VerifiedTokens`), not on
 * every request; what the check decided must still hold on every later use: a token past its
 * `exp` is refused though it was verified before, and the tokens a key verified are forgotten
 * when the key leaves the key set. (That an ended session's or a disabled account's token stops
 * at once, verified or not, is `sessions.test.ts`.)
 */
import { afterAll, afterEach, beforeAll, expect, it, jest } from '@jest/globals';
import { AuthenticationError, Authenticator } from '../../src/modules/accounts/auth.service.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { loadConfig, type Config } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let db: Database;
let config: Config;
let s: Scenario;

beforeAll(async () => {
  database = await createTestDatabase();
  config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
  db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') });
  s = await seedScenario(db.prisma, config);
});
afterEach(() => {
  jest.useRealTimers();
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

/** A new authenticator (an empty cache) and the hits and misses of its token lookups. */
function authenticator() {
  const lookups: boolean[] = [];
  const auth = new Authenticator(db.prisma, db.sql, config, createLogger('silent'), (hit) =>
    lookups.push(hit),
  );
  return { auth, lookups };
}

/** Moves the date `ms` ahead (jose reads `new Date()`, the cache `Date.now()`); timers stay real. */
function clockAhead(ms: number) {
  jest.useFakeTimers({
    now: Date.now() + ms,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: unknown) =>
      err instanceof AuthenticationError ? err.message : `not an AuthenticationError: ${String(err)}`,
  );

it('a token is verified once, then known; the viewer is the same', async () => {
  const { auth, lookups } = authenticator();
  const token = await s.token('alice');
  const first = await auth.authenticate(`Bearer ${token}`);
  const second = await auth.authenticate(`Bearer ${token}`);
  expect(lookups).toEqual([false, true]);
  expect(second).toEqual(first);
  expect(first).toMatchObject({ kind: 'user', userId: s.user.alice.id });
  // Another token of the same person is another entry.
  const other = await signUserToken(db.prisma, s.user.alice, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ttlSeconds: 601,
  });
  expect(other).not.toBe(token);
  await auth.authenticate(`Bearer ${other}`);
  expect(lookups).toEqual([false, true, false]);
});

it('a known token past its exp is refused as expired', async () => {
  const { auth, lookups } = authenticator();
  const token = await signUserToken(db.prisma, s.user.bob, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ttlSeconds: 5,
  });
  expect(await auth.authenticate(`Bearer ${token}`)).toMatchObject({ userId: s.user.bob.id });
  // 10 s later: still the same key set (re-read after 60 s), but the token has expired.
  clockAhead(10_000);
  expect(await refusal(auth.authenticate(`Bearer ${token}`))).toBe('Invalid token: expired.');
  expect(lookups).toEqual([false, false]);
});

it('the tokens a key verified are forgotten when the key leaves the key set', async () => {
  const { auth, lookups } = authenticator();
  const token = await s.token('carol');
  expect(await auth.authenticate(`Bearer ${token}`)).toMatchObject({ userId: s.user.carol.id });
  expect(await auth.authenticate(`Bearer ${token}`)).toMatchObject({ userId: s.user.carol.id });
  // The key retired long ago (as if compromised and dropped): it is no longer published.
  await db.prisma.signingKey.updateMany({ data: { retiredAt: new Date(Date.now() - 30 * 86_400_000) } });
  try {
    // After the key set's minute, the hub reads it again, and the token is checked against it.
    clockAhead(61_000);
    expect(await refusal(auth.authenticate(`Bearer ${token}`))).toBe('Invalid token: unknown signing key.');
    expect(lookups).toEqual([false, true, false]);
  } finally {
    await db.prisma.signingKey.updateMany({ data: { retiredAt: null } });
  }
});
