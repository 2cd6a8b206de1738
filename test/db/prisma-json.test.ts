/**
 * `findUniqueSql` (prisma-json.ts), which GraphQL's node lookups and relation loads go through (and
 * `findManyByIdSql`, which the actors' organisations are read with),
 * against Prisma's own `findUnique` on the demo data: the same row, field by field (Dates, scalar
 * lists, JSON, relations and their order), for the shapes Pothos asks for and the visibility
 * rule's `where`; what it cannot compile is left to Prisma (undefined), and a lookup over HTTP
 * costs one statement.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { OfferDetailDocument } from '../../clients/generated/graphql.ts';
import type { UserViewer } from '../../src/modules/accounts/viewer.ts';
import { visibleOffersWhere } from '../../src/modules/catalogue/catalogue.access.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { compiledReads, findManyByIdSql, findUniqueSql, whereSql } from '../../src/shared/db/prisma-json.ts';
import { PLANS_CACHE } from '../../src/shared/db/lookup-plans.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let db: Database;
let member: UserViewer;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 4, logger: createLogger('silent') });
  await seedDemo(db.prisma);
  const user = await db.prisma.user.findUniqueOrThrow({
    where: { email: 'sophie.weber@inter-actions.example' },
    include: { memberships: true },
  });
  member = {
    kind: 'user',
    userId: user.id,
    email: user.email,
    roles: new Map(user.memberships.map((m) => [m.organisationId, new Set(m.roles)])),
    hubAdmin: false,
  };
}, 180_000);

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

/** Shapes Pothos computes for offers: a node lookup, a partner's card, the whole row. */
const OFFER_SHAPES = {
  'include organisation and sites': { include: { organisation: true, sites: { orderBy: { name: 'asc' } } } },
  'select columns and relations': {
    select: {
      id: true,
      title: true,
      audiences: true,
      publishedAt: true,
      organisation: { select: { name: true, slug: true } },
      sites: { select: { name: true, commune: true }, orderBy: { name: 'asc' } },
      themes: { orderBy: { code: 'asc' } },
    },
  },
  'the row alone': {},
} as const;

describe('findUniqueSql against Prisma', () => {
  it('reads every demo offer as Prisma does, in every shape, with the visibility rule', async () => {
    const offers = await db.prisma.offer.findMany({ select: { id: true, status: true } });
    expect(offers.length).toBeGreaterThan(10);
    expect(new Set(offers.map((o) => o.status)).size).toBeGreaterThan(1);
    let seen = 0;
    for (const { id } of offers) {
      for (const [name, shape] of Object.entries(OFFER_SHAPES)) {
        for (const viewer of [null, member]) {
          const args = { ...shape, where: { id, AND: [visibleOffersWhere(viewer)] } };
          const compiled = await findUniqueSql(db.sql, 'Offer', args);
          const prisma = await db.prisma.offer.findUnique(args);
          expect({ name, id, row: compiled }).toStrictEqual({ name, id, row: prisma });
          if (prisma) seen++;
        }
      }
    }
    // Drafts are hidden from the anonymous caller, not from their organisation's editor.
    expect(seen).toBeGreaterThan(offers.length * 3);
    expect(seen).toBeLessThan(offers.length * 6);
  });

  it('reads organisations by slug, sites with their organisation, users with memberships', async () => {
    for (const { slug } of await db.prisma.organisation.findMany({ select: { slug: true } })) {
      const args = { where: { slug }, include: { sites: { orderBy: { name: 'asc' as const } } } };
      expect(await findUniqueSql(db.sql, 'Organisation', args)).toStrictEqual(
        await db.prisma.organisation.findUnique(args),
      );
    }
    for (const { id } of await db.prisma.site.findMany({ select: { id: true } })) {
      const args = { where: { id }, include: { organisation: true } };
      expect(await findUniqueSql(db.sql, 'Site', args)).toStrictEqual(await db.prisma.site.findUnique(args));
    }
    for (const { email } of await db.prisma.user.findMany({ select: { email: true } })) {
      const args = { where: { email }, include: { memberships: true } };
      expect(await findUniqueSql(db.sql, 'User', args)).toStrictEqual(await db.prisma.user.findUnique(args));
    }
  });

  it('gives null for a row that is not there, as Prisma does', async () => {
    const args = { where: { id: '00000000-0000-7000-8000-000000000000' }, include: { organisation: true } };
    expect(await findUniqueSql(db.sql, 'Offer', args)).toBeNull();
    expect(await db.prisma.offer.findUnique(args)).toBeNull();
  });

  it('leaves to Prisma what it does not compile, and reads nothing then', async () => {
    const id = '00000000-0000-7000-8000-000000000000';
    for (const where of [
      { id, organisation: { slug: 'x' } }, // a relation filter
      { id, updatedAt: { gt: new Date() } }, // a date
      { id, status: { not: 'DRAFT' } }, // `not` a value: Prisma's NULL semantics
      { id, audiences: { has: 'ADULTS' } }, // a scalar list
      { id, hsdsId: { contains: 'x', mode: 'insensitive' } }, // a text mode
      { id, OR: { status: 'DRAFT' } }, // OR must be a list
    ]) {
      expect(whereSql('Offer', 'o', where)).toBeNull();
      expect(await findUniqueSql(db.sql, 'Offer', { where })).toBeUndefined();
    }
    expect(
      await findUniqueSql(db.sql, 'Offer', { where: { id }, include: { _count: true } }),
    ).toBeUndefined();
  });
});

