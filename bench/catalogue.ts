/**
 * Catalogue search under load (`npm run bench:catalogue`): the public `offers` query (text, top
 * theme, commune; first 20 with totalCount, organisation, sites, themes) against the hub as a
 * separate production process, beside ONE hand-written SQL statement returning the same page through
 * `pg`. The ratio of the two says what the GraphQL layer (Apollo, Pothos, Prisma) costs on top of
 * the database work it cannot avoid.
 *
 *  1. data: a PostgreSQL database `maillage_bench_test` (127.0.0.1:5432), migrated with the project's
 *     own command, filled with set-based SQL (generate_series, INSERT … SELECT): organisations,
 *     sites, a theme tree, offers with French/German/English texts of social services, so that text
 *     search is as selective as on a real catalogue. `--reuse` keeps an existing one.
 *  2. the hub as `npm start` runs it (NODE_ENV=production, LOG_LEVEL=warn), loaded at 20
 *     concurrent keep-alive connections for `--duration` seconds after a warm-up;
 *  3. the raw statement through a pg.Pool of 20, same parameters, same duration;
 *  4. figures, goals, SQL statements per GraphQL request (counted by a small PostgreSQL wire
 *     protocol proxy in front of a second, short-lived hub) and EXPLAIN (ANALYZE, BUFFERS) of the
 *     hub's search statement.
 *
 * Flags: --offers N --organisations N --sites N (data size), --duration S, --warmup S, --reuse,
 * --smoke (tiny data and 2 s of load in a throw-away database, for the test suite), --embedded (the
 * database on the embedded default's server in a temporary folder instead of the machine's), --profile DIR (the loaded hub runs with its inspector open; CPU and
 * allocation profiles of the search and of each read go to DIR, their breakdown is printed; CPU
 * figures are then not comparable with an ordinary run). Prints figures
 * and asserts none; exits non-zero only when something failed (the hub, a query, a request).
 *
 * The database, the hub process, the load loop, CPU per request and the statement-counting proxy
 * are shared with bench/referrals.ts (bench/lib.ts).
 */
import type pg from 'pg';
import { dataStats, generate, type DataStats } from './catalogue-data.ts';
import {
  agent,
  COLD_HUB_WARMUP_S,
  cpuBreakdown,
  heapBreakdown,
  inspectHub,
  inspectOptions,
  profiled,
  profileLines,
  benchDatabase,
  embeddedServer,
  figures,
  load,
  measureCpu,
  onInterrupt,
  oneLine,
  out,
  percentile,
  postGraphQL,
  RAW_APP,
  rawSqlPool,
  readFlags,
  spread,
  startHub,
  stopHub,
  withFloor,
  FLOOR_APP,
  throughput,
  withCountingHub,
  type CpuUse,
  type LoadResult,
  type Statement,
} from './lib.ts';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const flags = readFlags();
const smoke = flags.has('--smoke');
const reuse = flags.has('--reuse');
const numberFlag = flags.number;

const size = {
  organisations: Math.round(numberFlag('--organisations', smoke ? 50 : 1_000)),
  sites: Math.round(numberFlag('--sites', smoke ? 100 : 5_000)),
  offers: Math.round(numberFlag('--offers', smoke ? 500 : 20_000)),
};
const durationS = numberFlag('--duration', smoke ? 2 : 20);
/** `--profile DIR`: where the CPU profiles of the loaded hub go (search, then each read). */
const profileDir = flags.has('--profile') ? flags.word('--profile', '') : null;
if (profileDir === '') throw new Error('--profile needs a folder');
const warmupS = numberFlag('--warmup', smoke ? 1 : 3);
/** Concurrent requests, for both sides; also the size of the raw SQL pool. */
const CONCURRENCY = 20;
const PAGE = 20;
/**
 * The smoke run gets a database of its own, dropped at the end: the test suite must neither wipe
 * a full-size bench database someone keeps for `--reuse`, nor collide with a parallel test run.
 */
const DB_NAME = smoke ? `maillage_bench_test_smoke_${process.pid}` : 'maillage_bench_test';
const db = benchDatabase(DB_NAME, flags.has('--embedded') ? await embeddedServer() : undefined);
const DB_URL = db.url;

/** Search texts users type, each with the top theme it is naturally combined with. */
const SEARCHES: { text: string; theme: string }[] = [
  // First: the one checked and EXPLAINed (with the first commune, Luxembourg).
  { text: 'cours de français', theme: 'language' },
  { text: 'logement', theme: 'housing' },
  { text: 'Wohnung', theme: 'housing' },
  { text: 'Deutschkurs', theme: 'language' },
  { text: 'dettes', theme: 'debt' },
  { text: 'Beratung', theme: 'debt' },
  { text: 'emploi', theme: 'employment' },
  { text: 'santé mentale', theme: 'health' },
  { text: 'jeunes', theme: 'youth' },
  { text: 'familles', theme: 'family' },
  { text: 'aide alimentaire', theme: 'food' },
  { text: 'violence domestique', theme: 'violence' },
];
const SEARCH_COMMUNES = [
  'Luxembourg',
  'Esch-sur-Alzette',
  'Differdange',
  'Dudelange',
  'Ettelbruck',
  'Diekirch',
];

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

