/**
 * bench/match runs small here (its own throw-away database, 2 s of load) so that it does not rot:
 * the data is generated, the hub ranks the five needs without errors, and the figures, the
 * statement count and the candidate statement's plan are printed. No figure is asserted.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const exec = promisify(execFile);

it('bench/match runs and prints its figures and plan', async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/match.ts', '--smoke'], {
    timeout: 120_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  expect(stdout).toMatch(/data generation: [\d.]+ s/);
  expect(stdout.match(/need \d: .+: \d+ criteria, \d+ published offers under its themes/g)).toHaveLength(5);
  expect(stdout).toMatch(/sample \(need 1, first 10\): \d+ of \d+ matches/);
  expect(stdout).toMatch(/GraphQL matchOffers: [\d.]+ req\/s {3}p50 [\d.]+ ms {3}p99 [\d.]+ ms {3}errors 0/);
  expect(stdout).toMatch(/CPU per request: [\d.]+ ms hub \+ [\d.]+ ms PostgreSQL/);
  expect(stdout).toMatch(/SQL statements per request: \d+ \(min \d+, max \d+/);
  const plan = stdout.slice(stdout.indexOf('EXPLAIN (ANALYZE, BUFFERS)'));
  expect(stdout).toMatch(/match index, first load in this process: \d+ offers in \d+ ms/);
  expect(plan).toMatch(/OfferChangeSequence_pkey/);
  expect(plan).toMatch(/Execution Time: [\d.]+ ms/);
}, 130_000);
