/**
 * bench/realtime runs small here (50 subscribers, 20 changes/s for 5 s, its own throw-away
 * database) so that it does not rot: the hub starts, every subscriber connects and hears of its
 * organisations' changes, and the figures are printed. Timings and memory are not asserted: they
 * mean nothing at this size on a shared machine. What is asserted is delivery itself: every
 * subscriber received exactly the notices of its organisations' referrals, once each, in order.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const exec = promisify(execFile);

it('bench/realtime runs, prints its figures, and loses, repeats or reorders no notice', async () => {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'bench/realtime.ts', '--smoke'], {
    timeout: 150_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  expect(stdout).toMatch(/data generation: [\d.]+ s/);
  expect(stdout).toMatch(/subscribers: 50 open graphql-ws connections of 50/);
  expect(stdout).toMatch(/connect: 50 in [\d.]+ s .*failures 0/);
  expect(stdout).toMatch(
    /hub RSS: [\d.]+ MB before, [\d.]+ MB with 50 idle subscribed connections: -?[\d.]+ KB per connection/,
  );
  expect(stdout).toMatch(/hub CPU idle with 50 connections: \d+ % of a core/);
  expect(stdout).toMatch(/priming: \d+ changes .* every subscriber received a notice/);
  expect(stdout).toMatch(
    /load: \d+ changes due at 20\/s .* [\d.]+ changes\/s achieved; .*errors 0; skipped \d+/,
  );
  expect(stdout).toMatch(/notices delivered: \d+ in [\d.]+ s: \d+\/s/);
  expect(stdout).toMatch(
    /latency commit → receipt: p50 [\d.]+ ms {3}p95 [\d.]+ ms {3}p99 [\d.]+ ms {3}max [\d.]+ ms/,
  );
  expect(stdout).toMatch(/latency notice\.at → receipt: p50 [\d.]+ ms/);
  expect(stdout).toMatch(/hub CPU under load: \d+ % of a core/);
  expect(stdout).toMatch(/load generator \(this process, 50 sockets\): \d+ % of a core/);

  const delivery =
    /delivery: lost (\d+) {3}duplicates (\d+) {3}out of order (\d+) {3}unexpected (\d+) {3}\(expected (\d+) notices over 50 subscribers including priming, received (\d+)\); subscription errors and closes (\d+)/.exec(
      stdout,
    );
  expect(delivery).not.toBeNull();
  const [, lost, duplicates, outOfOrder, unexpected, expected, received, problems] = delivery!.map(Number);
  expect({ lost, duplicates, outOfOrder, unexpected, problems }).toEqual({
    lost: 0,
    duplicates: 0,
    outOfOrder: 0,
    unexpected: 0,
    problems: 0,
  });
  expect(expected).toBeGreaterThan(0);
  expect(received).toBe(expected);
}, 160_000);
