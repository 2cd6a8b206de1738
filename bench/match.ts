/**
 * Matching under load (`npm run bench:match`): the public `matchOffers` query over the benchmark
 * catalogue (20,000 offers, the same data as bench/catalogue.ts: bench/catalogue-data.ts), five
 * needs, each with themes, languages, audiences, an age, a point to measure distances from and
 * more, at 20 concurrent keep-alive connections against the hub as a separate production process.
 *
 * Prints the data, how many candidates each need ranks, p50/p99 and req/s, CPU per request (hub
 * and PostgreSQL), SQL statements per request (counted by the wire-protocol proxy of bench/lib.ts
 * in front of a second, short-lived hub), a sample result, the match index's full load (time and
 * heap, in this process) and EXPLAIN (ANALYZE, BUFFERS) of its per-request check for changes.
 * Asserts nothing; exits non-zero only when something failed.
 *
 * Flags: --offers N --organisations N --sites N (data size), --duration S, --warmup S, --first N,
 * --reuse (keep an existing `maillage_bench_test`, e.g. bench/catalogue's), --smoke (tiny data and
 * 2 s of load in a throw-away database, for the test suite), --embedded.
 */
import pg from 'pg';
import type { Prisma } from '../src/generated/prisma/client.ts';
import { MatchIndex } from '../src/modules/welcome/match-index.ts';
import type { SqlRunner } from '../src/shared/db/client.ts';
import { dataStats, generate, type DataStats } from './catalogue-data.ts';
import {
  agent,
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
  readFlags,
  spread,
  startHub,
  stopHub,
  withCountingHub,
  type CpuUse,
  type LoadResult,
  type Statement,
} from './lib.ts';

const flags = readFlags();
const smoke = flags.has('--smoke');
const reuse = flags.has('--reuse');
const size = {
  organisations: Math.round(flags.number('--organisations', smoke ? 50 : 1_000)),
  sites: Math.round(flags.number('--sites', smoke ? 100 : 5_000)),
  offers: Math.round(flags.number('--offers', smoke ? 500 : 20_000)),
};
const durationS = flags.number('--duration', smoke ? 2 : 20);
const warmupS = flags.number('--warmup', smoke ? 1 : 3);
const FIRST = Math.round(flags.number('--first', 10));
const CONCURRENCY = 20;
/** The smoke run's own database, dropped at the end (never a kept bench database). */
const DB_NAME = smoke ? `maillage_bench_test_match_smoke_${process.pid}` : 'maillage_bench_test';
const db = benchDatabase(DB_NAME, flags.has('--embedded') ? await embeddedServer() : undefined);
const dropSmokeDatabase = () => db.drop();
onInterrupt(() => (smoke ? dropSmokeDatabase() : Promise.resolve()));

/** Five needs as a case worker or a Welcome coordinator asks them, each measured from a place. */
const NEEDS = [
  {
    label: 'language courses near the Gare, Portuguese speaker',
    criteria: {
      themes: ['language'],
      languages: ['pt'],
      audiences: ['REFUGEES', 'NEWCOMERS'],
      age: 30,
      point: { latitude: 49.6, longitude: 6.1335 },
      placesWanted: 1,
      openOn: [1, 3],
    },
  },
  {
    label: 'emergency housing in Esch for a family of four',
    criteria: {
      themes: ['housing.emergency_shelter'],
      languages: ['en'],
      audiences: ['FAMILIES'],
      age: 35,
      point: { latitude: 49.4958, longitude: 5.9806 },
      placesWanted: 4,
    },
  },
  {
    label: 'work in Differdange, Luxembourgish speaker',
    criteria: {
      themes: ['employment'],
      languages: ['lb'],
      audiences: ['JOBSEEKERS'],
      age: 25,
      point: { latitude: 49.5242, longitude: 5.8914 },
      openOn: [2],
    },
  },
  {
    label: 'health in Ettelbruck, German speaker',
    criteria: {
      themes: ['health'],
      languages: ['de'],
      audiences: ['ADULTS'],
      age: 52,
      point: { latitude: 49.8475, longitude: 6.1042 },
      placesWanted: 1,
    },
  },
  {
    label: 'youth in Diekirch on Saturdays, in the commune',
    criteria: {
      themes: ['youth'],
      languages: ['fr'],
      audiences: ['YOUTH'],
      age: 17,
      commune: 'Diekirch',
      point: { latitude: 49.8683, longitude: 6.1597 },
      openOn: [6],
    },
  },
];