describe('findManyByIdSql against Prisma', () => {
  it('reads whole rows by id as findMany does: every model the hub reads this way, a missing id, repeats', async () => {
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    const organisations = await db.prisma.organisation.findMany({ select: { id: true } });
    expect(organisations.length).toBeGreaterThan(3);
    const missing = '00000000-0000-7000-8000-000000000000';
    const ids = [...organisations.map((o) => o.id), missing, organisations[0]!.id];
    const compiled = await findManyByIdSql<{ id: string }>(db.sql, 'Organisation', ids);
    expect(byId(compiled)).toStrictEqual(
      byId(await db.prisma.organisation.findMany({ where: { id: { in: ids } } })),
    );
    expect(compiled).toHaveLength(organisations.length);
    await expect(findManyByIdSql(db.sql, 'Organisation', [])).resolves.toEqual([]);
  });
});

describe('compiledReads', () => {
  it('reads the lookups of one tick that differ only by id in one statement, as Prisma batches them', async () => {
    const statements: string[] = [];
    const client = compiledReads(db.prisma, async (statement) => {
      statements.push(statement.text);
      return db.sql(statement);
    });
    const offers = await db.prisma.offer.findMany({ select: { id: true } });
    const args = (id: string) => ({
      where: { id, AND: [visibleOffersWhere(null)] },
      include: { organisation: true, sites: { orderBy: { name: 'asc' as const } } },
    });
    // Each id twice: two rows of a list pointing at the same offer.
    const ids = [...offers, ...offers].map((o) => o.id);
    const batched = await Promise.all(ids.map((id) => client.offer.findUnique(args(id))));
    expect(statements).toHaveLength(1);
    expect(batched).toStrictEqual(await Promise.all(ids.map((id) => db.prisma.offer.findUnique(args(id)))));
    expect(batched.filter((o) => o === null).length).toBeGreaterThan(0); // drafts, hidden
    expect(batched[0]).not.toBe(batched[offers.length]);

    // What does not compile goes to Prisma, whose answer (and error) it is.
    statements.length = 0;
    const id = offers[0]!.id;
    expect(
      await client.offer.findUnique({ where: { id }, include: { _count: { select: { sites: true } } } }),
    ).toStrictEqual(
      await db.prisma.offer.findUnique({ where: { id }, include: { _count: { select: { sites: true } } } }),
    );
    expect(statements).toHaveLength(0);
    await expect(
      client.offer.findUniqueOrThrow({ where: { id: '00000000-0000-7000-8000-000000000000' } }),
    ).rejects.toMatchObject({ code: 'P2025' });
    // Every other method and property is Prisma's own.
    expect(await client.offer.count()).toBe(offers.length);
    expect(await client.site.findMany({ orderBy: { id: 'asc' } })).toStrictEqual(
      await db.prisma.site.findMany({ orderBy: { id: 'asc' } }),
    );
    expect(Object.is(Reflect.get(client, '$queryRaw'), Reflect.get(db.prisma, '$queryRaw'))).toBe(true);
  });
});

