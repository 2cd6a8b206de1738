/**
 * Secrets at rest (issue 9): webhook secrets and the hub's token-signing private keys are sealed
 * with SECRETS_KEY (a database dump holds neither in clear, older clear rows included once a hub
 * starts); `npm run secrets:rotate` re-seals every row with a new key in one transaction; retired
 * signing keys leave the JWKS once no token they signed can still be valid; production refuses to
 * start without a key.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { exportPKCS8, generateKeyPair } from 'jose';
import {
  CreateWebhookDocument,
  RotateWebhookSecretDocument,
  ViewerDocument,
} from '../../clients/generated/graphql.ts';
import { send } from '../../clients/sdk.ts';
import { updateOfferCapacity } from '../../src/modules/catalogue/offer.service.ts';
import { startHub } from '../../src/server.ts';
import { createLogger } from '../../src/shared/logger.ts';
import {
  DEV_KEY_FILE,
  generateSecretsKey,
  parseSecretsKey,
  SecretBox,
  secretBoxFor,
  secretPlace,
} from '../../src/shared/secrets.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { Receiver, verifyMaillageWebhook, viewers } from '../webhooks/helpers.ts';

const run = promisify(execFile);
const KEY1 = generateSecretsKey();
const KEY2 = generateSecretsKey();
const prefixOf = (key: string) => new SecretBox(parseSecretsKey(key)!).currentPrefix;

let t: TestHub;
let s: Scenario;
let alice: string;
let receiver: Receiver;
let offers: Awaited<ReturnType<typeof seedAlphaCatalogue>>['offers'];
let dataDir: string;
/** Every secret handed out, and the legacy ones written in clear. */
const clear: string[] = [];
const endpoints: { dbId: string; secret: () => string }[] = [];
let free = 1;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-secrets-'));
  t = await startTestHub({
    SECRETS_KEY: KEY1,
    DATA_DIR: dataDir,
    WEBHOOK_RETRY_BASE_MS: '50',
    OUTBOX_POLL_MS: '100',
  });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  offers = (await seedAlphaCatalogue(t.db.prisma, s)).offers;
  alice = await s.token('alice');
  receiver = await Receiver.start(200);
});
afterAll(async () => {
  await receiver.close();
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What `pg_dump` would show of the two tables: every column of every row. */
async function dump(): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ row: string }>(
    `select row_to_json(w)::text as row from "WebhookEndpoint" w
     union all select row_to_json(k)::text from "SigningKey" k`,
  );
  return rows.map((r) => r.row);
}

async function sealedColumns() {
  const { rows } = await t.db.pool.query<{ value: string }>(
    `select secret as value from "WebhookEndpoint" union all select "privateKey" from "SigningKey"
     union all select "codeSealed" from "EditionInvitation"`,
  );
  return rows.map((r) => r.value);
}

/** An offer change every endpoint hears; resolves once the receiver has it from each of them. */
async function deliveredToAll(): Promise<void> {
  free = (free % 9) + 1;
  await updateOfferCapacity(t.db.prisma, viewers(s).alice, offers.shelter.id, { free });
  const head = await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } });
  const eventId = head.value.toString();
  t.hub.outbox.poke();
  await receiver.requests.waitFor(
    (items) => items.filter((r) => r.eventId === eventId && r.answered === 200).length >= endpoints.length,
    `event ${eventId} at every endpoint`,
  );
  // Each endpoint signs with its own secret, as handed out.
  const got = receiver.requests.items.filter((r) => r.eventId === eventId);
  for (const e of endpoints) {
    expect([e.dbId, got.some((r) => verifyMaillageWebhook(e.secret(), r.headers, r.body))]).toEqual([
      e.dbId,
      true,
    ]);
  }
}

function rotate(env: Record<string, string>, args: string[] = []) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/secrets-rotate.ts', ...args], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.database.url, DATA_DIR: dataDir, ...env },
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  );
}