const QUERY = `query BenchMatch($criteria: MatchCriteriaInput!, $first: Int) {
  matchOffers(criteria: $criteria, first: $first) {
    __typename
    ... on QueryMatchOffersSuccess {
      data {
        totalCount
        matches {
          offer { id title { text } organisation { name } sites { name commune } }
          score distanceMeters walkingMinutes
          reasons { factor weight text }
        }
        excluded { offer { id } filter text }
      }
    }
    ... on Error { code message }
  }
}`;

interface Answer {
  totalCount: number;
  matches: {
    offer: { id: string; title: { text: string }; organisation: { name: string } };
    score: number;
    distanceMeters: number | null;
    walkingMinutes: number | null;
    reasons: { factor: string; weight: number; text: string }[];
  }[];
  excluded: { offer: { id: string }; filter: string; text: string }[];
}

const bodies = NEEDS.map((n) =>
  Buffer.from(JSON.stringify({ query: QUERY, variables: { criteria: n.criteria, first: FIRST } })),
);

/** Sends a need; anything but a clean 200 with a ranking is an error. */
async function matchRequest(base: URL, body: Buffer): Promise<Answer> {
  const { status, text } = await postGraphQL(base, body);
  const result = JSON.parse(text) as {
    data?: { matchOffers?: { __typename: string; data?: Answer; message?: string } };
    errors?: { message: string }[];
  };
  const answer = result.data?.matchOffers;
  if (
    status !== 200 ||
    result.errors?.length ||
    answer?.__typename !== 'QueryMatchOffersSuccess' ||
    !answer.data
  ) {
    throw new Error(
      `HTTP ${status}: ${result.errors?.[0]?.message ?? answer?.message ?? text.slice(0, 200)}`,
    );
  }
  return answer.data;
}

async function prepareDatabase(): Promise<{ generatedS: number | null; stats: DataStats }> {
  if (reuse && (await db.exists())) {
    db.migrate();
    const stats = await db.withClient(dataStats);
    if (stats.offers > 0) return { generatedS: null, stats };
  }
  await db.recreate();
  db.migrate();
  const t0 = performance.now();
  await db.withClient((client) => generate(client, size));
  return { generatedS: (performance.now() - t0) / 1000, stats: await db.withClient(dataStats) };
}

