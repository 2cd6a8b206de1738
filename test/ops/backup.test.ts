/**
 * `npm run backup` and `npm run restore` as an operator runs them: a backup of the embedded
 * default taken while the hub serves and a writer keeps posting messages (one snapshot: the
 * messages in the copy are a prefix of the writer's, each with its history event, the outbox
 * gapless), restored into an empty folder where a new hub serves the same data, its webhook secret
 * and signing key still working. Then what a restore refuses (a folder in use or holding a
 * database, a damaged, foreign or newer file: all before changing anything), a backup with no hub
 * running, `--force`, and a restore into an empty PostgreSQL database under another SECRETS_KEY.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  CreateWebhookDocument,
  OffersDocument,
  OrganisationsDocument,
  OrganisationWebhooksDocument,
  PostReferralMessageDocument,
  ReferralDetailDocument,
  ReferralInboxDocument,
  ViewerDocument,
} from '../../clients/generated/graphql.ts';
import { send } from '../../clients/sdk.ts';
import { BackupReader, type BackupHeader } from '../../src/shared/db/backup-format.ts';
import { LOCK_FILE } from '../../src/shared/db/data-folder.ts';
import { parseSecretsKey, SecretBox, secretPlace } from '../../src/shared/secrets.ts';
import { createTestDatabase } from '../helpers/pg.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';
import { Receiver, verifyMaillageWebhook } from '../webhooks/helpers.ts';

const run = promisify(execFile);
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

const ADMIN = 'sophie.weber@inter-actions.example';
const WRITER = 'marc.schmit@inter-actions.example';

let root: string;
let receiver: Receiver;
/** The hub's folder, then the restored one. */
let original: string;
let restored: string;
let backup: string;
let header: BackupHeader;
/** Before the backup: public counts, the webhook and its secret, the writer's referral, tokens. */
const before = { organisations: 0, offers: 0, webhookId: '', secret: '', slug: '', referralId: '' };
const tokens = { admin: '', writer: '' };
/** Messages the writer had posted when the backup started, and when it ended. */
const posted = { atStart: 0, atEnd: 0 };

const embeddedEnv = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: '', SECRETS_KEY: '' });
const hubEnv = (dataDir: string) => ({ ...embeddedEnv(dataDir), WEBHOOK_ALLOW_LOOPBACK: 'true' });

/** `npm run -s <script> -- …args` with `env` over ours; exit code and output, never a throw. */
async function npm(script: string, args: string[], env: Record<string, string>) {
  try {
    const out = await run('npm', ['run', '-s', script, '--', ...args], { env: { ...process.env, ...env } });
    return { code: 0, out: out.stdout, err: out.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

async function token(dataDir: string, email: string): Promise<string> {
  const issued = await npm('token', [email], embeddedEnv(dataDir));
  expect(issued.code).toBe(0);
  return issued.out.trim().split('\n').pop()!;
}

function stop(hub: HubProcess) {
  if (hub.child.exitCode === null) hub.child.kill('SIGTERM');
  return hub.exit;
}

async function startHub(dataDir: string): Promise<HubProcess> {
  const hub = await spawnHub(hubEnv(dataDir));
  cleanup.push(() => stop(hub));
  return hub;
}

/** Posts "writer 0", "writer 1"… one after another until stopped. */
function startWriter(graphql: string) {
  let count = 0;
  let stopped = false;
  const waiting: { n: number; resolve: () => void }[] = [];
  const done = (async () => {
    while (!stopped) {
      const input = { id: before.referralId, body: `writer ${count}` };
      const res = await send(graphql, PostReferralMessageDocument, { input }, { token: tokens.writer });
      expect(res.body.data?.postReferralMessage.__typename).toBe('MutationPostReferralMessageSuccess');
      count++;
      for (const w of waiting.filter((w) => count >= w.n)) w.resolve();
    }
  })();
  return {
    get count() {
      return count;
    },
    reached: (n: number) =>
      new Promise<void>((resolve) => (count >= n ? resolve() : waiting.push({ n, resolve }))),
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

async function publicCounts(url: string) {
  const orgs = await send(`${url}/graphql`, OrganisationsDocument, { first: 1 });
  const offers = await send(`${url}/graphql`, OffersDocument, { first: 1 });
  return {
    organisations: orgs.body.data!.organisations.totalCount,
    offers: offers.body.data!.offers.totalCount,
  };
}

/** The embedded server's URL of a data folder whose hub runs. */
async function serverUrl(dataDir: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(dataDir, 'embedded-db.json'), 'utf8')) as { url: string }).url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const rowsOf = (h: BackupHeader) => Object.fromEntries(h.tables.map((t) => [t.name, t.rows]));
const readHeader = async (file: string) => {
  const reader = await BackupReader.open(file);
  await reader.close();
  return reader.header;
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'maillage-backup-'));
  cleanup.push(() => rm(root, { recursive: true, force: true }));
  original = path.join(root, 'data');
  restored = path.join(root, 'restored');
  backup = path.join(root, 'maillage.gz');
  receiver = await Receiver.start();
  cleanup.push(() => receiver.close());
});

