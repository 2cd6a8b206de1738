/**
 * The hub's signing key under concurrency: processes that start together (two WEB_CONCURRENCY
 * workers on a new database) and ask for the key at once end up with ONE current key, the same
 * for all; a rotation racing them leaves one current key too.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { currentSigningKey, rotateSigningKey } from '../../src/modules/accounts/signing-keys.service.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
/** One pool and Prisma client per "process". */
const processes: Database[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  for (let i = 0; i < 6; i++) {
    processes.push(openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') }));
  }
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.close()));
  await database?.drop();
});

const currentKeys = async () =>
  (await processes[0]!.prisma.signingKey.findMany({ where: { retiredAt: null } })).map((k) => k.kid);

it('processes asking for the first key at once share one', async () => {
  // A race: several rounds, each on a database without a key.
  for (let round = 0; round < 5; round++) {
    await processes[0]!.prisma.signingKey.deleteMany();
    const keys = await Promise.all(processes.map((p) => currentSigningKey(p.prisma)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(await currentKeys()).toEqual([keys[0]!.kid]);
  }
});

it('rotations and first uses racing each other leave one current key', async () => {
  await Promise.all([
    rotateSigningKey(processes[0]!.prisma),
    rotateSigningKey(processes[1]!.prisma),
    ...processes.slice(2).map((p) => currentSigningKey(p.prisma)),
  ]);
  const current = await currentKeys();
  expect(current).toHaveLength(1);
  expect((await currentSigningKey(processes[5]!.prisma)).kid).toBe(current[0]);
});