/** Published offers under each need's themes or their parents: an upper bound of what ranking reads. */
async function candidateCounts(client: pg.Client): Promise<number[]> {
  const counts: number[] = [];
  for (const need of NEEDS) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Offer" o
       WHERE o.status = 'PUBLISHED' AND o."themePath" && (
         SELECT array_agg(t.code) || coalesce(array_agg(p.code) FILTER (WHERE p.code IS NOT NULL), '{}')
         FROM "Theme" t LEFT JOIN "Theme" p ON p.id = t."parentId" WHERE t.code = ANY($1::text[]))`,
      [need.criteria.themes],
    );
    counts.push(rows[0]?.n ?? 0);
  }
  return counts;
}

async function recordStatements(): Promise<{ perRequest: number[]; example: Statement[] }> {
  return withCountingHub(db.url, async (base, counter) => {
    for (let i = 0; i < 3; i++) await matchRequest(base, bodies[i % bodies.length]!);
    const perRequest: number[] = [];
    let example: Statement[] = [];
    for (let i = 0; i < 10; i++) {
      counter.record();
      await matchRequest(base, bodies[i % bodies.length]!);
      const statements = counter.take();
      perRequest.push(statements.length);
      if (i === 0) example = statements;
    }
    return { perRequest, example };
  });
}

/** The match index's first load (every offer), in this process: time and heap it keeps. */
async function indexLoad(): Promise<{ ms: number; heapMB: number; offers: number }> {
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const sql: SqlRunner = async <T>(statement: Prisma.Sql) =>
      (await pool.query(statement.text, statement.values)).rows as T[];
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const index = new MatchIndex(sql);
    const t0 = performance.now();
    await index.fresh();
    const ms = performance.now() - t0;
    global.gc?.();
    const heapMB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    return { ms, heapMB, offers: index.size };
  } finally {
    await pool.end();
  }
}

async function explain(statement: Statement): Promise<string[]> {
  return db.withClient(async (client) => {
    await client.query('BEGIN');
    // Smoke data fits in a few pages, where a sequential scan wins; at scale the GIN index does.
    if (smoke) await client.query('SET LOCAL enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
      statement.params,
    );
    await client.query('ROLLBACK');
    return rows.map((r) => r['QUERY PLAN']);
  });
}

let failed = false;
try {
  const { generatedS, stats } = await prepareDatabase();
  const version = await db.withClient(
    async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v,
  );
  const candidates = await db.withClient(candidateCounts);
  out(`bench/match (PostgreSQL ${version}, database ${DB_NAME}${smoke ? ', smoke run' : ''})`);
  out(
    `  data: ${stats.organisations} organisations, ${stats.sites} sites, ${stats.offers} offers (${stats.published} published), ${stats.themes} themes`,
  );
  out(
    generatedS === null
      ? '  data generation: reused the existing database (--reuse)'
      : `  data generation: ${generatedS.toFixed(1)} s (bench/catalogue-data.ts)`,
  );
  NEEDS.forEach((n, i) =>
    out(
      `  need ${i + 1}: ${n.label}: ${Object.keys(n.criteria).length} criteria, ${candidates[i]} published offers under its themes or their parents`,
    ),
  );

  const statements = await recordStatements();
  const counted = spread(statements.perRequest);

  const hub = await startHub(db.url);
  const base = new URL(hub.url);
  let result: LoadResult;
  let cpu: CpuUse;
  try {
    const sample = await matchRequest(base, bodies[0]!);
    const top = sample.matches[0];
    out(
      `  sample (need 1, first ${FIRST}): ${sample.matches.length} of ${sample.totalCount} matches, ${sample.excluded.length} near misses`,
    );
    if (top) {
      out(`    best: "${top.offer.title.text}" (${top.offer.organisation.name}), score ${top.score}`);
      for (const r of top.reasons) out(`      ${r.factor}: ${r.text}`);
    }
    const op = (i: number) => matchRequest(base, bodies[i % bodies.length]!);
    await load(warmupS, CONCURRENCY, op);
    ({ result, cpu } = await measureCpu(db, hub.child.pid ?? null, 'maillage', () =>
      load(durationS, CONCURRENCY, op),
    ));
  } finally {
    await stopHub(hub);
  }

  out(
    `  load: ${CONCURRENCY} concurrent connections, ${durationS} s after ${warmupS} s of warm-up, the five needs in turn, first ${FIRST}; hub: NODE_ENV=production, LOG_LEVEL=warn`,
  );
  out(figures('GraphQL matchOffers', result));
  out(
    `  CPU per request: ${(cpu.server ?? 0).toFixed(1)} ms hub + ${cpu.database.toFixed(1)} ms PostgreSQL (+ ${cpu.client.toFixed(1)} ms load generator)`,
  );
  out(`  matchOffers p99: ${percentile(result.latencies, 99).toFixed(1)} ms   (goal < 50 ms)`);
  out(
    `  SQL statements per request: ${counted.median} (min ${counted.min}, max ${counted.max}, over ${statements.perRequest.length} sequential requests). One request sent:`,
  );
  for (const { sql } of statements.example) out(`    ${oneLine(sql)}`);

  const loaded = await indexLoad();
  out(
    `  match index, first load in this process: ${loaded.offers} offers in ${loaded.ms.toFixed(0)} ms, ${global.gc ? `${loaded.heapMB.toFixed(1)} MB of heap kept` : 'heap not measured (run with --expose-gc)'}`,
  );
  const check = statements.example.find((s) => /"OfferChangeSequence"/.test(s.sql));
  if (check) {
    out(`  EXPLAIN (ANALYZE, BUFFERS) of the match index's check for changes:`);
    for (const line of await explain(check)) out(`    ${line}`);
  } else {
    out('  WARNING: no check for changes ("OfferChangeSequence") among the statements recorded');
  }
  if (result.errors > 0) {
    failed = true;
    console.error(`matchOffers: ${result.errors} failed requests, the first: ${result.firstError}`);
  }
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  agent.destroy();
  if (smoke) await dropSmokeDatabase();
}
process.exit(failed ? 1 : 0);
