/**
 * bench/referrals runs small here (its own throw-away database, 2 s per load) so that it does not
 * rot: the data generates, the hub starts, its loads answer without errors, the figures and plans
 * are printed. Timings are not asserted: they mean nothing on tiny data and a shared machine. What
 * is asserted is the issue's constant-SQL goal: an inbox page of 50 sends as many SQL statements as
 * a page of 10 (no statement per referral), and that the raw SQL baseline gives the hub's page and
 * writes what a step writes (else the comparison means nothing).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const exec = promisify(execFile);

it('bench/referrals runs, prints its figures, and an inbox page costs as many statements for 50 as for 10', async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/referrals.ts', '--smoke'], {
    timeout: 150_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  expect(stdout).toMatch(/data generation: [\d.]+ s/);
  expect(stdout).toMatch(/check: the busiest inbox .* answers its \d+ newest referrals in order/);
  expect(stdout).toMatch(
    /inbox page of 50: [\d.]+ req\/s {3}p50 [\d.]+ ms {3}p95 [\d.]+ ms {3}p99 [\d.]+ ms {3}max [\d.]+ ms {3}errors 0/,
  );
  expect(stdout).toMatch(
    /SDK inbox page of 50 \(ReferralInbox\): [\d.]+ req\/s {3}p50 [\d.]+ ms {3}p95 [\d.]+ ms {3}p99 [\d.]+ ms {3}max [\d.]+ ms {3}errors 0/,
  );
  expect(stdout).toMatch(
    /status change \(hold \/ resume\): [\d.]+ req\/s {3}p50 [\d.]+ ms {3}p95 [\d.]+ ms {3}p99 [\d.]+ ms {3}max [\d.]+ ms {3}errors 0/,
  );
  // The raw SQL baseline answers the same page and writes what a step writes, then runs both loads.
  expect(stdout).toMatch(
    /check: raw SQL gives the busiest inbox the same page .* and logs the \d+ persons the hub shows/,
  );
  expect(stdout).toMatch(
    /check: a raw SQL hold and resume each wrote the status, the next version, the reason, an event \(from, to, note, actor\) and its outbox row/,
  );
  expect(stdout).toMatch(/raw SQL inbox page of 50: [\d.]+ req\/s .* errors 0/);
  expect(stdout).toMatch(/raw SQL status change: [\d.]+ req\/s .* errors 0/);
  expect(stdout).toMatch(/hub \/ raw SQL throughput: inbox \d+ %, status change \d+ %/);
  expect(stdout).toMatch(/inbox p99: [\d.]+ ms, raw SQL [\d.]+ ms/);
  expect(stdout).toMatch(/status change p99: [\d.]+ ms, raw SQL [\d.]+ ms/);
  expect(stdout).toMatch(/SQL statements per status change: hold \d+, resume \d+/);
  // The open loop: requests due at a fixed rate, every one answered, and the hub's runtime meanwhile.
  expect(
    stdout.match(
      /the hub meanwhile: garbage collection .*minor \d+ \([\d.]+ ms\).*event loop's 10 ms timer p99 [\d.]+ ms/g,
    ),
  ).toHaveLength(2);
  for (const label of [
    'inbox page of 50 at 10/s',
    'raw SQL inbox page of 50 at 10/s',
    'status change at 10/s',
    'raw SQL status change at 10/s',
  ]) {
    expect(stdout).toMatch(new RegExp(`  ${label}: [\\d.]+ req/s .* errors 0 {3}\\(20 requests in`));
  }

  const perPage = /SQL statements per inbox page: first 10: (\d+), first 50: (\d+)/.exec(stdout);
  expect(perPage).not.toBeNull();
  expect(Number(perPage![2])).toBe(Number(perPage![1]));

  const plans = stdout.slice(stdout.indexOf('EXPLAIN (ANALYZE, BUFFERS)'));
  expect(plans).toMatch(/Execution Time: [\d.]+ ms/);
}, 160_000);
