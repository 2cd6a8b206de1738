/**
 * The demo data: it loads (twice, idempotently), reads well through the API, and every HSDS
 * document it gives validates against the official HSDS 3.0 schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OffersDocument } from '../../clients/generated/graphql.ts';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { officialSchemas, type Doc } from '../helpers/hsds-schemas.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let base: string;
let counts: Awaited<ReturnType<typeof seedDemo>>;
const errorsOf = officialSchemas();

beforeAll(async () => {
  t = await startTestHub();
  base = t.graphqlUrl.replace('/graphql', '');
  await seedDemo(t.db.prisma);
  counts = await seedDemo(t.db.prisma);
}, 60_000);
afterAll(() => t.close());

async function json(path: string): Promise<Doc> {
  const res = await fetch(`${base}${path}`);
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  return (await res.json()) as Doc;
}

/** Every page of an HSDS list, each page validated. */
async function allPages(path: string, schema: string): Promise<Doc[]> {
  const items: Doc[] = [];
  for (let page = 1; ; page++) {
    const doc = await json(`${path}${path.includes('?') ? '&' : '?'}per_page=50&page=${page}`);
    expect({ path, page, errors: errorsOf(schema, doc) }).toEqual({ path, page, errors: [] });
    items.push(...(doc.contents as Doc[]));
    if (doc.last_page) return items;
  }
}

describe('demo data', () => {
  it('loads idempotently: a second run creates nothing new', async () => {
    expect(await t.db.prisma.offer.count()).toBe(counts.offers);
    expect(await t.db.prisma.site.count()).toBe(counts.sites);
    expect(counts.offers).toBeGreaterThanOrEqual(50);
  });

  it('has referrals in every status a case worker meets, each with its history', async () => {
    expect(counts.referrals).toBe(8);
    expect(await t.db.prisma.referral.count()).toBe(8);
    const statuses = await t.db.prisma.referral.groupBy({ by: ['status'], _count: { _all: true } });
    expect(statuses.map((g) => g.status).sort()).toEqual(
      ['ACCEPTED', 'COMPLETED', 'DECLINED', 'DRAFT', 'IN_PROGRESS', 'RECEIVED', 'SENT'].sort(),
    );
    const events = await t.db.prisma.referralEvent.count();
    expect(events).toBeGreaterThanOrEqual(8 + 15);
    const waitlisted = await t.db.prisma.referral.count({ where: { waitlisted: true } });
    expect(waitlisted).toBe(1);
  });

  it('speaks French first, and German or English too', async () => {
    const offers = await t.db.prisma.offer.findMany({ select: { title: true } });
    for (const { title } of offers) {
      const t = title as Record<string, string>;
      expect(t.fr).toBeTruthy();
      expect(t.de ?? t.en).toBeTruthy();
    }
  });

  it('is found by people’s words', async () => {
    for (const text of ['logement', 'sante', 'cours de français', 'dettes', 'Jugendhaus']) {
      const res = await t.send(OffersDocument, { filter: { text }, first: 5 });
      expect({ text, total: (res.body.data?.offers.totalCount ?? 0) > 0 }).toEqual({ text, total: true });
    }
  });
});

describe('HSDS documents of the demo data', () => {
  it('every service, organization and taxonomy term validates against the official schemas', async () => {
    const services = await allPages('/hsds/services?full=true', 'page:compiled/service');
    expect(services.length).toBe(await t.db.prisma.offer.count({ where: { status: 'PUBLISHED' } }));
    for (const s of services) {
      const doc = await json(`/hsds/services/${String(s.id)}`);
      expect({ id: s.id, errors: errorsOf('compiled/service', doc) }).toEqual({ id: s.id, errors: [] });
    }
    const organizations = await allPages('/hsds/organizations?full=true', 'page:compiled/organization');
    expect(organizations.length).toBeGreaterThan(10);
    for (const o of organizations) {
      const doc = await json(`/hsds/organizations/${String(o.id)}?full_service=true`);
      expect({ id: o.id, errors: errorsOf('compiled/organization', doc) }).toEqual({ id: o.id, errors: [] });
    }
    const terms = await allPages('/hsds/taxonomy_terms', 'page:taxonomy_term');
    expect(terms.length).toBe(await t.db.prisma.theme.count());
  }, 120_000);
});