it('copies a running hub in one snapshot while it keeps writing', async () => {
  const hub = await startHub(original);
  const graphql = `${hub.url}/graphql`;
  tokens.admin = await token(original, ADMIN);
  tokens.writer = await token(original, WRITER);
  Object.assign(before, await publicCounts(hub.url));

  // A change over GraphQL: a webhook, whose secret is sealed at rest.
  const viewer = await send(graphql, ViewerDocument, undefined, { token: tokens.admin });
  const org = viewer.body.data!.viewer!.memberships[0]!.organisation;
  before.slug = org.slug;
  const created = await send(
    graphql,
    CreateWebhookDocument,
    { input: { organisationId: org.id, url: receiver.url, eventTypes: ['REFERRAL_MESSAGE_POSTED'] } },
    { token: tokens.admin },
  );
  const webhook = created.body.data!.createWebhook;
  if (webhook.__typename !== 'MutationCreateWebhookSuccess') throw new Error(JSON.stringify(webhook));
  before.webhookId = webhook.data.webhook.id;
  before.secret = webhook.data.secret;
  const outgoing = await send(graphql, ReferralInboxDocument, { box: 'OUTGOING' }, { token: tokens.writer });
  before.referralId = outgoing.body.data!.referrals.edges.find((e) => e.node.status !== 'DRAFT')!.node.id;

  const writer = startWriter(graphql);
  await writer.reached(3);
  posted.atStart = writer.count;
  const result = await npm('backup', [backup], embeddedEnv(original));
  posted.atEnd = writer.count;
  await writer.reached(posted.atEnd + 2);
  await writer.stop();

  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  expect(result.out).toMatch(/^Backed up \d+ rows of \d+ tables to .*maillage\.gz/);
  expect(result.out).toContain('secrets key');
  expect(posted.atEnd).toBeGreaterThan(posted.atStart); // the hub kept writing during the backup
  expect((await stat(backup)).mode & 0o777).toBe(0o600);
  header = await readHeader(backup);
  expect(header.secrets.key).toBe(readFileSync(path.join(original, 'secrets.key'), 'utf8').trim());
  expect(await stop(hub)).toBe(0);
}, 300_000);

it('restores into an empty folder, where a hub serves the same data', async () => {
  const result = await npm('restore', [backup], embeddedEnv(restored));
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  expect(result.out).toContain(`Restored ${header.tables.reduce((n, t) => n + t.rows, 0)} rows`);

  const hub = await startHub(restored);
  const graphql = `${hub.url}/graphql`;
  expect(await publicCounts(hub.url)).toEqual({ organisations: before.organisations, offers: before.offers });

  // A token signed before the backup still verifies; the webhook is there.
  const viewer = await send(graphql, ViewerDocument, undefined, { token: tokens.admin });
  expect(viewer.body.data?.viewer?.email).toBe(ADMIN);
  const hooks = await send(
    graphql,
    OrganisationWebhooksDocument,
    { slug: before.slug },
    { token: tokens.admin },
  );
  const ids = hooks.body.data!.organisation!.webhooks.edges.map((e) => e.node.id);
  expect(ids).toContain(before.webhookId);

  // One snapshot: the writer's messages in the copy are a prefix of what it posted, each with its
  // MESSAGE event, and the outbox is gapless. Its numbering resumes well past the copy's: the
  // numbers the old hub handed out after the backup never name new events.
  const detail = await send(
    graphql,
    ReferralDetailDocument,
    { id: before.referralId },
    { token: tokens.writer },
  );
  const referral = detail.body.data!.referral!;
  const written = referral.messages.map((m) => m.body).filter((b) => b.startsWith('writer '));
  expect(written).toEqual(written.map((_, i) => `writer ${i}`));
  expect(written.length).toBeGreaterThanOrEqual(posted.atStart);
  expect(written.length).toBeLessThanOrEqual(posted.atEnd);
  expect(referral.events.filter((e) => e.type === 'MESSAGE')).toHaveLength(referral.messages.length);
  const [outbox] = await query<{ value: string; max: string; count: string; min: string }>(
    await serverUrl(restored),
    `select (select value::text from "OutboxSequence") as value,
            max(seq)::text as max, min(seq)::text as min, count(*)::text as count from "OutboxEvent"`,
  );
  expect(Number(outbox!.count)).toBe(Number(outbox!.max) - Number(outbox!.min) + 1);
  expect(Number(outbox!.value)).toBeGreaterThanOrEqual(Number(outbox!.max) + 1_000_000);

  // The sealed secrets open: the new message is delivered under a new number, signed with the
  // webhook's secret (deliveries pending in the copy may come again), and a new token is signed
  // with the restored private key.
  const since = Date.now();
  const input = { id: before.referralId, body: 'after the restore' };
  await send(graphql, PostReferralMessageDocument, { input }, { token: tokens.writer });
  const isNew = (r: { eventId: string }) => Number(r.eventId) > Number(outbox!.value);
  await receiver.requests.waitFor((items) => items.some(isNew), 'a delivery of the new message');
  for (const r of receiver.requests.items.filter((r) => r.at >= since)) {
    expect(verifyMaillageWebhook(before.secret, r.headers, r.body)).toBe(true);
  }
  const fresh = await token(restored, ADMIN);
  const signed = await send(graphql, ViewerDocument, undefined, { token: fresh });
  expect(signed.body.data?.viewer?.email).toBe(ADMIN);

  // Never into a folder in use.
  const inUse = await npm('restore', [backup, '--force'], embeddedEnv(restored));
  expect(inUse.code).toBe(1);
  expect(inUse.err).toMatch(/^Restore failed: The data folder .* is already in use by another Maillage hub/);
  expect(await stop(hub)).toBe(0);
}, 300_000);

