/**
 * A process that takes a data folder as the embedded database's owner does (its command line
 * names `embedded-db`, as the real owner's does, which is how a lock's holder is recognised), on
 * request: reads `lock` or `release` lines on stdin, answers one JSON line each on stdout.
 * Used by data-folder.test.ts to race takeovers of a stale lock between processes.
 */
import readline from 'node:readline';
import { lockDataFolder } from '../../src/shared/db/data-folder.ts';

const dataDir = process.argv[2]!;
let release: (() => Promise<void>) | null = null;
const answer = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line === 'lock') {
    try {
      release = await lockDataFolder(dataDir, 'hub');
      answer({ locked: true });
    } catch (err) {
      answer({ locked: false, error: (err as Error).message, name: (err as Error).name });
    }
  } else if (line === 'release') {
    await release?.();
    release = null;
    answer({ released: true });
  }
}
