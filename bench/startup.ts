/**
 * Start-up and idle memory of the embedded default (`npm run bench:startup`):
 *  - cold start: empty data folder -> /readyz green (PGlite initdb, migrations, demo data)
 *  - warm start: same folder again -> /readyz green
 *  - idle RSS of the server process (and of the embedded database process beside it)
 * Prints figures; asserts nothing. `--runs N` warm starts (default 5); `--smoke` does one of each.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

const dir = await mkdtemp(path.join(os.tmpdir(), 'maillage-bench-'));
const dataDir = path.join(dir, 'data');
try {
  const cold = await start(dataDir);
  await stop(cold.hub);

  const warm: number[] = [];
  let idle = { server: 0, database: 0 };
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
      idle = { server: await rssMb(hub.child.pid!), database: await rssMb(db.pid) };
    }
    await stop(hub);
  }
  warm.sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  console.log('bench/startup (embedded PGlite default)');
  console.log(`  cold start, empty data folder -> /readyz: ${(cold.ms / 1000).toFixed(2)} s   (goal < 10 s)`);
  console.log(
    `  warm start -> /readyz, median of ${runs}: ${(median / 1000).toFixed(2)} s   (min ${(warm[0]! / 1000).toFixed(2)} s, goal < 2 s)`,
  );
  console.log(`  idle RSS, server process: ${idle.server.toFixed(0)} MB   (goal < 200 MB)`);
  console.log(`  idle RSS, embedded database process (PGlite): ${idle.database.toFixed(0)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