describe('at rest', () => {
  it('a dump holds no webhook secret and no private key in clear, older clear rows included', async () => {
    // Created and rotated through the API.
    const res = await t.client(alice).request(CreateWebhookDocument, {
      input: { organisationId: s.org.alpha.globalId, url: receiver.url, eventTypes: ['OFFER_CHANGED'] },
    });
    if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess') throw new Error('create');
    const id = res.createWebhook.data.webhook.id;
    clear.push(res.createWebhook.data.secret);
    const rotated = await t.client(alice).request(RotateWebhookSecretDocument, { input: { id } });
    if (rotated.rotateWebhookSecret.__typename !== 'MutationRotateWebhookSecretSuccess')
      throw new Error('rotate');
    const current = rotated.rotateWebhookSecret.data.secret;
    clear.push(current);
    endpoints.push({ dbId: decodeGlobalID(id).id, secret: () => current });

    // Rows written in clear before this version: an endpoint, and a retired signing key.
    const head = await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } });
    const legacySecret = 'whsec_legacy0000000000000000000000000000000000';
    const legacy = await t.db.prisma.webhookEndpoint.create({
      data: {
        organisationId: s.org.alpha.id,
        url: receiver.url,
        secret: legacySecret,
        eventTypes: ['offer.changed'],
        startSeq: head.value,
      },
    });
    endpoints.push({ dbId: legacy.id, secret: () => legacySecret });
    const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    await t.db.prisma.signingKey.create({
      // Retired long ago: not in the JWKS any more.
      data: { kid: 'legacy-key', privateKey: pem, publicJwk: {}, retiredAt: new Date('2025-01-01') },
    });
    clear.push(legacySecret, pem.split('\n')[1]!);
    expect((await dump()).join('\n')).toContain(legacySecret);

    // A hub (re)starting on the database seals them.
    const logger = createLogger('silent');
    const again = await startHub({ config: t.config, db: t.db, logger });
    await again.stop();

    const rows = await dump();
    expect(rows.length).toBeGreaterThanOrEqual(4); // 2 endpoints, the hub's key, the legacy key
    for (const row of rows) {
      expect(row).not.toMatch(/whsec_|PRIVATE KEY/);
      for (const secret of clear) expect(row).not.toContain(secret);
    }
    for (const value of await sealedColumns()) expect(value.startsWith(prefixOf(KEY1))).toBe(true);

    // And everything still works: deliveries are signed with the secrets handed out, tokens verify.
    await deliveredToAll();
    expect((await t.client(await s.token('bob')).request(ViewerDocument)).viewer).toMatchObject({
      email: 'bob@beta.example',
    });
  });
});

describe('npm run secrets:rotate', () => {
  it('re-seals every row with the new key in one transaction, or changes nothing', async () => {
    // An event edition's registration code, sealed with the current key as organisers create it.
    const event = await t.db.prisma.event.create({
      data: { slug: 'rotation', organisationId: s.org.alpha.id, name: { fr: 'Rotation' } },
    });
    const day = new Date('2030-01-01T09:00:00Z');
    const edition = await t.db.prisma.eventEdition.create({
      data: {
        slug: 'rotation-2030',
        eventId: event.id,
        organisationId: s.org.alpha.id,
        title: { fr: 'R' },
        startsAt: day,
        endsAt: day,
      },
    });
    const place = secretPlace.editionCode(edition.id, s.org.beta.id);
    await t.db.prisma.editionInvitation.create({
      data: {
        editionId: edition.id,
        organisationId: s.org.beta.id,
        codeHash: 'rotation-code-hash',
        codeSealed: new SecretBox(parseSecretsKey(KEY1)!).seal('evc_rotation', place),
        expiresAt: day,
      },
    });
    const before = await sealedColumns();
    // A key that opens nothing here: refused, nothing changed.
    const wrong = await rotate({ SECRETS_KEY: KEY2, SECRETS_KEY_OLD: generateSecretsKey() });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/sealed with key \w{8}, which is not configured/);
    expect(await sealedColumns()).toEqual(before);

    const done = await rotate({ SECRETS_KEY: KEY2, SECRETS_KEY_OLD: KEY1 });
    expect(done).toMatchObject({ code: 0 });
    expect(done.stderr).toContain(
      `Re-sealed with key ${new SecretBox(parseSecretsKey(KEY2)!).keyId}: 2 webhook secret(s), 2 signing key(s), 1 event registration code(s).`,
    );
    const after = await sealedColumns();
    for (const value of after) expect(value.startsWith(prefixOf(KEY2))).toBe(true);
    const code = await t.db.prisma.editionInvitation.findFirstOrThrow({ where: { editionId: edition.id } });
    expect(new SecretBox(parseSecretsKey(KEY2)!).open(code.codeSealed, place)).toBe('evc_rotation');
    for (const row of await dump()) for (const secret of clear) expect(row).not.toContain(secret);

    // Hubs restarted with the new key go on as before: same webhook secrets, same signing key.
    const logger = createLogger('silent');
    const restarted = await startHub({ config: { ...t.config, SECRETS_KEY: KEY2 }, db: t.db, logger });
    try {
      await deliveredToAll();
      const token = await s.token('carol');
      const viewer = await send(`${restarted.url}/graphql`, ViewerDocument, {}, { token });
      expect(viewer.body.data?.viewer).toMatchObject({ email: 'carol@alpha.example' });
    } finally {
      await restarted.stop();
    }
    // Run again: nothing left to do.
    expect((await rotate({ SECRETS_KEY: KEY2 })).stderr).toContain(
      ': 0 webhook secret(s), 0 signing key(s), 0 event registration code(s).',
    );
  });
});

