/**
 * bench/catalogue runs small here (its own throw-away database, 2 s of load) so that it does not
 * rot: the hub starts, both sides answer without errors, and the figures and the plan are printed,
 * with the reads by id beside their floors (the hub answering { __typename }, node:http, Apollo).
 * The figures themselves are not asserted: they mean nothing on tiny data and a shared machine.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const exec = promisify(execFile);

it('bench/catalogue runs and prints its figures and plan', async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/catalogue.ts', '--smoke'], {
    timeout: 240_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  expect(stdout).toMatch(/data generation: [\d.]+ s/);
  expect(stdout).toMatch(/check: GraphQL and raw SQL return the same \d+ offers in the same order/);
  expect(stdout).toMatch(
    /GraphQL offers search: [\d.]+ req\/s {3}p50 [\d.]+ ms {3}p99 [\d.]+ ms {3}errors 0/,
  );
  expect(stdout).toMatch(
    /raw SQL, one statement: [\d.]+ req\/s {3}p50 [\d.]+ ms {3}p99 [\d.]+ ms {3}errors 0/,
  );
  expect(stdout).toMatch(/GraphQL \/ raw SQL throughput: \d+ %/);
  expect(stdout).toMatch(/GraphQL p99: [\d.]+ ms/);
  expect(stdout).toMatch(/SQL statements per GraphQL request: \d+/);
  const plan = stdout.slice(stdout.indexOf('EXPLAIN (ANALYZE, BUFFERS)'));
  expect(plan).toMatch(/Offer_search_idx/);
  expect(plan).toMatch(/Execution Time: [\d.]+ ms/);
  expect(stdout).toMatch(/check: node\(id\): GraphQL and raw SQL give the same answers for 5 inputs/);
  expect(stdout).toMatch(/check: organisation page: GraphQL and raw SQL give the same answers for 5 inputs/);
  // Each floor answered without errors, and its CPU was read from its own process.
  for (const floor of [
    'the hub answering \\{ __typename \\}',
    'node:http answering',
    'Apollo Server 5 \\+ graphql-js',
    'Apollo Server 5 as the hub runs it',
  ]) {
    const line = new RegExp(
      `floor: ${floor}.*: [\\d.]+ req/s {3}p50 [\\d.]+ ms {3}p99 [\\d.]+ ms {3}errors 0 .*\\n +CPU per request: ([\\d.]+) ms server`,
    ).exec(stdout);
    expect(line).not.toBeNull();
    expect(Number(line![1])).toBeGreaterThan(0);
  }
}, 250_000);