/** The smoke run's database is thrown away at the end, and on SIGINT/SIGTERM. */
const dropSmokeDatabase = () => db.drop();
onInterrupt(() => (smoke ? dropSmokeDatabase() : Promise.resolve()));
const withClient = <T>(fn: (client: pg.Client) => Promise<T>) => db.withClient(fn);

// ---------------------------------------------------------------------------------------------
// The statements: the hub's own search (copied from offer-search.service.ts) and the raw one.
// ---------------------------------------------------------------------------------------------

interface Search {
  text: string;
  theme: string;
  commune: string;
}

const TSQUERY = (n: number) =>
  `(websearch_to_tsquery('maillage_fr', $${n}) || websearch_to_tsquery('maillage_de', $${n}) || websearch_to_tsquery('maillage_simple', $${n}))`;

/**
 * The WHERE of the hub for an anonymous caller and { text, themes: [theme], communes: [commune] }:
 * $1 text, $2 theme codes (matched against the trigger-kept "themePath", ancestors included),
 * $3 communes (matched against the trigger-kept "communes" of sites and service area).
 */
const HUB_WHERE = `o.status = 'PUBLISHED' AND o.search @@ ${TSQUERY(1)} AND o."themePath" && $2::text[] AND o.communes && $3::text[]`;

/**
 * The hub's page-and-total statement (order RELEVANCE with text), as offer-search.service.ts writes
 * it: EXPLAIN uses the statement recorded from the hub itself, and this copy only if none was found.
 */
const HUB_SEARCH_SQL = `SELECT o.id, count(*) OVER ()::int AS total FROM "Offer" o WHERE ${HUB_WHERE}
      ORDER BY ts_rank_cd(o.search, ${TSQUERY(1)}) DESC, o."updatedAt" DESC, o.id LIMIT ${PAGE} OFFSET 0`;
const HUB_COUNT_SQL = `SELECT count(*)::int AS n FROM "Offer" o WHERE ${HUB_WHERE}`;
const hubValues = (s: Search) => [s.text, [s.theme], [s.commune]];

/**
 * What the GraphQL query returns, in one statement: the matches once (a CTE read twice, so
 * materialised), their count, and the page with organisation, sites and themes as JSON. The title
 * follows the hub's fallback chain for a caller without Accept-Language (fr, de, en, lb).
 */
const RAW_SQL = `WITH matches AS (
  SELECT o.id, o.title, o."organisationId", o."updatedAt", ts_rank_cd(o.search, ${TSQUERY(1)}) AS rank
  FROM "Offer" o WHERE ${HUB_WHERE}
), page AS (
  SELECT * FROM matches ORDER BY rank DESC, "updatedAt" DESC, id LIMIT ${PAGE}
)
SELECT (SELECT count(*)::int FROM matches) AS "totalCount",
  coalesce((SELECT json_agg(json_build_object(
    'id', p.id,
    'title', coalesce(nullif(btrim(p.title->>'fr'), ''), nullif(btrim(p.title->>'de'), ''),
                      nullif(btrim(p.title->>'en'), ''), nullif(btrim(p.title->>'lb'), ''), ''),
    'organisation', (SELECT json_build_object('name', g.name, 'slug', g.slug) FROM "Organisation" g
                     WHERE g.id = p."organisationId"),
    'sites', (SELECT coalesce(json_agg(json_build_object('name', s.name, 'commune', s.commune) ORDER BY s.name), '[]')
              FROM "_OfferToSite" os JOIN "Site" s ON s.id = os."B" WHERE os."A" = p.id),
    'themes', (SELECT coalesce(json_agg(json_build_object('code', t.code) ORDER BY t.code), '[]')
               FROM "_OfferToTheme" ot JOIN "Theme" t ON t.id = ot."B" WHERE ot."A" = p.id)
  ) ORDER BY p.rank DESC, p."updatedAt" DESC, p.id) FROM page p), '[]') AS nodes`;

interface PageNode {
  id: string;
  title: string;
  organisation: { name: string; slug: string };
  sites: { name: string; commune: string }[];
  themes: { code: string }[];
}
interface Page {
  totalCount: number;
  nodes: PageNode[];
}

async function rawSearch(db: pg.Pool | pg.Client, s: Search): Promise<Page> {
  const { rows } = await db.query<Page>(RAW_SQL, hubValues(s));
  const page = rows[0];
  if (!page || !Array.isArray(page.nodes)) throw new Error('raw SQL returned no page');
  return page;
}

interface Candidate {
  search: Search;
  /** Published offers it matches. */
  count: number;
  /** Whether the planner reads "Offer_search_idx" for the hub's statement (plain EXPLAIN). */
  usesSearchIndex: boolean;
}

