/**
 * bench/network runs small here (its own throw-away database) so that it does not rot: the data
 * generates, the facts rebuild, status changes go through the service and the incremental refresh
 * reads only them, and each statistic answers and is printed against its goal. Timings are not
 * asserted: they mean nothing on tiny data and a shared machine.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const exec = promisify(execFile);
const TIMES =
  / p50 [\d.]+ ms {3}p95 [\d.]+ ms {3}max [\d.]+ ms {3}\(\d+ statements, waiting on them p50 [\d.]+ ms\) {3}goal < 200 ms \(p95\): (met|NOT met)/;

it('bench/network runs and prints the facts’ refresh times and each statistic against its goal', async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/network.ts', '--smoke'], {
    timeout: 120_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  expect(stdout).toMatch(
    /data: \d+ organisations, \d+ offers accepting referrals, \d+ referrals over 365 days/,
  );
  expect(stdout).toMatch(/data generation: [\d.]+ s/);
  expect(stdout).toMatch(/facts: full rebuild [\d.]+ m?s \(\d+ referrals.*\); \d+ rows, [\d.]+ MiB/);
  expect(stdout).toMatch(/status changes: 20 through stepReferral .* in [\d.]+ m?s/);
  // The incremental refresh recomputes the referrals that changed, not every one.
  expect(stdout).toMatch(
    /facts: incremental refresh after 20 status changes: [\d.]+ ms \(20 referrals recomputed\)/,
  );
  expect(stdout).toMatch(
    /refresh after one status change: p50 [\d.]+ ms .* with nothing new: p50 [\d.]+ ms .*nothing recomputed/,
  );
  expect(stdout).toMatch(/lag: .* ≤ [\d.]+ s {3}\(goal < 60 s: (met|NOT met)\)/);
  for (const label of [
    'networkFlows, whole network, one year',
    'networkFlows, the busiest organisation \\(\\d+ received\\), one year',
    'networkResponseTimes, whole network, one year',
    'networkGaps, last month \\(\\d{4}-\\d{2}\\)',
  ]) {
    expect(stdout).toMatch(new RegExp(`${label}:${TIMES.source}`));
  }
}, 130_000);
