/**
 * bench/guide-print runs small here (20 entries, 5 renders, a throw-away database) so that it does
 * not rot: the guide seeds, the hub serves every page and feed, and the figures are printed. The
 * figures themselves are not asserted: they mean nothing on tiny data and a shared machine.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const exec = promisify(execFile);

it('bench/guide-print runs and prints its figures', async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/guide-print.ts', '--smoke'], {
    timeout: 170_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  expect(stdout).toMatch(/data generation: [\d.]+ s \(20 entries\)/);
  for (const lang of ['fr', 'en', 'uk', 'ar']) {
    expect(stdout).toMatch(
      new RegExp(`page ${lang}, 20 entries: p50 [\\d.]+ ms {3}p99 [\\d.]+ ms {3}\\d+ KiB`),
    );
    expect(stdout).toMatch(new RegExp(`iCal ${lang}, \\d+ events: p50 [\\d.]+ ms {3}p99 [\\d.]+ ms`));
    expect(stdout).toMatch(
      new RegExp(
        `${lang}: read model: p50 [\\d.]+ ms .* HTML: p50 [\\d.]+ ms .* iCal: p50 [\\d.]+ ms .* GeoJSON: p50`,
      ),
    );
  }
}, 180_000);
