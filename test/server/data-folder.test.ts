/**
 * The data folder's lock (`embedded-db.lock`): a lock left by a process that has gone is taken
 * over, and when several processes find the same stale lock at once exactly one takes the folder;
 * the others are refused with the winner's process id, as a second hub is.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { LOCK_FILE } from '../../src/shared/db/data-folder.ts';

interface Answer {
  locked?: boolean;
  released?: boolean;
  error?: string;
  name?: string;
}

/** A lock taker in its own process (embedded-db-lock-child.ts), driven line by line. */
function taker(dataDir: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/server/embedded-db-lock-child.ts', dataDir],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const answers: Answer[] = [];
  const waiting: ((a: Answer) => void)[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const a = JSON.parse(line) as Answer;
    const w = waiting.shift();
    if (w) w(a);
    else answers.push(a);
  });
  return {
    pid: child.pid!,
    send(command: 'lock' | 'release'): Promise<Answer> {
      child.stdin!.write(`${command}\n`);
      const ready = answers.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    async close() {
      child.stdin!.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

let dataDir: string;
let takers: ReturnType<typeof taker>[];
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'maillage-lock-'));
  takers = [taker(dataDir), taker(dataDir)];
  // Ready once each answers (a release with nothing held).
  await Promise.all(takers.map((t) => t.send('release')));
});
afterAll(async () => {
  await Promise.all(takers.map((t) => t.close()));
  await rm(dataDir, { recursive: true, force: true });
});

it('lets exactly one of two processes take over a stale lock, and refuses the other by pid', async () => {
  // A pid that is certainly not running: a process that has exited.
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let round = 0; round < 15; round++) {
    const stale = { pid: dead, parentPid: dead, startedBy: 'hub', since: new Date().toISOString() };
    await writeFile(lockPath, JSON.stringify(stale));

    const answers = await Promise.all(takers.map((t) => t.send('lock')));

    const winners = takers.filter((_, i) => answers[i]!.locked);
    expect(winners.map((w) => w.pid)).toHaveLength(1);
    const loser = answers.find((a) => !a.locked)!;
    expect(loser.name).toBe('DataFolderError');
    expect(loser.error).toContain(`is already in use by another Maillage hub (pid ${process.pid}`);
    expect(loser.error).toContain(`its database process is pid ${winners[0]!.pid}.`);
    // Released, the folder is free again and no claim is left behind.
    expect(await winners[0]!.send('release')).toEqual({ released: true });
    expect(existsSync(lockPath)).toBe(false);
    expect(await readdir(dataDir)).toEqual([]);
  }
}, 120_000);
