/**
 * The public cache (issue 15), on two hub processes (`npm start`'s entry point) sharing one
 * database: anonymous catalogue reads come from each process's cache once read; a change made
 * through hub B (GraphQL) or by any other path (a statement on an organisation, a site link)
 * changes hub A's answer within a second; an answer that depends on a token is never cached,
 * nor served to a token; reads of anything but the catalogue are never cached. The allow-list
 * behind that (`isPublicCatalogueRead`, `cataloguePolicy`) on documents and on a schema grown by
 * fields that read something else.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { extendSchema, getOperationAST, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { CATALOGUE_FIELDS, cataloguePolicy, isPublicCatalogueRead } from '../../src/http/public-cache.ts';
import { schema } from '../../src/schema.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';

let database: TestDatabase;
let db: Database;
let s: Scenario;
let catalogue: Awaited<ReturnType<typeof seedAlphaCatalogue>>;
let a: HubProcess;
let b: HubProcess;
let editor: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
  db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') });
  s = await seedScenario(db.prisma, config);
  await seedThemes(db.prisma);
  catalogue = await seedAlphaCatalogue(db.prisma, s);
  editor = await s.token('alice');
  // Generous: CI shares its machine, and a cold start there can take 30 s.
  [a, b] = await Promise.all([
    spawnHub({ DATABASE_URL: database.url }),
    spawnHub({ DATABASE_URL: database.url }),
  ]);
}, 120_000);

afterAll(async () => {
  for (const hub of [a, b]) {
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.exit;
    }
  }
  await db?.close();
  await database?.drop();
});

const SEARCH = `query PublicSearch($first: Int) {
  offers(first: $first, orderBy: NAME, lang: FR, filter: { statuses: [PUBLISHED, DRAFT] }) {
    totalCount
    edges { node { id status title { text } organisation { name } sites { name commune } } }
  }
}`;

interface Answer {
  status: number;
  cache: string | null;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: unknown[] };
}

async function post(hub: HubProcess, query: string, variables: object = {}, token?: string): Promise<Answer> {
  const res = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': 'fr',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return {
    status: res.status,
    cache: res.headers.get('x-maillage-cache'),
    text,
    body: JSON.parse(text) as Answer['body'],
  };
}

/**
 * Reads `hub` until its anonymous answer differs from `before`, at most `withinMs` after now:
 * the time it took. Fails if it never did.
 */
async function changedWithin(hub: HubProcess, before: string, withinMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const now = await post(hub, SEARCH, { first: 10 });
    if (now.text !== before) return performance.now() - started;
    if (performance.now() - started > withinMs) {
      throw new Error(`hub A still answered the old catalogue ${withinMs} ms after the change`);
    }
  }
}