it('refuses a folder holding a database, and damaged, foreign or newer files, changing nothing', async () => {
  const expectRefused = async (file: string, dataDir: string, message: RegExp) => {
    const result = await npm('restore', [file], embeddedEnv(dataDir));
    expect({ code: result.code, err: result.err.trim() }).toEqual({
      code: 1,
      err: expect.stringMatching(message),
    });
    expect(result.err.trim().split('\n')).toHaveLength(1);
  };
  await expectRefused(
    backup,
    restored,
    /already holds a database: restore into a new folder .* or add --force/,
  );

  const fresh = path.join(root, 'never');
  const bytes = await readFile(backup);
  const truncated = path.join(root, 'truncated.gz');
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
  await expectRefused(truncated, fresh, /truncated\.gz is damaged \(.*\): it cannot be restored\.$/);
  const foreign = path.join(root, 'notes.gz');
  await writeFile(foreign, gzipSync('dear diary\n'));
  await expectRefused(foreign, fresh, /notes\.gz is not a Maillage backup\.$/);
  await expectRefused(path.join(root, 'missing.gz'), fresh, /There is no file .*missing\.gz\.$/);
  const lines = gunzipSync(bytes).toString('utf8').split('\n');
  const future = { ...header, migrations: [...header.migrations, '29991231000000_teleportation'] };
  lines[1] = JSON.stringify(future);
  const newer = path.join(root, 'newer.gz');
  await writeFile(newer, gzipSync(lines.join('\n')));
  await expectRefused(
    newer,
    fresh,
    /newer\.gz comes from a newer Maillage .*29991231000000_teleportation\): update Maillage/,
  );
  expect(existsSync(fresh)).toBe(false);
}, 300_000);

it('backs up with no hub running, and --force replaces a stopped hub’s database', async () => {
  const later = path.join(root, 'later.gz');
  const result = await npm('backup', [later], embeddedEnv(original));
  expect(result.code).toBe(0);
  expect(existsSync(path.join(original, LOCK_FILE))).toBe(false); // its own server, stopped again
  expect(rowsOf(await readHeader(later)).ReferralMessage).toBeGreaterThan(rowsOf(header).ReferralMessage!);

  const forced = await npm('restore', [backup, '--force'], embeddedEnv(original));
  expect(forced.code).toBe(0);
  const again = path.join(root, 'again.gz');
  expect((await npm('backup', [again], embeddedEnv(original))).code).toBe(0);
  expect(rowsOf(await readHeader(again))).toEqual(rowsOf(header));
}, 300_000);

it('restores into an empty PostgreSQL database, sealing the secrets with its SECRETS_KEY', async () => {
  const database = await createTestDatabase({ empty: true });
  cleanup.push(() => database.drop());
  const key = randomBytes(32).toString('base64');
  const env = { DATABASE_URL: database.url, SECRETS_KEY: key, DATA_DIR: path.join(root, 'unused') };
  const result = await npm('restore', [backup], env);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);

  const counts = await query<{ n: string }>(
    database.url,
    'select count(*)::text as n from "ReferralMessage"',
  );
  expect(Number(counts[0]!.n)).toBe(rowsOf(header).ReferralMessage);
  const box = new SecretBox(parseSecretsKey(key)!);
  const hooks = await query<{ id: string; secret: string }>(
    database.url,
    `select id::text, secret from "WebhookEndpoint" where url = '${receiver.url}'`,
  );
  expect(hooks.map((h) => box.open(h.secret, secretPlace.webhookSecret(h.id)))).toEqual([before.secret]);
  const keys = await query<{ kid: string; privateKey: string }>(
    database.url,
    'select kid, "privateKey" from "SigningKey"',
  );
  expect(keys.length).toBeGreaterThan(0);
  for (const k of keys) {
    expect(k.privateKey.startsWith(box.currentPrefix)).toBe(true);
    expect(() => box.open(k.privateKey, secretPlace.signingKey(k.kid))).not.toThrow();
  }

  const twice = await npm('restore', [backup], env);
  expect(twice.code).toBe(1);
  expect(twice.err).toMatch(/already holds tables .*: restore into a new, empty database\.$/m);
}, 300_000);
