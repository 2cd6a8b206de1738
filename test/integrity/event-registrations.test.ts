/**
 * Issue 12's concurrency rule on what users run: on the embedded default (`npm start` with demo
 * data) and on the machine's PostgreSQL, through the same entry point, 40 people register at once
 * with their organisation's code for the demo's last free workshop seats, half of them willing to
 * wait. No session is ever over-booked, every answer is a registration or SessionFullError, and
 * the waitlist is in a strict order.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { EditionInvitationsDocument, RegisterForEventDocument } from '../../clients/generated/graphql.ts';
import { send } from '../../clients/sdk.ts';
import { createTestDatabase } from '../helpers/pg.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';

const run = promisify(execFile);
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

const ORGANISER = 'anne.weber@vdl.example';
const EDITION = 'assises-sociales-2022';
const PEOPLE = 40;
const LIMITS = { RATE_LIMITS: 'false' };

function stop(hub: HubProcess) {
  if (hub.child.exitCode === null) hub.child.kill('SIGTERM');
  return hub.exit;
}

async function embedded() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'maillage-events-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const env = { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', ...LIMITS };
  const hub = await spawnHub(env);
  cleanup.push(() => stop(hub));
  const state = JSON.parse(await readFile(path.join(env.DATA_DIR, 'embedded-db.json'), 'utf8')) as {
    url: string;
  };
  return { hub, databaseUrl: state.url, env: { ...process.env, ...env } };
}

async function postgres() {
  const database = await createTestDatabase();
  cleanup.push(() => database.drop());
  const env = { ...process.env, DATABASE_URL: database.url };
  await run(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts'], { env });
  const hub = await spawnHub({ DATABASE_URL: database.url, ...LIMITS });
  cleanup.push(() => stop(hub));
  return { hub, databaseUrl: database.url, env };
}

async function token(env: NodeJS.ProcessEnv, email: string): Promise<string> {
  const out = await run(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', email], { env });
  return out.stdout.trim().split('\n').pop()!;
}

async function seats(url: string, sessionId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; n: number }>(
      `select status::text, count(*)::int as n from "RegistrationSeat" where "sessionId" = $1 group by status`,
      [sessionId],
    );
    const { rows: queue } = await client.query<{ at: Date }>(
      `select "queuedAt" as at from "RegistrationSeat" where "sessionId" = $1 and status = 'WAITLISTED' order by "queuedAt", "registrationId"`,
      [sessionId],
    );
    return {
      by: Object.fromEntries(rows.map((r) => [r.status, r.n])),
      queue: queue.map((q) => q.at.getTime()),
    };
  } finally {
    await client.end();
  }
}

describe.each([
  ['embedded default', embedded],
  ['PostgreSQL', postgres],
])('40 registrations at once, on the %s', (_name, setup) => {
  it('never over-books a session and keeps the waitlist in order', async () => {
    const { hub, env, databaseUrl } = await setup();
    const graphql = `${hub.url}/graphql`;
    const organiser = await token(env, ORGANISER);
    const read = await send(graphql, EditionInvitationsDocument, { slug: EDITION }, { token: organiser });
    const edition = read.body.data!.eventEdition!;
    const code = edition.invitations.find((i) => i.code)!.code!;
    // The workshop with the fewest free seats that still has some.
    const open = edition.sessions
      .filter((s) => s.capacity !== null && s.seatsTaken < s.capacity)
      .sort((a, b) => a.capacity! - a.seatsTaken - (b.capacity! - b.seatsTaken))[0]!;
    const free = open.capacity! - open.seatsTaken;
    const rawSession = Buffer.from(open.id, 'base64').toString('utf8').split(':')[1]!;
    const before = await seats(databaseUrl, rawSession);

    const answers = await Promise.all(
      Array.from({ length: PEOPLE }, (_, i) =>
        send(graphql, RegisterForEventDocument, {
          input: {
            edition: EDITION,
            code,
            participant: {
              name: `Concurrent ${i}`,
              email: `concurrent.${i}@integrity.example`,
              category: 'PARTNER_STAFF',
              sessionIds: [open.id],
              waitlist: i % 2 === 0,
            },
          },
        }),
      ),
    );
    const kinds = answers.map((a) => {
      expect(a.body.errors).toBeUndefined();
      return a.body.data!.registerForEvent.__typename;
    });
    expect(kinds.every((k) => k === 'MutationRegisterForEventSuccess' || k === 'SessionFullError')).toBe(
      true,
    );
    const after = await seats(databaseUrl, rawSession);
    expect(after.by.CONFIRMED).toBe(open.capacity);
    const registered = kinds.filter((k) => k === 'MutationRegisterForEventSuccess').length;
    expect((after.by.CONFIRMED ?? 0) - (before.by.CONFIRMED ?? 0)).toBe(Math.min(free, registered));
    expect((after.by.WAITLISTED ?? 0) - (before.by.WAITLISTED ?? 0)).toBe(
      registered - Math.min(free, registered),
    );
    expect(after.queue).toEqual([...after.queue].sort((a, b) => a - b));
    // Those who did not want to wait and found no seat wrote nothing.
    expect(registered).toBeGreaterThanOrEqual(PEOPLE / 2);
  });
});