/** (text, theme, commune) combinations that match at least one published offer. */
async function pickSearches(client: pg.Client): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const commune of SEARCH_COMMUNES) {
    for (const { text, theme } of SEARCHES) {
      const search = { text, theme, commune };
      const { rows } = await client.query<{ n: number }>(HUB_COUNT_SQL, hubValues(search));
      const count = rows[0]?.n ?? 0;
      if (count === 0) continue;
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${HUB_SEARCH_SQL}`,
        hubValues(search),
      );
      const usesSearchIndex = plan.rows.some((r) => r['QUERY PLAN'].includes('Offer_search_idx'));
      found.push({ search, count, usesSearchIndex });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// GraphQL requests
// ---------------------------------------------------------------------------------------------

const QUERY = `query BenchOfferSearch($text: String!, $theme: String!, $commune: String!) {
  offers(filter: { text: $text, themes: [$theme], communes: [$commune] }, first: ${PAGE}) {
    totalCount
    edges { node { id title { text } organisation { name slug } sites { name commune } themes { code } } }
  }
}`;

interface GraphQLPage {
  data?: {
    offers?: {
      totalCount: number;
      edges: { node: Omit<PageNode, 'title'> & { title: { text: string } } }[];
    };
  };
  errors?: { message: string }[];
}

const requestBody = (s: Search) => Buffer.from(JSON.stringify({ query: QUERY, variables: s }));

/** Sends the search and returns its page; anything but a clean 200 with data is an error. */
async function graphqlSearch(base: URL, body: Buffer): Promise<Page> {
  const { status, text } = await postGraphQL(base, body);
  const result = JSON.parse(text) as GraphQLPage;
  const offers = result.data?.offers;
  if (status !== 200 || result.errors?.length || !offers) {
    throw new Error(`HTTP ${status}: ${result.errors?.[0]?.message ?? text.slice(0, 200)}`);
  }
  return {
    totalCount: offers.totalCount,
    nodes: offers.edges.map(({ node }) => ({
      // Relay global ids are base64 of "Offer:<uuid>".
      id: Buffer.from(node.id, 'base64')
        .toString('utf8')
        .replace(/^Offer:/, ''),
      title: node.title.text,
      organisation: node.organisation,
      sites: node.sites,
      themes: node.themes,
    })),
  };
}

/**
 * The statements of sequential GraphQL searches through the proxy, after a few to open the hub's
 * connections and warm its caches. `example` is the first measured request's, for searches[0].
 */
async function recordStatements(searches: Search[]): Promise<{ perRequest: number[]; example: Statement[] }> {
  return withCountingHub(
    DB_URL,
    async (base, counter) => {
      for (let i = 0; i < 3; i++) await graphqlSearch(base, requestBody(searches[i % searches.length]!));
      const perRequest: number[] = [];
      let example: Statement[] = [];
      for (let i = 0; i < 20; i++) {
        counter.record();
        await graphqlSearch(base, requestBody(searches[i % searches.length]!));
        const statements = counter.take();
        perRequest.push(statements.length);
        if (i === 0) example = statements;
      }
      return { perRequest, example };
      // What the search costs, not what the public cache saves (that is measured apart).
    },
    { PUBLIC_CACHE_MB: '0' },
  );
}

// ---------------------------------------------------------------------------------------------
// Reads by id and filtered pages (issue 15, item 4): what a partner site does between searches
// ---------------------------------------------------------------------------------------------

/** The title as the hub shows it to a caller without Accept-Language (fr, de, en, lb). */
const TITLE_SQL = (alias: string) =>
  `coalesce(nullif(btrim(${alias}.title->>'fr'), ''), nullif(btrim(${alias}.title->>'de'), ''), nullif(btrim(${alias}.title->>'en'), ''), nullif(btrim(${alias}.title->>'lb'), ''), '')`;

/** `node(id)` of a published offer with its organisation and sites, as ONE prepared statement. */
const RAW_LOOKUP: pg.QueryConfig = {
  name: 'bench-lookup',
  text: `SELECT json_build_object(
    'id', o.id, 'title', ${TITLE_SQL('o')},
    'organisation', (SELECT json_build_object('name', g.name, 'slug', g.slug) FROM "Organisation" g WHERE g.id = o."organisationId"),
    'sites', (SELECT coalesce(json_agg(json_build_object('name', s.name, 'commune', s.commune) ORDER BY s.name, s.id), '[]')
              FROM "_OfferToSite" os JOIN "Site" s ON s.id = os."B" WHERE os."A" = o.id)
  ) AS node FROM "Offer" o WHERE o.id = $1 AND o.status = 'PUBLISHED'`,
};

/** A page of one organisation's published offers, newest change first, as ONE prepared statement. */
const RAW_ORGANISATION_PAGE: pg.QueryConfig = {
  name: 'bench-organisation-page',
  text: `SELECT coalesce(json_agg(json_build_object('id', p.id, 'title', p.title) ORDER BY p."updatedAt" DESC, p.id), '[]') AS nodes
    FROM (SELECT o.id, ${TITLE_SQL('o')} AS title, o."updatedAt" FROM "Offer" o
          WHERE o.status = 'PUBLISHED' AND o."organisationId" = $1
          ORDER BY o."updatedAt" DESC, o.id LIMIT ${PAGE}) p`,
};

const LOOKUP_QUERY = `query BenchOfferNode($id: ID!) {
  node(id: $id) { ... on Offer { id title { text } organisation { name slug } sites { name commune } } }
}`;
const ORGANISATION_PAGE_QUERY = `query BenchOrganisationOffers($organisation: ID!) {
  offers(filter: { organisation: $organisation }, orderBy: UPDATED, first: ${PAGE}) { edges { node { id title { text } } } }
}`;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (id: string) => Buffer.from(id, 'base64').toString('utf8').replace(/^\w+:/, '');

interface LookupNode {
  id: string;
  title: string;
  organisation: { name: string; slug: string };
  sites: { name: string; commune: string }[];
}

/** What the two read scenarios ask for: published offers, and organisations with many of them. */
async function pickReads(client: pg.Client): Promise<{ offers: string[]; organisations: string[] }> {
  const offers = await client.query<{ id: string }>(
    `SELECT id FROM "Offer" WHERE status = 'PUBLISHED' ORDER BY md5(id::text) LIMIT 500`,
  );
  const organisations = await client.query<{ id: string }>(
    `SELECT "organisationId" AS id FROM "Offer" WHERE status = 'PUBLISHED'
      GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 50`,
  );
  return { offers: offers.rows.map((r) => r.id), organisations: organisations.rows.map((r) => r.id) };
}

function graphqlData<T>({ status, text }: { status: number; text: string }): T {
  const result = JSON.parse(text) as { data?: T; errors?: { message: string }[] };
  if (status !== 200 || result.errors?.length || !result.data) {
    throw new Error(`HTTP ${status}: ${result.errors?.[0]?.message ?? text.slice(0, 200)}`);
  }
  return result.data;
}

async function graphqlLookup(base: URL, body: Buffer): Promise<LookupNode> {
  const { node } = graphqlData<{ node: (Omit<LookupNode, 'title'> & { title: { text: string } }) | null }>(
    await postGraphQL(base, body),
  );
  if (!node) throw new Error('node(id) returned null');
  return { ...node, id: rawId(node.id), title: node.title.text };
}

async function rawLookup(db: pg.Pool, id: string): Promise<LookupNode> {
  const { rows } = await db.query<{ node: LookupNode }>({ ...RAW_LOOKUP, values: [id] });
  if (!rows[0]) throw new Error('raw lookup found nothing');
  return rows[0].node;
}

async function graphqlOrganisationPage(base: URL, body: Buffer): Promise<{ id: string; title: string }[]> {
  const { offers } = graphqlData<{ offers: { edges: { node: { id: string; title: { text: string } } }[] } }>(
    await postGraphQL(base, body),
  );
  return offers.edges.map(({ node }) => ({ id: rawId(node.id), title: node.title.text }));
}

async function rawOrganisationPage(
  db: pg.Pool,
  organisationId: string,
): Promise<{ id: string; title: string }[]> {
  const { rows } = await db.query<{ nodes: { id: string; title: string }[] }>({
    ...RAW_ORGANISATION_PAGE,
    values: [organisationId],
  });
  return rows[0]!.nodes;
}

interface ReadScenario {
  label: string;
  /** The name of its profile under --profile. */
  file: string;
  graphql: (i: number) => Promise<unknown>;
  raw: (i: number) => Promise<unknown>;
  /** The same answer both ways for a few inputs, or the comparison means nothing. */
  check: () => Promise<string>;
  bodies: Buffer[];
}

function readScenarios(
  base: URL,
  pool: pg.Pool,
  reads: { offers: string[]; organisations: string[] },
): ReadScenario[] {
  const lookupBodies = reads.offers.map((id) =>
    Buffer.from(JSON.stringify({ query: LOOKUP_QUERY, variables: { id: globalId('Offer', id) } })),
  );
  const pageBodies = reads.organisations.map((id) =>
    Buffer.from(
      JSON.stringify({
        query: ORGANISATION_PAGE_QUERY,
        variables: { organisation: globalId('Organisation', id) },
      }),
    ),
  );
  const compare = (label: string, pairs: [unknown, unknown][]) => {
    const differ = pairs.filter(([a, b]) => JSON.stringify(a) !== JSON.stringify(b)).length;
    return differ === 0
      ? `  check: ${label}: GraphQL and raw SQL give the same answers for ${pairs.length} inputs`
      : `  WARNING: ${label}: GraphQL and raw SQL differ for ${differ} of ${pairs.length} inputs`;
  };
  return [
    {
      label: 'node(id): an offer with organisation and sites',
      file: 'node',
      bodies: lookupBodies,
      graphql: (i) => graphqlLookup(base, lookupBodies[i % lookupBodies.length]!),
      raw: (i) => rawLookup(pool, reads.offers[i % reads.offers.length]!),
      check: async () => {
        const pairs: [unknown, unknown][] = [];
        for (let i = 0; i < 5; i++) {
          pairs.push([await graphqlLookup(base, lookupBodies[i]!), await rawLookup(pool, reads.offers[i]!)]);
        }
        return compare('node(id)', pairs);
      },
    },
    {
      label: 'offers of one organisation, 20, newest change first',
      file: 'organisation-page',
      bodies: pageBodies,
      graphql: (i) => graphqlOrganisationPage(base, pageBodies[i % pageBodies.length]!),
      raw: (i) => rawOrganisationPage(pool, reads.organisations[i % reads.organisations.length]!),
      check: async () => {
        const pairs: [unknown, unknown][] = [];
        for (let i = 0; i < 5; i++) {
          pairs.push([
            await graphqlOrganisationPage(base, pageBodies[i]!),
            await rawOrganisationPage(pool, reads.organisations[i]!),
          ]);
        }
        return compare('organisation page', pairs);
      },
    },
  ];
}

interface ReadFigures {
  label: string;
  check: string;
  graphql: LoadResult;
  raw: LoadResult;
  graphqlCpu: CpuUse;
  rawCpu: CpuUse;
  statements: ReturnType<typeof spread>;
  example: Statement[];
  /** node(id) only: the same load on the hub's plumbing and on servers without a database. */
  floors: { label: string; database: boolean; result: LoadResult; cpu: CpuUse }[];
}

/**
 * Floors under `node(id)`, each loaded with the same bodies, concurrency and durations as the hub:
 * the hub answering `{ __typename }` (its HTTP handling, context and plugins; no resolver, no
 * database), then bench/floor-server.ts without a database: node:http answering the hub's bytes,
 * Apollo Server 5 with graphql-js, and Apollo as the hub configures it (its compiled executor), the
 * last three checked against the hub's answers first.
 */
async function measureFloors(
  hub: { base: URL; pid: number | null },
  bodies: Buffer[],
): Promise<ReadFigures['floors']> {
  const base = hub.base;
  const floors: ReadFigures['floors'] = [];
  const typename = Buffer.from(JSON.stringify({ query: 'query BenchTypename { __typename }' }));
  const typenameOp = async () => {
    if (graphqlData<{ __typename: string }>(await postGraphQL(base, typename)).__typename !== 'Query') {
      throw new Error('{ __typename } did not answer Query');
    }
  };
  await load(warmupS, CONCURRENCY, typenameOp);
  const plumbing = await measureCpu(db, hub.pid, 'maillage', () => load(durationS, CONCURRENCY, typenameOp));
  floors.push({ label: 'floor: the hub answering { __typename }', database: true, ...plumbing });

  // The hub's answers as they came, for the floors to answer from memory.
  const answers: Record<string, string> = {};
  const hubAnswers = new Map<Buffer, Awaited<ReturnType<typeof postGraphQL>>>();
  for (const body of bodies) {
    const { variables } = JSON.parse(body.toString('utf8')) as { variables: { id: string } };
    const answer = await postGraphQL(base, body);
    graphqlData(answer);
    answers[variables.id] = answer.text;
    hubAnswers.set(body, answer);
  }
  for (const [mode, label] of [
    ['http', "floor: node:http answering the hub's bytes from memory"],
    ['apollo', 'floor: Apollo Server 5 + graphql-js, the same document answered from memory'],
    ['apollo-jit', 'floor: Apollo Server 5 as the hub runs it (graphql-jit), answered from memory'],
  ] as const) {
    await withFloor(mode, 'lookup', answers, async (server) => {
      const floorBase = new URL(server.url);
      for (const body of bodies.slice(0, 20)) {
        const [viaHub, viaFloor] = [hubAnswers.get(body)!, await postGraphQL(floorBase, body)];
        const same =
          mode === 'http'
            ? viaFloor.text === viaHub.text
            : JSON.stringify(graphqlData(viaFloor)) === JSON.stringify(graphqlData(viaHub));
        if (!same) throw new Error(`${label}: answers ${body.toString('utf8')} differently from the hub`);
      }
      const op = (i: number) => graphqlLookup(floorBase, bodies[i % bodies.length]!);
      await load(warmupS, CONCURRENCY, op);
      const { result, cpu } = await measureCpu(db, server.child.pid ?? null, FLOOR_APP, () =>
        load(durationS, CONCURRENCY, op),
      );
      floors.push({ label, database: false, result, cpu });
    });
  }
  return floors;
}

/** Runs a load, profiled under --profile (set once the loaded hub has started). */
let measured = <T>(_label: string, _file: string, work: () => Promise<T>): Promise<T> => work();

/** Each read scenario under load, hub then raw SQL, and its statements per request. */
async function measureReads(
  hub: { base: URL; pid: number | null },
  pool: pg.Pool,
  reads: { offers: string[]; organisations: string[] },
): Promise<ReadFigures[]> {
  const results: ReadFigures[] = [];
  for (const scenario of readScenarios(hub.base, pool, reads)) {
    const check = await scenario.check();
    await load(warmupS, CONCURRENCY, scenario.graphql);
    const g = await measureCpu(db, hub.pid, 'maillage', () =>
      measured(`hub CPU, ${scenario.label}`, scenario.file, () =>
        load(durationS, CONCURRENCY, scenario.graphql),
      ),
    );
    await load(warmupS, CONCURRENCY, scenario.raw);
    const r = await measureCpu(db, null, RAW_APP, () => load(durationS, CONCURRENCY, scenario.raw));
    results.push({
      label: scenario.label,
      check,
      graphql: g.result,
      raw: r.result,
      graphqlCpu: g.cpu,
      rawCpu: r.cpu,
      statements: { median: 0, min: 0, max: 0 },
      example: [],
      floors: scenario.file === 'node' ? await measureFloors(hub, scenario.bodies) : [],
    });
  }
  // Statements per request, through the counting proxy (a short-lived hub of its own).
  const counted = await withCountingHub(
    DB_URL,
    async (base, counter) => {
      const perScenario: { perRequest: number[]; example: Statement[] }[] = [];
      for (const scenario of readScenarios(base, pool, reads)) {
        for (let i = 0; i < 3; i++) await scenario.graphql(i);
        const perRequest: number[] = [];
        let example: Statement[] = [];
        for (let i = 0; i < 10; i++) {
          counter.record();
          await scenario.graphql(i);
          const statements = counter.take();
          perRequest.push(statements.length);
          if (i === 0) example = statements;
        }
        perScenario.push({ perRequest, example });
      }
      return perScenario;
    },
    { PUBLIC_CACHE_MB: '0' },
  );
  counted.forEach((c, i) => {
    results[i]!.statements = spread(c.perRequest);
    results[i]!.example = c.example;
  });
  return results;
}

function printReads(results: ReadFigures[]): void {
  for (const r of results) {
    out(`  ${r.label}:`);
    out(`  ${r.check}`);
    out(`  ${figures('GraphQL', r.graphql)}`);
    out(`  ${figures('raw SQL, one prepared statement', r.raw)}`);
    out(
      `    CPU per request: GraphQL ${(r.graphqlCpu.server ?? 0).toFixed(2)} ms hub + ${r.graphqlCpu.database.toFixed(2)} ms PostgreSQL; raw SQL ${r.rawCpu.database.toFixed(2)} ms PostgreSQL (+ ${r.rawCpu.client.toFixed(2)} ms pg client)   (goal ≤ 0.5 ms hub)`,
    );
    out(
      `    GraphQL / raw SQL throughput: ${((100 * throughput(r.graphql)) / throughput(r.raw)).toFixed(0)} %; SQL statements per GraphQL request: ${r.statements.median} (min ${r.statements.min}, max ${r.statements.max}); one request sent:`,
    );
    for (const { sql } of r.example) out(`      ${oneLine(sql)}`);
    for (const f of r.floors) {
      out(`  ${figures(f.label, f.result)}`);
      const server = f.cpu.server === null ? 'n/a' : f.cpu.server.toFixed(2);
      out(
        `    CPU per request: ${server} ms server${f.database ? ` + ${f.cpu.database.toFixed(2)} ms PostgreSQL` : ' (no database)'}`,
      );
      if (f.result.errors > 0) {
        failed = true;
        console.error(`${f.label}: ${f.result.errors} failed requests: ${f.result.firstError}`);
      }
    }
    if (r.graphql.errors > 0 || r.raw.errors > 0) {
      failed = true;
      console.error(
        `${r.label}: ${r.graphql.errors + r.raw.errors} failed requests: ${r.graphql.firstError ?? r.raw.firstError}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------

async function prepareDatabase(): Promise<{ generatedS: number | null; stats: DataStats }> {
  const exists = await db.exists();
  if (reuse && exists) {
    db.migrate();
    const stats = await withClient(dataStats);
    if (stats.offers > 0) return { generatedS: null, stats };
  }
  await db.recreate();
  db.migrate();
  const t0 = performance.now();
  await withClient((client) => generate(client, size));
  const generatedS = (performance.now() - t0) / 1000;
  return { generatedS, stats: await withClient(dataStats) };
}

/** EXPLAIN (ANALYZE, BUFFERS) of a statement with its parameters. */
async function explain(
  client: pg.Client,
  statement: { sql: string; params: unknown[] },
): Promise<{ plan: string[]; seqscanOff: boolean }> {
  const run = async () =>
    (
      await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
        statement.params,
      )
    ).rows.map((r) => r['QUERY PLAN']);
  let plan = await run();
  if (smoke && !plan.some((l) => l.includes('Offer_search_idx'))) {
    // A few hundred rows fit in a handful of pages: a sequential scan wins there, not at scale.
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    plan = await run();
    await client.query('ROLLBACK');
    return { plan, seqscanOff: true };
  }
  return { plan, seqscanOff: false };
}

let failed = false;
try {
  const { generatedS, stats } = await prepareDatabase();
  const { version, searches, reads } = await withClient(async (client) => ({
    version: (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v,
    searches: await pickSearches(client),
    reads: await pickReads(client),
  }));
  if (searches.length === 0) throw new Error('no search combination matches any offer: is the data there?');
  const params = searches.map((s) => s.search);
  const counts = searches.map((s) => s.count).sort((a, b) => a - b);

  out(`bench/catalogue (PostgreSQL ${version}, database ${DB_NAME}${smoke ? ', smoke run' : ''})`);
  out(
    `  data: ${stats.organisations} organisations, ${stats.sites} sites, ${stats.offers} offers (${stats.published} published), ${stats.themes} themes, ${stats.offerThemes} offer-theme and ${stats.offerSites} offer-site links`,
  );
  out(
    generatedS === null
      ? '  data generation: reused the existing database (--reuse)'
      : `  data generation: ${generatedS.toFixed(1)} s (set-based SQL, search trigger, VACUUM ANALYZE)`,
  );
  out(
    `  searches: ${params.length} (text, top theme, commune) combinations; matches each: min ${counts[0]}, median ${counts[Math.floor(counts.length / 2)]}, max ${counts[counts.length - 1]}`,
  );

  const withoutIndex = [...new Set(searches.filter((s) => !s.usesSearchIndex).map((s) => s.search.text))];
  out(
    `  plans: the hub's search statement reads "Offer_search_idx" for ${searches.length - withoutIndex.length} of ${searches.length} combinations${withoutIndex.length > 0 ? `; the others start from the theme's offers (texts: ${withoutIndex.join(', ')})` : ''}`,
  );

  const statements = await recordStatements(params);
  const counted = spread(statements.perRequest);

  // The search itself: the public cache off (PUBLIC_CACHE_MB=0), or it would answer the mix.
  const hub = await startHub(DB_URL, {
    PUBLIC_CACHE_MB: '0',
    ...(profileDir ? { NODE_OPTIONS: inspectOptions() } : {}),
  });
  const inspector = profileDir ? await inspectHub(hub) : null;
  /** The load, profiled under --profile. */
  measured = async <T>(label: string, file: string, work: () => Promise<T>): Promise<T> => {
    if (!inspector) return work();
    const { result, profile, heap } = await profiled(inspector, work);
    profileLines(label, cpuBreakdown(profile), profileDir!, `${file}.cpuprofile`, profile);
    profileLines(`${label}: allocations`, heapBreakdown(heap), profileDir!, `${file}.heapprofile`, heap);
    return result;
  };
  const base = new URL(hub.url);
  const pool = rawSqlPool(DB_URL, CONCURRENCY);
  let graphql: LoadResult;
  let raw: LoadResult;
  let cached: LoadResult;
  let graphqlCpu: CpuUse;
  let rawCpu: CpuUse;
  let cachedCpu: CpuUse;
  let readFigures: ReadFigures[];
  try {
    // Both sides must return the same page, or the comparison means nothing.
    const sample = params[0]!;
    const [viaHub, viaSql] = [await graphqlSearch(base, requestBody(sample)), await rawSearch(pool, sample)];
    const idsOf = (p: Page) => p.nodes.map((n) => n.id).join(',');
    if (idsOf(viaHub) !== idsOf(viaSql)) {
      out(`  WARNING: GraphQL and raw SQL return different offers for ${JSON.stringify(sample)}`);
    } else if (viaHub.totalCount !== viaSql.totalCount || JSON.stringify(viaHub) !== JSON.stringify(viaSql)) {
      out(`  WARNING: same offers, but different totalCount or fields for ${JSON.stringify(sample)}`);
    } else {
      out(
        `  check: GraphQL and raw SQL return the same ${viaHub.nodes.length} offers in the same order, totalCount ${viaHub.totalCount} (${JSON.stringify(sample)})`,
      );
    }

    const bodies = params.map(requestBody);
    const graphqlOp = (i: number) => graphqlSearch(base, bodies[i % bodies.length]!);
    const rawOp = (i: number) => rawSearch(pool, params[i % params.length]!);
    // The hub's first load: it also compiles for its first seconds (COLD_HUB_WARMUP_S).
    await load(warmupS + (smoke ? 0 : COLD_HUB_WARMUP_S), CONCURRENCY, graphqlOp);
    ({ result: graphql, cpu: graphqlCpu } = await measureCpu(db, hub.child.pid ?? null, 'maillage', () =>
      measured('hub CPU, search', 'search', () => load(durationS, CONCURRENCY, graphqlOp)),
    ));
    await load(warmupS, CONCURRENCY, rawOp);
    ({ result: raw, cpu: rawCpu } = await measureCpu(db, null, RAW_APP, () =>
      load(durationS, CONCURRENCY, rawOp),
    ));
    readFigures = await measureReads({ base, pid: hub.child.pid ?? null }, pool, reads);
  } finally {
    await pool.end();
    // A hub with a debugger attached waits for it to go before it exits.
    await inspector?.close();
    await stopHub(hub);
  }
  // The same repeated mix of anonymous searches on a hub with its public cache (the default).
  const cachedHub = await startHub(DB_URL);
  try {
    const cachedBase = new URL(cachedHub.url);
    const bodies = params.map(requestBody);
    const cachedOp = (i: number) => graphqlSearch(cachedBase, bodies[i % bodies.length]!);
    await load(warmupS, CONCURRENCY, cachedOp);
    ({ result: cached, cpu: cachedCpu } = await measureCpu(db, cachedHub.child.pid ?? null, 'maillage', () =>
      load(durationS, CONCURRENCY, cachedOp),
    ));
  } finally {
    await stopHub(cachedHub);
  }

  out(
    `  load: ${CONCURRENCY} concurrent connections, ${durationS} s each after ${warmupS} s of warm-up; hub: NODE_ENV=production, LOG_LEVEL=warn, its default pool (DATABASE_POOL_MAX ${process.env.DATABASE_POOL_MAX ?? 10}); raw SQL: pg.Pool of ${CONCURRENCY}`,
  );
  out(figures('GraphQL offers search', graphql));
  out(figures('raw SQL, one statement', raw));
  out(
    `  CPU per request: GraphQL ${(graphqlCpu.server ?? 0).toFixed(1)} ms hub + ${graphqlCpu.database.toFixed(1)} ms PostgreSQL (+ ${graphqlCpu.client.toFixed(1)} ms load generator); raw SQL ${rawCpu.database.toFixed(1)} ms PostgreSQL (+ ${rawCpu.client.toFixed(1)} ms pg client)`,
  );
  out(figures('the same mix, public cache on', cached));
  out(
    `  CPU per request with the public cache: ${(cachedCpu.server ?? 0).toFixed(2)} ms hub + ${cachedCpu.database.toFixed(2)} ms PostgreSQL`,
  );
  out(
    `  public cache / uncached throughput: ${(throughput(cached) / throughput(graphql)).toFixed(1)}×   (goal ≥ 5×, ${params.length} distinct searches repeated)`,
  );
  const ratio = (100 * throughput(graphql)) / throughput(raw);
  out(
    `  GraphQL / raw SQL throughput: ${ratio.toFixed(0)} %   (goal ≥ 60 %, issue 15; ≥ 40 % in the catalogue issue)`,
  );
  out(`  GraphQL p99: ${percentile(graphql.latencies, 99).toFixed(1)} ms   (goal < 50 ms)`);
  out(
    `  SQL statements per GraphQL request: ${counted.median} (min ${counted.min}, max ${counted.max}, over ${statements.perRequest.length} sequential requests; raw SQL: 1). One request sent:`,
  );
  for (const { sql } of statements.example) out(`    ${oneLine(sql)}`);

  // The hub's own statement and parameters for params[0], as recorded; the copy if none matched.
  const recorded = statements.example.find((s) => /"Offer" o WHERE .*search @@/s.test(s.sql));
  if (!recorded) out('  WARNING: no full-text search statement among those recorded; EXPLAIN uses a copy');
  const searchStatement = recorded ?? { sql: HUB_SEARCH_SQL, params: hubValues(params[0]!) };
  const { plan, seqscanOff } = await withClient((client) => explain(client, searchStatement));
  out(
    `  EXPLAIN (ANALYZE, BUFFERS) of the hub's search statement for ${JSON.stringify(params[0])}${seqscanOff ? ' (smoke data is tiny: run with SET enable_seqscan = off)' : ''}:`,
  );
  out(`    ${oneLine(searchStatement.sql, 400)}`);
  for (const line of plan) out(`    ${line}`);
  if (!plan.some((l) => l.includes('Offer_search_idx')))
    out('  WARNING: the plan does not use "Offer_search_idx"');

  out('  Reads by id and filtered pages (public cache off, anonymous):');
  printReads(readFigures);

  for (const [label, r] of [
    ['GraphQL', graphql],
    ['raw SQL', raw],
    ['GraphQL with the public cache', cached],
  ] as const) {
    if (r.errors > 0) {
      failed = true;
      console.error(`${label}: ${r.errors} failed requests, the first: ${r.firstError}`);
    }
  }
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  agent.destroy();
  if (smoke) await dropSmokeDatabase();
}
process.exit(failed ? 1 : 0);
