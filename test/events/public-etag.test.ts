/**
 * Revalidation of an edition's public page and programme feed over real HTTP
 * (src/http/events-public.ts, `sentNotModified` in public-cache.ts, as /hsds and /guides): a
 * strong ETag of the bytes beside each one's Cache-Control, 304 without a body while they are the
 * same, a new ETag and a 200 once the edition changed; no ETag on a redirect or a 404.
 *
 * The edition is seeded and changed through Prisma directly.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_FEED_CACHE_CONTROL, EVENT_PAGE_CACHE_CONTROL } from '../../src/http/events-public.ts';
import { seedScenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let base: string;
let editionId: string;
const SERIES = 'forum-social';
const EDITION = 'forum-social-2025';

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  base = `http://127.0.0.1:${t.hub.port}`;
  const s = await seedScenario(t.db.prisma, t.config);
  const prisma = t.db.prisma;
  const series = await prisma.event.create({
    data: { slug: SERIES, organisationId: s.org.alpha.id, name: { fr: 'Forum social' } },
  });
  const edition = await prisma.eventEdition.create({
    data: {
      eventId: series.id,
      slug: EDITION,
      organisationId: s.org.alpha.id,
      title: { fr: 'Forum social 2025' },
      description: { fr: 'La journée du réseau.' },
      startsAt: new Date('2025-11-20T07:30:00Z'),
      endsAt: new Date('2025-11-20T16:00:00Z'),
      status: 'OPEN',
    },
  });
  editionId = edition.id;
}, 60_000);
afterAll(() => t.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers, redirect: 'manual' });

describe('ETag and 304 on an edition’s public page and feed', () => {
  it.each([
    [`/events/${EDITION}?lang=fr`, EVENT_PAGE_CACHE_CONTROL],
    [`/events/${EDITION}.ics?lang=fr`, EVENT_FEED_CACHE_CONTROL],
  ])(
    '%s: 304 while the bytes are the same, 200 and a new ETag once the edition changed',
    async (path, cc) => {
      const first = await get(path);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      expect(first.headers.get('cache-control')).toBe(cc);
      await first.text();

      for (const named of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const unchanged = await get(path, { 'if-none-match': named });
        expect([named, unchanged.status, await unchanged.text()]).toEqual([named, 304, '']);
        expect(unchanged.headers.get('etag')).toBe(etag);
        expect(unchanged.headers.get('cache-control')).toBe(cc);
      }

      const title = `Forum social 2025 (${path.includes('.ics') ? 'programme' : 'page'})`;
      await t.db.prisma.eventEdition.update({ where: { id: editionId }, data: { title: { fr: title } } });
      const after = await get(path, { 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      expect(await after.text()).toContain(title);
    },
  );

  it('puts no ETag on a redirect or a problem', async () => {
    const series = await get(`/events/${SERIES}`, { 'if-none-match': '*' });
    expect([series.status, series.headers.get('etag')]).toEqual([302, null]);
    const missing = await get('/events/nulle-part', { 'if-none-match': '*' });
    expect([missing.status, missing.headers.get('etag')]).toEqual([404, null]);
  });
});
