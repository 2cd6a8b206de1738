/**
 * Start-up and idle memory of the embedded default (`npm run bench:startup`):
 *  - cold start: empty data folder -> /readyz green (initdb, migrations, demo data)
 *  - warm start: same folder again -> /readyz green
 *  - idle memory of the server process, and of the embedded database beside it: the Node process
 *    that owns it (RSS) plus the PostgreSQL server and its backends (PSS, so that shared buffers
 *    mapped by every backend count once)
 * Prints figures; asserts nothing. `--runs N` warm starts (default 5); `--smoke` does one of each.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnHub, type HubProcess } from '../test/helpers/process.ts';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const runs = smoke ? 1 : Number(args[args.indexOf('--runs') + 1] ?? 0) || 5;

async function start(dataDir: string) {
  const t0 = performance.now();
  const hub = await spawnHub({ DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'development' });
  const res = await fetch(`${hub.url}/readyz`);
  if (res.status !== 200) throw new Error(`readyz answered ${res.status}`);
  return { hub, ms: performance.now() - t0 };
}

async function stop(hub: HubProcess) {
  hub.child.kill('SIGTERM');
  await hub.exit;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** PSS of the PostgreSQL server of `pgdata` and of every process it started (its backends). */
async function postgresPssMb(pgdata: string): Promise<number> {
  const postmaster = Number((await readFile(path.join(pgdata, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  let kb = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (Number(entry) !== postmaster && ppid !== postmaster) continue;
      const rollup = await readFile(`/proc/${entry}/smaps_rollup`, 'utf8');
      kb += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'maillage-bench-'));
const dataDir = path.join(dir, 'data');
try {
  const cold = await start(dataDir);
  await stop(cold.hub);

  const warm: number[] = [];
  let idle = { server: 0, owner: 0, postgres: 0 };
  for (let i = 0; i < runs; i++) {
    const { hub, ms } = await start(dataDir);
    warm.push(ms);
    if (i === runs - 1) {
      // A few requests, then let the process settle before reading its memory.
      for (let j = 0; j < 20; j++) {
        await fetch(`${hub.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: '{ organisations(first: 20) { totalCount edges { node { slug name } } } }',
          }),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, smoke ? 100 : 2000));
      const db = JSON.parse(await readFile(path.join(dataDir, 'embedded-db.json'), 'utf8')) as {
        pid: number;
      };
      idle = {
        server: await rssMb(hub.child.pid!),
        owner: await rssMb(db.pid),
        postgres: await postgresPssMb(path.join(dataDir, 'postgres')),
      };
    }
    await stop(hub);
  }
  warm.sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  console.log('bench/startup (embedded default: PostgreSQL from the npm registry)');
  console.log(`  cold start, empty data folder -> /readyz: ${(cold.ms / 1000).toFixed(2)} s   (goal < 10 s)`);
  console.log(
    `  warm start -> /readyz, median of ${runs}: ${(median / 1000).toFixed(2)} s   (min ${(warm[0]! / 1000).toFixed(2)} s, goal < 2 s)`,
  );
  console.log(`  idle RSS, server process: ${idle.server.toFixed(0)} MB   (goal < 200 MB)`);
  console.log(`  idle RSS, embedded database owner process: ${idle.owner.toFixed(0)} MB`);
  console.log(`  idle PSS, embedded PostgreSQL (server and backends): ${idle.postgres.toFixed(0)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
