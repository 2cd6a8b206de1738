/**
 * The token check's own statement (`accounts.sql.ts`) against the same read through Prisma (what
 * `Authenticator` sent before issue 15): by user id and by a partner provider's subject, with
 * several and disabled memberships, a disabled user, and sessions live, revoked, expired, of
 * another user or unknown.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { viewerRow } from '../../src/modules/accounts/accounts.sql.ts';
import { liveSessionWhere } from '../../src/modules/accounts/session.service.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let db: Database;
let s: Scenario;
const sessions: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
  db = openDatabase({ url: database.url, poolMax: 3, logger: createLogger('silent') });
  s = await seedScenario(db.prisma, config);
  // Carol also belongs to beta, and to the hub through a membership that was disabled.
  await db.prisma.membership.create({
    data: { userId: s.user.carol.id, organisationId: s.org.beta.id, roles: ['CASE_WORKER', 'ORG_ADMIN'] },
  });
  await db.prisma.membership.create({
    data: {
      userId: s.user.carol.id,
      organisationId: s.org.hub.id,
      roles: ['HUB_ADMIN'],
      disabledAt: new Date(),
    },
  });
  await db.prisma.user.update({ where: { id: s.user.bob.id }, data: { subject: 'partner|bob' } });
  const hour = 3600_000;
  const session = async (name: string, userId: string, data: { expiresAt: Date; revokedAt?: Date }) => {
    const row = await db.prisma.session.create({ data: { userId, tokenHash: randomUUID(), ...data } });
    sessions[name] = row.id;
  };
  await session('live', s.user.carol.id, { expiresAt: new Date(Date.now() + hour) });
  await session('revoked', s.user.carol.id, {
    expiresAt: new Date(Date.now() + hour),
    revokedAt: new Date(),
  });
  await session('expired', s.user.carol.id, { expiresAt: new Date(Date.now() - 1000) });
  await session('bob’s', s.user.bob.id, { expiresAt: new Date(Date.now() + hour) });
  sessions.unknown = randomUUID();
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

/** The read `Authenticator` made through Prisma, in the statement's shape. */
async function throughPrisma(by: { id: string } | { subject: string }, sessionId: string | null, now: Date) {
  const user = await db.prisma.user.findFirst({
    where: by,
    select: {
      id: true,
      email: true,
      disabledAt: true,
      memberships: { where: { disabledAt: null }, select: { organisationId: true, roles: true } },
      ...(sessionId ? { sessions: { where: liveSessionWhere(sessionId, now), select: { id: true } } } : {}),
    },
  });
  if (!user) return null;
  const { sessions: live, ...rest } = user as typeof user & { sessions?: unknown[] };
  return { ...rest, sessionLive: sessionId ? (live?.length ?? 0) > 0 : null };
}

const sorted = <T extends { memberships: { organisationId: string }[] } | null>(row: T): T =>
  row && {
    ...row,
    memberships: [...row.memberships].sort((a, b) => a.organisationId.localeCompare(b.organisationId)),
  };

describe('the token check’s statement reads what Prisma reads', () => {
  it('for every user, by id and by subject, with each kind of session', async () => {
    const now = new Date();
    const lookups: ({ id: string } | { subject: string })[] = [
      ...Object.values(s.user).map((u) => ({ id: u.id })),
      { id: randomUUID() },
      { subject: 'partner|bob' },
      { subject: 'partner|nobody' },
    ];
    let compared = 0;
    for (const by of lookups) {
      for (const sessionId of [null, ...Object.values(sessions)]) {
        const ours = await viewerRow(db.sql, by, sessionId, now);
        expect([by, sessionId, sorted(ours)]).toStrictEqual([
          by,
          sessionId,
          sorted(await throughPrisma(by, sessionId, now)),
        ]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
    const carol = await viewerRow(db.sql, { id: s.user.carol.id }, sessions.live!, now);
    expect(carol?.memberships).toHaveLength(2);
    expect(carol?.sessionLive).toBe(true);
    expect((await viewerRow(db.sql, { id: s.user.carol.id }, sessions.revoked!, now))?.sessionLive).toBe(
      false,
    );
  });
});