describe('the JWKS', () => {
  it('drops a retired signing key once no token it signed can still be valid', async () => {
    const jwks = async () => {
      const res = await fetch(`${t.hub.url}/.well-known/jwks.json`);
      return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    };
    const [first] = await jwks();
    expect(await jwks()).toEqual([first]); // not the legacy key, retired long ago
    const rotated = await rotate({ SECRETS_KEY: KEY2 }, ['--signing-key']);
    expect(rotated).toMatchObject({ code: 0 });
    const current = await t.db.prisma.signingKey.findFirstOrThrow({ where: { retiredAt: null } });
    expect(rotated.stderr).toContain(`Signing key ${current.kid} is current; retired ${first}`);
    // Retired now: tokens it signed may live AUTH_TOKEN_TTL more.
    expect(await jwks()).toEqual([current.kid, first]);
    await t.db.pool.query(
      `update "SigningKey" set "retiredAt" = now() - make_interval(secs => $1) where kid = $2`,
      [t.config.AUTH_TOKEN_TTL - 5, first],
    );
    expect(await jwks()).toEqual([current.kid, first]);
    await t.db.pool.query(
      `update "SigningKey" set "retiredAt" = now() - make_interval(secs => $1) where kid = $2`,
      [t.config.AUTH_TOKEN_TTL + 1, first],
    );
    expect(await jwks()).toEqual([current.kid]);
  });
});

describe('without SECRETS_KEY', () => {
  it('production refuses to start', async () => {
    const started = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: t.database.url,
        PORT: '0',
        SECRETS_KEY: '',
      },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(started.code).toBe(1);
    expect(started.stderr).toContain('SECRETS_KEY: required in production');
  });

  it('development keeps a random key in DATA_DIR, says so, and every process uses that one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-devkey-'));
    try {
      const warnings: string[] = [];
      const config = {
        NODE_ENV: 'development' as const,
        dataDir: dir,
        SECRETS_KEY: undefined,
        SECRETS_KEY_OLD: undefined,
      };
      const first = secretBoxFor(config, (m) => warnings.push(m));
      const second = secretBoxFor(config, (m) => warnings.push(m));
      expect(first.keyId).toBe(second.keyId);
      const file = path.join(dir, DEV_KEY_FILE);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(warnings[0]).toContain(
        `SECRETS_KEY is not set: secrets at rest are sealed with the development key in ${file} (just created)`,
      );
      expect(second.open(first.seal('whsec_x', 'here'), 'here')).toBe('whsec_x');
      expect(() => second.open(first.seal('whsec_x', 'here'), 'elsewhere')).toThrow(/does not open/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
