/**
 * Start-up fails fast and in plain words (`npm start`'s entry, as a child process): a port in use
 * before any database work, a data folder another hub holds (named by its pid), a data folder
 * that is a file, foreign, of another PostgreSQL version, or not ours to read. Each prints one
 * sentence, no stack trace, and exits 1.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnHub, START_ARGS } from '../helpers/process.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'maillage-startup-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** `npm start` until it exits: its exit code, everything it printed, how long it took. */
async function startToExit(env: Record<string, string>, opts: { uid?: number; gid?: number } = {}) {
  const started = Date.now();
  const child = spawn(process.execPath, START_ARGS, {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output: output.trim(), ms: Date.now() - started };
}

/** One plain sentence: no stack trace, no JSON log line. */
function expectPlain(output: string) {
  expect(output).toMatch(/^Maillage cannot start\. /);
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toMatch(/node:internal|Error:/);
}

describe('start-up refuses, in plain words', () => {
  it('a port in use, before any database work', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => taken.close(resolve)));
    const { port } = taken.address() as net.AddressInfo;
    const dataDir = path.join(await tempDir(), 'data');

    const { code, output, ms } = await startToExit({ PORT: String(port), DATA_DIR: dataDir });
    expect(code).toBe(1);
    expectPlain(output);
    expect(output).toContain(`Port ${port} is already in use`);
    expect(output).toContain(`PORT=${port + 1} npm start`);
    // Nothing was started or created: the data folder does not even exist.
    expect(existsSync(dataDir)).toBe(false);
    expect(ms).toBeLessThan(15_000);
  }, 60_000);

  it('a data folder that is a file', async () => {
    const file = path.join(await tempDir(), 'data');
    await writeFile(file, 'not a folder');
    const { code, output } = await startToExit({ DATA_DIR: file });
    expect(code).toBe(1);
    expectPlain(output);
    expect(output).toContain(`DATA_DIR ${file} is a file, not a folder`);
  }, 60_000);

  it('a data folder holding something else', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'thesis.docx'), '');
    await mkdir(path.join(dir, 'photos'));
    const { code, output } = await startToExit({ DATA_DIR: dir });
    expect(code).toBe(1);
    expectPlain(output);
    expect(output).toContain(`The data folder ${dir} (DATA_DIR) holds other things (photos, thesis.docx)`);
  }, 60_000);

  it('a data folder that is a PostgreSQL data directory, or holds one of another version', async () => {
    const pg = await tempDir();
    await writeFile(path.join(pg, 'PG_VERSION'), '16\n');
    await mkdir(path.join(pg, 'base'));
    const itself = await startToExit({ DATA_DIR: pg });
    expect(itself.code).toBe(1);
    expectPlain(itself.output);
    expect(itself.output).toContain(
      `The data folder ${pg} (DATA_DIR) is itself a PostgreSQL database folder`,
    );

    const dir = await tempDir();
    await mkdir(path.join(dir, 'postgres'));
    await writeFile(path.join(dir, 'postgres', 'PG_VERSION'), '16\n');
    await writeFile(path.join(dir, 'embedded-db.password'), 'x');
    const older = await startToExit({ DATA_DIR: dir });
    expect(older.code).toBe(1);
    expectPlain(older.output);
    expect(older.output).toMatch(
      /postgres holds a PostgreSQL 16 database; this hub's embedded PostgreSQL is version \d+/,
    );
  }, 60_000);

  it('a data folder this user may not read', async () => {
    const dir = await tempDir();
    const closed = path.join(dir, 'closed');
    await mkdir(closed);
    await chmod(closed, 0o700);
    await chmod(dir, 0o755);
    // Root reads everything: the hub runs as nobody then, on root's closed folder.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) await chmod(closed, 0o000);
    cleanup.push(() => chmod(closed, 0o700));
    const dataDir = path.join(closed, 'data');
    const { code, output } = await startToExit(
      { DATA_DIR: dataDir, HOME: dir },
      asRoot ? { uid: 65534, gid: 65534 } : {},
    );
    expect(code).toBe(1);
    expectPlain(output);
    expect(output).toContain(`The data folder ${dataDir} (DATA_DIR) cannot be`);
    expect(output).toContain('permission denied');
  }, 60_000);

  it('a second hub on a data folder in use, naming the process that holds it', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    const first = await spawnHub({ DATA_DIR: dataDir, DATABASE_URL: '' });
    cleanup.push(() => {
      if (first.child.exitCode === null) first.child.kill('SIGTERM');
      return first.exit;
    });

    const { code, output, ms } = await startToExit({ DATA_DIR: dataDir });
    expect(code).toBe(1);
    expectPlain(output);
    expect(output).toContain(
      `The data folder ${dataDir} is already in use by another Maillage hub (pid ${first.child.pid}`,
    );
    expect(output).toContain(`kill ${first.child.pid}`);
    expect(ms).toBeLessThan(15_000);
    // The first one is untouched, and leaves the folder free when it stops.
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(existsSync(path.join(dataDir, 'embedded-db.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'embedded-db.json'))).toBe(false);
  }, 180_000);
});
