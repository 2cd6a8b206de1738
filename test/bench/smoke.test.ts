/** The benchmarks run small here so that they do not rot; their figures are printed, not asserted. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const exec = promisify(execFile);

it('bench/startup runs and prints its figures', async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/startup.ts', '--smoke']);
  expect(stdout).toMatch(/cold start, empty data folder -> \/readyz: [\d.]+ s/);
  expect(stdout).toMatch(/warm start -> \/readyz, median of 1: [\d.]+ s/);
  expect(stdout).toMatch(/idle RSS, server process: \d+ MB/);
}, 180_000);
