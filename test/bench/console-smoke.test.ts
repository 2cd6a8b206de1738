/**
 * bench/console runs small here (10 referrals, 2 runs, its own throw-away database) so that it does
 * not rot: Chromium loads the console signed in, the inbox shows its rows, scrolling is measured,
 * and the figures are printed. Timings are not asserted: they mean nothing on a shared machine.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const exec = promisify(execFile);

it('bench/console loads the console in Chromium and prints its figures', async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/console.ts', '--smoke'], {
    timeout: 400_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  expect(stdout).toMatch(/data: 10 referrals sent to Inter-Actions/);
  expect(stdout).toMatch(/console first load \(cold cache, 2 runs\): median \d+ ms {3}max \d+ ms/);
  expect(stdout).toMatch(/first page JavaScript: [\d.]+ KB on the wire \(compressed\), [\d.]+ KB decoded/);
  expect(stdout).toMatch(/inbox of 10 referrals: rows shown in median \d+ ms/);
  expect(stdout).toMatch(/inbox scroll: \d+ frames {3}interval p50 \d+ ms {3}p95 \d+ ms/);
}, 420_000);