describe('a node lookup over HTTP', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads an offer with its organisation, sites and themes in one statement', async () => {
    const org = await t.db.prisma.organisation.create({ data: { slug: 'gamma', name: 'Gamma' } });
    const sites = await Promise.all(
      ['Esch', 'Belval'].map((name) =>
        t.db.prisma.site.create({ data: { organisationId: org.id, name, commune: 'Esch-sur-Alzette' } }),
      ),
    );
    const offer = await t.db.prisma.offer.create({
      data: {
        organisationId: org.id,
        title: { fr: 'Cours de français' },
        status: 'PUBLISHED',
        sites: { connect: sites.map((s) => ({ id: s.id })) },
      },
    });
    const id = Buffer.from(`Offer:${offer.id}`).toString('base64');
    t.resetQueries();
    const res = await t.send(OfferDetailDocument, { id });
    expect(res.status).toBe(200);
    expect(res.body.data?.node).toMatchObject({
      title: { text: 'Cours de français' },
      organisation: { name: 'Gamma' },
      sites: [{ name: 'Belval' }, { name: 'Esch' }],
    });
    expect(t.queries.filter((q) => /\bselect\b/i.test(q))).toHaveLength(1);
  });
});

/** A lookup's answer (under `found`) and the SELECT statements it sent. */
async function lookup(t: TestHub, query: string, variables: Record<string, unknown>, token?: string) {
  t.resetQueries();
  const res = await t.send<{ found: unknown }, Record<string, unknown>>(parse(query), variables, { token });
  expect(res.body.errors).toBeUndefined();
  return {
    data: res.body.data!,
    found: res.body.data!.found,
    selects: t.queries.filter((q) => /\bselect\b/i.test(q)),
  };
}