describe('the public cache', () => {
  it('answers an anonymous catalogue read from the cache once read, the same answer', async () => {
    const first = await post(a, SEARCH, { first: 10 });
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(first.cache).toBe('miss');
    const second = await post(a, SEARCH, { first: 10 });
    expect(second.cache).toBe('hit');
    expect(second.text).toBe(first.text);
    // The same document written otherwise (whitespace) is the same entry; other variables are not.
    expect((await post(a, SEARCH.replace(/\n\s*/g, ' '), { first: 10 })).cache).toBe('hit');
    expect((await post(a, SEARCH, { first: 1 })).cache).toBe('miss');
  });

  it('shows a change made through another hub within a second', async () => {
    const before = (await post(a, SEARCH, { first: 10 })).text;
    expect((await post(a, SEARCH, { first: 10 })).cache).toBe('hit');
    const offer = await db.prisma.offer.findUniqueOrThrow({ where: { id: catalogue.offers.shelter.id } });
    const changed = await post(
      b,
      `mutation Rename($input: UpdateOfferInput!) { updateOffer(input: $input) { __typename } }`,
      {
        input: {
          id: encodeGlobalID('Offer', offer.id),
          expectedVersion: offer.version,
          title: [{ language: 'FR', text: 'Hébergement d’urgence (nouveau nom)' }],
        },
      },
      editor,
    );
    expect(changed.body).toEqual({ data: { updateOffer: { __typename: 'MutationUpdateOfferSuccess' } } });
    await changedWithin(a, before, 1_000);
    const after = await post(a, SEARCH, { first: 10 });
    expect(after.text).toContain('Hébergement d’urgence (nouveau nom)');
  });

  it('is emptied by changes made by any path: an organisation, a site’s link to an offer', async () => {
    let before = (await post(a, SEARCH, { first: 10 })).text;
    expect((await post(a, SEARCH, { first: 10 })).cache).toBe('hit');
    await db.pool.query(`update "Organisation" set name = 'Alpha (renommée)' where id = $1`, [
      s.org.alpha.id,
    ]);
    await changedWithin(a, before, 1_000);
    expect((await post(a, SEARCH, { first: 10 })).text).toContain('Alpha (renommée)');

    before = (await post(a, SEARCH, { first: 10 })).text;
    await db.pool.query(`delete from "_OfferToSite" where "A" = $1`, [catalogue.offers.french.id]);
    await changedWithin(a, before, 1_000);
  });

  it('never caches an answer that depends on a token, nor serves a cached one to a token', async () => {
    const anonymous = await post(a, SEARCH, { first: 10 });
    expect((await post(a, SEARCH, { first: 10 })).cache).toBe('hit');
    // Alice edits alpha's catalogue: she also sees its draft, the public does not.
    for (let i = 0; i < 2; i++) {
      const hers = await post(a, SEARCH, { first: 10 }, editor);
      expect(hers.cache).toBeNull();
      expect(hers.body.errors).toBeUndefined();
      expect(hers.text).toContain(encodeGlobalID('Offer', catalogue.offers.draft.id));
      expect(hers.text).not.toBe(anonymous.text);
    }
    const again = await post(a, SEARCH, { first: 10 });
    expect(again.cache).toBe('hit');
    expect(again.text).toBe(anonymous.text);
    expect(again.text).not.toContain(encodeGlobalID('Offer', catalogue.offers.draft.id));
  });

  it('serves the HSDS API from the cache too, with an ETag that answers 304 until the catalogue changes', async () => {
    const get = (etag?: string) =>
      fetch(`${a.url}/hsds/services?per_page=10`, { headers: etag ? { 'if-none-match': etag } : {} });
    const first = await get();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const body = await first.text();
    const second = await get();
    expect([second.headers.get('x-maillage-cache'), second.headers.get('etag'), await second.text()]).toEqual(
      ['hit', etag, body],
    );
    const unchanged = await get(etag);
    expect([unchanged.status, await unchanged.text(), unchanged.headers.get('etag')]).toEqual([
      304,
      '',
      etag,
    ]);
    expect((await get(`W/${etag}`)).status).toBe(304);

    await db.pool.query(
      `update "Offer" set title = title || '{"fr": "Cours de français (rentrée)"}' where id = $1`,
      [catalogue.offers.french.id],
    );
    const started = performance.now();
    for (;;) {
      const now = await get(etag);
      if (now.status === 200) {
        expect(now.headers.get('etag')).not.toBe(etag);
        expect(await now.text()).toContain('Cours de français (rentrée)');
        break;
      }
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it('counts a search that found nothing as unmet demand on every answer, cached or not', async () => {
    const query = `query Missing($themes: [String!]) {
      offers(first: 5, filter: { themes: $themes, communes: ["Vianden"] }) { edges { node { id } } }
    }`;
    const vianden = () =>
      db.prisma.demandMiss.findMany({
        where: { commune: 'Vianden', source: 'SEARCH' },
        select: { count: true },
      });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await post(a, query, { themes: ['health'] }));
    expect(answers.map((x) => [x.cache, JSON.stringify(x.body)])).toEqual([
      ['miss', '{"data":{"offers":{"edges":[]}}}'],
      ['hit', '{"data":{"offers":{"edges":[]}}}'],
      ['hit', '{"data":{"offers":{"edges":[]}}}'],
    ]);
    // The count is written beside the answer: wait for the third.
    let rows = await vianden();
    for (let i = 0; (rows[0]?.count ?? 0) < 3 && i < 500; i++) {
      await new Promise((r) => setTimeout(r, 10));
      rows = await vianden();
    }
    expect(rows).toEqual([{ count: 3 }]);
  });

  it('never caches anonymous reads of anything but the catalogue, nor answers with errors', async () => {
    for (const query of [
      '{ viewer { id } }',
      '{ guides(first: 1) { totalCount } }',
      '{ organisations(first: 5) { edges { node { name guides(first: 1) { totalCount } } } } }',
      `{ node(id: "${encodeGlobalID('Referral', catalogue.offers.shelter.id)}") { id } }`,
      '{ offers(first: 1000) { totalCount } }',
    ]) {
      for (let i = 0; i < 2; i++) expect([query, (await post(a, query)).cache]).toEqual([query, null]);
    }
    const node = `{ node(id: "${encodeGlobalID('Offer', catalogue.offers.shelter.id)}") { id ... on Offer { status } } }`;
    expect((await post(a, node)).cache).toBe('miss');
    expect((await post(a, node)).cache).toBe('hit');
  });

  it('never caches a read reaching a non-catalogue type from a catalogue one, in a fragment too', async () => {
    const offers = (organisation: string) => `query Spread {
      offers(first: 5) { edges { node { ...OfferCard } } }
    }
    fragment OfferCard on Offer { title { text } organisation { ...Publisher } }
    fragment Publisher on Organisation { ${organisation} }`;
    // Anonymous callers may select an organisation's guides (published ones): a 200 without
    // errors, the same for everyone, yet not refreshed by any catalogue change.
    const guides = await post(a, offers('name guides(first: 5) { totalCount edges { node { slug } } }'));
    expect([guides.status, guides.body.errors]).toEqual([200, undefined]);
    for (const query of [
      offers('name guides(first: 5) { totalCount edges { node { slug } } }'),
      `{ organisation(slug: "alpha") { name ... on Organisation { guides(first: 1) { totalCount } } } }`,
    ]) {
      for (let i = 0; i < 2; i++) expect([query, (await post(a, query)).cache]).toEqual([query, null]);
    }
    const catalogueOnly = offers('name slug');
    expect((await post(a, catalogueOnly)).cache).toBe('miss');
    expect((await post(a, catalogueOnly)).cache).toBe('hit');
  });
});

describe('the allow-list of cached reads', () => {
  const cached = (query: string, variables: Record<string, unknown> = {}, on: GraphQLSchema = schema) => {
    const document = parse(query);
    return isPublicCatalogueRead(getOperationAST(document)!, document, variables, on);
  };
  const offerId = encodeGlobalID('Offer', '0b6f3c55-1f43-4f5e-9d4e-1b0c2a6f7d10');

  it('names only fields the schema has', () => {
    for (const [typeName, fields] of Object.entries(CATALOGUE_FIELDS)) {
      const type = schema.getType(typeName);
      expect([typeName, isObjectType(type)]).toEqual([typeName, true]);
      const known = Object.keys(isObjectType(type) ? type.getFields() : {});
      expect([typeName, fields.filter((f) => !known.includes(f))]).toEqual([typeName, []]);
    }
  });

  it('is derived from the schema: catalogue entities, their value types, nothing else', () => {
    const policy = cataloguePolicy(schema);
    expect(cataloguePolicy(schema)).toBe(policy);
    for (const type of ['Offer', 'Organisation', 'Site', 'Theme', 'QueryOffersConnectionEdge', 'PageInfo']) {
      expect([type, policy.has(type)]).toEqual([type, true]);
    }
    for (const type of ['LocalizedText', 'ScheduleEntry', 'Capacity', 'OpeningHours', 'Translation']) {
      expect([type, policy.has(type)]).toEqual([type, true]);
    }
    for (const type of ['Guide', 'Referral', 'Membership', 'EventEdition', 'OrganisationGuidesConnection']) {
      expect([type, policy.has(type)]).toEqual([type, false]);
    }
    expect([...policy.get('Organisation')!]).toEqual(expect.arrayContaining(['name', 'offers', 'sites']));
    for (const field of ['guides', 'members', 'referrals', 'catalogueChanges', 'webhooks']) {
      expect([field, policy.get('Organisation')!.has(field)]).toEqual([field, false]);
    }
  });

  it('caches catalogue documents, with fragments, aliases and catalogue nodes', () => {
    for (const query of [
      '{ themes { code label { text } children { code } } }',
      '{ offers(first: 2) { totalCount pageInfo { hasNextPage } edges { cursor node { id title { text } } } } }',
      'query Q { o: organisation(slug: "alpha") { ...Org } } fragment Org on Organisation { name sites(first: 2) { edges { node { ...S } } } } fragment S on Site { commune openingHours { weekday } }',
      '{ sites(first: 1) { edges { node { organisation { offers(first: 1) { edges { node { schedule { byday } } } } } } } } }',
      `{ node(id: "${offerId}") { id __typename ... on Offer { status capacity { free } } } }`,
    ]) {
      expect([query, cached(query)]).toEqual([query, true]);
    }
    expect(cached('query N($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [offerId, offerId] })).toBe(
      true,
    );
  });

  it('does not cache anything else', () => {
    for (const query of [
      '{ viewer { id } }',
      '{ __schema { types { name } } }',
      'mutation { __typename }',
      '{ organisation(slug: "alpha") { members(first: 1) { totalCount } } }',
      '{ organisation(slug: "alpha") { guides(first: 1) { edges { node { slug } } } } }',
      '{ offers(first: 1) { edges { node { changes(first: 1) { pageInfo { hasNextPage } } } } } }',
      'query Q { offers(first: 1) { edges { node { ...O } } } } fragment O on Offer { organisation { ...G } } fragment G on Organisation { auditLog(first: 1) { totalCount } }',
      `{ node(id: "${offerId}") { ... on Guide { slug } } }`,
      `{ node(id: "${encodeGlobalID('Guide', 'x')}") { id } }`,
    ]) {
      expect([query, cached(query)]).toEqual([query, false]);
    }
  });

  it('does not cache a field added later to a catalogue type, whatever it returns', () => {
    // What a deny-list would have missed: new fields that read referrals or events.
    const grown = extendSchema(
      schema,
      parse('extend type Organisation { referralCount: Int nextEdition: EventEdition }'),
    );
    expect(cached('{ organisation(slug: "alpha") { name } }', {}, grown)).toBe(true);
    expect(cached('{ organisation(slug: "alpha") { referralCount } }', {}, grown)).toBe(false);
    expect(cached('{ organisation(slug: "alpha") { nextEdition { id } } }', {}, grown)).toBe(false);
  });
});
