/**
 * Revalidation of a published guide's public pages over real HTTP (src/http/guides-public.ts,
 * `sentNotModified` in public-cache.ts, as /hsds): the page, its iCalendar feed and its GeoJSON
 * carry a strong ETag of their bytes (one per content coding) beside their short public
 * Cache-Control; If-None-Match naming it (alone, in a list, weak, or `*`) is 304 without a body,
 * for GET and HEAD; a change to the guide made through GraphQL, as its coordinator makes it, is a
 * new ETag and a 200. Problems (404) carry none.
 *
 * The guide is seeded through Prisma; the change goes through `updateGuide`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import http from 'node:http';
import { UpdateGuideDocument } from '../../clients/generated/graphql.ts';
import { GUIDE_CACHE_CONTROL } from '../../src/http/guides-public.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let base: string;
let guideId: string;
const SLUG = 'accueil-bonnevoie';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request as node:http sends it: exactly the headers given, the body as it crossed the wire. */
function request(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .request(`${base}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      })
      .on('error', reject)
      .end();
  });
}

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  base = `http://127.0.0.1:${t.hub.port}`;
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const catalogue = await seedAlphaCatalogue(t.db.prisma, s);
  const prisma = t.db.prisma;
  const shelter = await prisma.shelter.create({
    data: { siteId: catalogue.sites.bonnevoie.id, organisationId: s.org.alpha.id, kind: 'REFUGEE_HOME' },
  });
  const guide = await prisma.guide.create({
    data: {
      slug: SLUG,
      organisationId: s.org.alpha.id,
      shelterId: shelter.id,
      title: { fr: 'Activités près du foyer' },
      intro: { fr: 'Ce que vous pouvez faire ici.' },
      languages: ['fr'],
      status: 'PUBLISHED',
      publishedAt: new Date(),
    },
  });
  guideId = guide.id;
  for (const offer of [catalogue.offers.shelter, catalogue.offers.french]) {
    await prisma.guideItem.create({
      data: {
        guideId: guide.id,
        offerId: offer.id,
        providerOrganisationId: s.org.alpha.id,
        status: 'CONFIRMED',
        verifiedAt: new Date('2026-03-02T10:00:00Z'),
      },
    });
  }
}, 60_000);
afterAll(() => t.close());

const PATHS = [`/guides/${SLUG}?lang=fr`, `/guides/${SLUG}.ics?lang=fr`, `/guides/${SLUG}.geojson?lang=fr`];

describe('ETag and 304 on a guide’s public pages', () => {
  it.each(PATHS)('%s: a strong ETag, then 304 without a body while the bytes are the same', async (path) => {
    const first = await request(path);
    expect(first.status).toBe(200);
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    // The short public caching stays: the ETag only makes the revalidation after it cheap.
    expect(first.headers['cache-control']).toBe(GUIDE_CACHE_CONTROL);
    expect(first.body.length).toBeGreaterThan(0);

    const again = await request(path);
    expect([again.headers.etag, again.body.equals(first.body)]).toEqual([etag, true]);

    for (const named of [etag, `W/${etag}`, `"other", ${etag}`, `W/"x,y" ,W/${etag}`, '*']) {
      const unchanged = await request(path, { 'if-none-match': named });
      expect([named, unchanged.status, unchanged.body.length]).toEqual([named, 304, 0]);
      expect(unchanged.headers.etag).toBe(etag);
      expect(unchanged.headers['cache-control']).toBe(GUIDE_CACHE_CONTROL);
      expect(unchanged.headers.vary).toBe(first.headers.vary);
      expect(unchanged.headers['content-length']).toBeUndefined();
    }
    const head = await request(path, { 'if-none-match': etag }, 'HEAD');
    expect(head.status).toBe(304);
    for (const other of ['"other"', etag.slice(0, -2) + '"', 'not-quoted']) {
      const changed = await request(path, { 'if-none-match': other });
      expect([other, changed.status, changed.body.equals(first.body)]).toEqual([other, 200, true]);
    }
  });

  it('gives a compressed page its own ETag, and answers it 304 in that coding', async () => {
    const plain = await request(PATHS[0]!);
    const br = await request(PATHS[0]!, { 'accept-encoding': 'br' });
    const gzip = await request(PATHS[0]!, { 'accept-encoding': 'gzip' });
    expect([br.headers['content-encoding'], gzip.headers['content-encoding']]).toEqual(['br', 'gzip']);
    expect(br.headers.etag).toBe(plain.headers.etag!.replace(/"$/, '-br"'));
    expect(gzip.headers.etag).toBe(plain.headers.etag!.replace(/"$/, '-gzip"'));
    expect(br.headers.vary).toBe('Accept-Language, Accept-Encoding');

    const unchanged = await request(PATHS[0]!, {
      'accept-encoding': 'br',
      'if-none-match': br.headers.etag!,
    });
    expect([unchanged.status, unchanged.body.length, unchanged.headers['content-encoding']]).toEqual([
      304,
      0,
      'br',
    ]);
    // The identity copy's tag does not validate the brotli one.
    expect(
      (await request(PATHS[0]!, { 'accept-encoding': 'br', 'if-none-match': plain.headers.etag! })).status,
    ).toBe(200);
  });

  it('answers 200 with a new ETag once the guide changed through GraphQL', async () => {
    const before = await Promise.all(PATHS.map((p) => request(p)));
    const version = (await t.db.prisma.guide.findUniqueOrThrow({ where: { id: guideId } })).version;
    const alice = t.client(await s.token('alice'));
    const res = await alice.request(UpdateGuideDocument, {
      input: {
        id: encodeGlobalID('Guide', guideId),
        expectedVersion: version,
        texts: [{ language: 'FR', title: 'Activités autour du foyer de Bonnevoie' }],
      },
    });
    expect(res.updateGuide.__typename).toBe('MutationUpdateGuideSuccess');

    const [page, ics] = [PATHS[0]!, PATHS[1]!];
    for (const [i, path] of [page, ics].entries()) {
      const old = before[i]!.headers.etag!;
      const after = await request(path, { 'if-none-match': old });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(old);
      expect(after.body.toString()).toContain('Activités autour du foyer de Bonnevoie');
      expect((await request(path, { 'if-none-match': after.headers.etag! })).status).toBe(304);
    }
  });

  it('puts no ETag on a problem, and never answers it 304', async () => {
    const missing = await request('/guides/nulle-part?lang=fr', { 'if-none-match': '*' });
    expect([missing.status, missing.headers.etag]).toEqual([404, undefined]);
    const bad = await request(`/guides/${SLUG}?lang=xx`, { 'if-none-match': '*' });
    expect([bad.status, bad.headers.etag]).toEqual([400, undefined]);
  });
});