describe('a node lookup over HTTP reads only the columns its selection shows', () => {
  let t: TestHub;
  const id = { offer: '' };
  beforeAll(async () => {
    t = await startTestHub();
    const org = await t.db.prisma.organisation.create({
      data: { slug: 'delta', name: 'Delta', legalForm: 'asbl', description: { fr: 'Association' } },
    });
    const site = await t.db.prisma.site.create({
      data: { organisationId: org.id, name: 'Gare', commune: 'Luxembourg', street: '1, rue de la Gare' },
    });
    const offer = await t.db.prisma.offer.create({
      data: {
        organisationId: org.id,
        title: { fr: 'Café des langues' },
        description: { fr: 'Parler ensemble' },
        contactEmail: 'cafe@delta.example',
        status: 'PUBLISHED',
        sites: { connect: [{ id: site.id }] },
      },
    });
    id.offer = Buffer.from(`Offer:${offer.id}`).toString('base64');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('names the columns of the offer, its organisation and its sites that the query shows, and no other', async () => {
    for (const field of ['node(id: $id)', 'nodes(ids: [$id])']) {
      const { data, selects } = await lookup(
        t,
        `query ($id: ID!) { found: ${field} { ... on Offer { id title { text } organisation { name }
          sites { commune } } ... on Site { street } } }`,
        { id: id.offer },
      );
      const found = [data.found].flat()[0];
      expect(found).toMatchObject({
        title: { text: 'Café des langues' },
        organisation: { name: 'Delta' },
        sites: [{ commune: 'Luxembourg' }],
      });
      expect(selects).toHaveLength(1);
      for (const shown of ["'title'", "'name'", "'commune'"]) expect(selects[0]).toContain(shown);
      for (const hidden of ["'description'", "'contactEmail'", "'legalForm'", "'street'", "'schedule'"]) {
        expect(selects[0]).not.toContain(hidden);
      }
    }
  });
});

describe("lookups and pages keep Pothos' plan per document field unless the plan read the request", () => {
  let t: TestHub;
  let s: Scenario;
  const offers: string[] = [];
  /** Reads that had to plan (misses of the kept plans), as the hub's metrics count them. */
  const planned = async () => {
    const text = await (await fetch(`${t.hub.url}/metrics`)).text();
    const misses = new RegExp(`^maillage_cache_misses_total\\{cache="${PLANS_CACHE}"\\} (\\d+)$`, 'm').exec(
      text,
    );
    return Number(misses?.[1] ?? 0);
  };
  beforeAll(async () => {
    t = await startTestHub();
    s = await seedScenario(t.db.prisma, t.config);
    const site = await t.db.prisma.site.create({
      data: { organisationId: s.org.alpha.id, name: 'Hall', commune: 'Differdange' },
    });
    for (const [title, status] of [
      ['Atelier vélo', 'PUBLISHED'],
      ['Permanence juridique', 'PUBLISHED'],
      ['Brouillon', 'DRAFT'],
    ] as const) {
      const offer = await t.db.prisma.offer.create({
        data: {
          organisationId: s.org.alpha.id,
          title: { fr: title },
          status,
          sites: { connect: [{ id: site.id }] },
        },
      });
      offers.push(Buffer.from(`Offer:${offer.id}`).toString('base64'));
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const ask = (query: string, variables: Record<string, unknown>, token?: string) =>
    lookup(t, query, variables, token);

  it('plans a repeated lookup once, and answers each id from one statement naming the same columns', async () => {
    const query = `query ($id: ID!) { found: node(id: $id) { ... on Offer { title { text } organisation { name }
      sites { commune } } } }`;
    const first = await ask(query, { id: offers[0] });
    const before = await planned();
    const second = await ask(query, { id: offers[1] });
    expect(await planned()).toBe(before);
    expect(first.found).toMatchObject({
      title: { text: 'Atelier vélo' },
      organisation: { name: 'Organisation alpha' },
    });
    expect(second.found).toMatchObject({
      title: { text: 'Permanence juridique' },
      organisation: { name: 'Organisation alpha' },
      sites: [{ commune: 'Differdange' }],
    });
    // The relations answer from the kept plan's mappings: no statement of their own.
    expect(second.selects).toHaveLength(1);
    expect(second.selects[0]!.replace(/\$\d+/g, '?')).toBe(first.selects[0]!.replace(/\$\d+/g, '?'));
  });

  it('keeps one plan per value of the variables the selection names', async () => {
    const query = `query ($id: ID!, $sites: Boolean!) { found: node(id: $id) { ... on Offer { title { text }
      sites @include(if: $sites) { commune } } } }`;
    const without = await ask(query, { id: offers[0], sites: false });
    const withSites = await ask(query, { id: offers[1], sites: true });
    expect(without.found).toEqual({ title: { text: 'Atelier vélo' } });
    expect(withSites.found).toEqual({
      title: { text: 'Permanence juridique' },
      sites: [{ commune: 'Differdange' }],
    });
    const before = await planned();
    expect((await ask(query, { id: offers[1], sites: false })).found).toEqual({
      title: { text: 'Permanence juridique' },
    });
    expect((await ask(query, { id: offers[0], sites: true })).found).toMatchObject({
      sites: [{ commune: 'Differdange' }],
    });
    expect(await planned()).toBe(before);
  });

  it("plans every time when a relation's query reads the viewer, so no one gets another's answer", async () => {
    const query = `query ($id: ID!) { found: node(id: $id) { ... on Organisation { name
      offers(first: 10) { edges { node { title { text } } } } } } }`;
    const titles = (found: unknown) =>
      (found as { offers: { edges: { node: { title: { text: string } } }[] } }).offers.edges
        .map((e) => e.node.title.text)
        .sort();
    const before = await planned();
    const anonymous = await ask(query, { id: s.org.alpha.globalId });
    const member = await ask(query, { id: s.org.alpha.globalId }, await s.token('alice'));
    // An outsider with a token: the public cache, which answers repeated anonymous reads, stays out.
    const again = await ask(query, { id: s.org.alpha.globalId }, await s.token('bob'));
    expect(titles(anonymous.found)).toStrictEqual(['Atelier vélo', 'Permanence juridique']);
    expect(titles(member.found)).toStrictEqual(['Atelier vélo', 'Brouillon', 'Permanence juridique']);
    expect(titles(again.found)).toStrictEqual(['Atelier vélo', 'Permanence juridique']);
    expect(await planned()).toBe(before + 3);
  });

  it('keeps no time in a kept plan: an invitation that expires after the first ask is no longer pending', async () => {
    const query = `query ($id: ID!) { found: node(id: $id) { ... on Organisation {
      invitations(status: PENDING) { totalCount edges { node { email status } } } } } }`;
    type Invitations = { invitations: { totalCount: number; edges: { node: { email: string } }[] } };
    const invitation = await t.db.prisma.invitation.create({
      data: {
        organisationId: s.org.alpha.id,
        email: 'eve@example.org',
        roles: ['CASE_WORKER'],
        codeHash: 'e'.repeat(64),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const admin = await s.token('alice');
    const first = await ask(query, { id: s.org.alpha.globalId }, admin);
    expect((first.found as Invitations).invitations).toEqual({
      totalCount: 1,
      edges: [{ node: { email: 'eve@example.org', status: 'PENDING' } }],
    });
    // It expires after the first answer: a plan that kept that answer's time would still list it.
    await t.db.prisma.invitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date() } });
    const second = await ask(query, { id: s.org.alpha.globalId }, admin);
    expect((second.found as Invitations).invitations).toEqual({ totalCount: 0, edges: [] });
  });

  it("keeps the plan of a page's offers, whose relations still answer from the page's one statement", async () => {
    const query = `query ($org: ID!) { found: offers(filter: { organisation: $org, statuses: [PUBLISHED, DRAFT] }, first: 10) {
      e: edges { n: node { t: title { text } org: organisation { name } sites { commune } } } } }`;
    type Page = { e: { n: { t: { text: string }; org: { name: string }; sites: { commune: string }[] } }[] };
    const titles = (found: unknown) => (found as Page).e.map((edge) => edge.n.t.text).sort();
    const member = await ask(query, { org: s.org.alpha.globalId }, await s.token('alice'));
    const before = await planned();
    const outsider = await ask(query, { org: s.org.alpha.globalId }, await s.token('bob'));
    expect(await planned()).toBe(before);
    // The kept plan is the selection's; which offers a person sees is still their own.
    expect(titles(member.found)).toStrictEqual(['Atelier vélo', 'Brouillon', 'Permanence juridique']);
    expect(titles(outsider.found)).toStrictEqual(['Atelier vélo', 'Permanence juridique']);
    for (const edge of (outsider.found as Page).e) {
      expect(edge.n).toMatchObject({
        org: { name: 'Organisation alpha' },
        sites: [{ commune: 'Differdange' }],
      });
    }
    // Besides the token's checks, one statement: no relation loaded on its own.
    const reads = (selects: string[]) => selects.filter((q) => !/"(SigningKey|User)"/.test(q));
    expect(reads(outsider.selects)).toHaveLength(1);
    expect(reads(outsider.selects)).toStrictEqual(reads(member.selects));
  });
});
