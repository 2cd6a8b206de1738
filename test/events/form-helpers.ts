/**
 * What the tests of the events' form pages share (register-page.test.ts, manage-page.test.ts): a
 * hub whose wrong-secret limit each test file sets, with the scenario seeded and an event of
 * organisation alpha; sessions; a form POST as a browser sends it; what every answer's headers say.
 */
import { expect } from '@jest/globals';
import { CreateEventDocument, CreateSessionDocument } from '../../clients/generated/graphql.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

/** The raw uuid of a global ID (what the pages' forms carry). */
export const raw = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

/**
 * A hub where an address may send `wrongTriesAllowed` wrong codes or tokens before it waits, the
 * scenario seeded, and an event of organisation alpha (`eventSlug`) that alice manages.
 */
export async function startHubWithEvent(
  wrongTriesAllowed: number,
  eventSlug: string,
): Promise<{ t: TestHub; s: Scenario; base: string; alice: string; eventId: string }> {
  const t = await startTestHub({
    AUTH_FAILURES_PER_ADDRESS: String(wrongTriesAllowed),
    // Each test that guesses wrong does so from its own address (X-Forwarded-For).
    TRUSTED_PROXY_HOPS: '1',
  });
  const base = `http://127.0.0.1:${t.hub.port}`;
  const s = await seedScenario(t.db.prisma, t.config);
  const alice = await s.token('alice');
  const event = await t.send(
    CreateEventDocument,
    {
      input: {
        organisationId: s.org.alpha.globalId,
        slug: eventSlug,
        name: [{ language: 'FR', text: 'Assises de test' }],
      },
    },
    { token: alice },
  );
  const created = event.body.data!.createEvent;
  if (created.__typename !== 'MutationCreateEventSuccess') throw new Error(JSON.stringify(created));
  return { t, s, base, alice, eventId: created.data.event.id };
}

/** A session of an hour, `hour` hours after `start`: a workshop with a capacity, else a plenary. */
export async function createSession(
  t: TestHub,
  token: string,
  session: { editionId: string; title: string; capacity: number | null; start: Date; hour: number },
): Promise<string> {
  const { editionId, title, capacity, start, hour } = session;
  const r = await t.send(
    CreateSessionDocument,
    {
      input: {
        editionId,
        kind: capacity ? 'WORKSHOP' : 'PLENARY',
        title: [{ language: 'FR', text: title }],
        startsAt: new Date(start.getTime() + hour * 3600 * 1000).toISOString(),
        endsAt: new Date(start.getTime() + (hour + 1) * 3600 * 1000).toISOString(),
        capacity,
      },
    },
    { token },
  );
  const c = r.body.data!.createSession;
  if (c.__typename !== 'MutationCreateSessionSuccess') throw new Error(JSON.stringify(c));
  return c.data.session.id;
}

/** A form POST as a browser sends it, the redirect not followed. */
export const postForm = (url: string, fields: [string, string][], headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

/** A page that no cache keeps, whose links tell no referrer, where no script runs and forms post here only. */
export function expectPrivatePage(res: Response): void {
  const csp = res.headers.get('content-security-policy')!;
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).not.toContain('script-src');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}
