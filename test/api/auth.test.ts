/**
 * Who is asking: JWTs (valid, expired, wrong issuer, wrong signature, partner JWKS), API keys
 * (use, revocation) and `viewer`.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  CreateApiClientDocument,
  RevokeApiClientDocument,
  ViewerApiClientDocument,
  ViewerDocument,
} from '../../clients/generated/graphql.ts';
import { currentSigningKey } from '../../src/modules/accounts/signing-keys.service.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
});
afterAll(() => t.close());

/** A token like the hub's own, with chosen claims and key. */
async function forge(opts: { sub: string; issuer?: string; expiresIn?: string; otherKey?: boolean }) {
  const key = await currentSigningKey(t.db.prisma);
  const signingKey = opts.otherKey
    ? (await generateKeyPair('EdDSA')).privateKey
    : (await import('jose')).importPKCS8(key.privateKey, 'EdDSA');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setSubject(opts.sub)
    .setIssuer(opts.issuer ?? t.config.AUTH_ISSUER)
    .setAudience(t.config.AUTH_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(await signingKey);
}

describe('bearer JWT', () => {
  it('without a token, viewer is null', async () => {
    const res = await t.send(ViewerDocument);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { viewer: null } });
  });

  it('a valid token gives the caller with memberships and roles', async () => {
    const data = await t.client(await s.token('alice')).request(ViewerDocument);
    expect(data.viewer).toMatchObject({
      email: 'alice@alpha.example',
      memberships: [{ roles: ['ORG_ADMIN', 'CATALOGUE_EDITOR'], organisation: { slug: 'alpha' } }],
    });
  });

  it.each([
    ['expired', { expiresIn: '-1m' }, 'Invalid token: expired.'],
    ['wrong issuer', { issuer: 'someone-else' }, 'Invalid token: iss claim rejected.'],
    ['wrong signature', { otherKey: true }, 'Invalid token: bad signature.'],
  ])('%s: 401 with a clear message', async (_name, claims, message) => {
    const token = await forge({ sub: s.user.alice.id, ...claims });
    const res = await t.send(ViewerDocument, undefined, { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toContain(message);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a disabled account or a garbage token is refused', async () => {
    for (const token of [await s.token('dora'), 'not-a-jwt']) {
      const res = await t.send(ViewerDocument, undefined, { token });
      expect(res.status).toBe(401);
    }
  });
});

describe('partner identity provider (AUTH_JWKS_URL)', () => {
  it('accepts tokens signed by the JWKS keys and maps `sub` to the user', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    const idp = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const port = (idp.address() as AddressInfo).port;
    const partner = await startTestHub({
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      AUTH_ISSUER: 'https://idp.partner.example',
    });
    try {
      const scenario = await seedScenario(partner.db.prisma, partner.config);
      await partner.db.prisma.user.update({
        where: { id: scenario.user.carol.id },
        data: { subject: 'idp|carol' },
      });
      const sign = (iss: string) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
          .setSubject('idp|carol')
          .setIssuer(iss)
          .setAudience(partner.config.AUTH_AUDIENCE)
          .setExpirationTime('5m')
          .sign(privateKey);
      const ok = await partner.send(ViewerDocument, undefined, {
        token: await sign('https://idp.partner.example'),
      });
      expect(ok.body.data?.viewer?.email).toBe('carol@alpha.example');
      const wrongIssuer = await partner.send(ViewerDocument, undefined, {
        token: await sign('https://evil.example'),
      });
      expect(wrongIssuer.status).toBe(401);
      // The hub's own tokens are not accepted when a partner provider is configured.
      const own = await partner.send(ViewerDocument, undefined, { token: await scenario.token('carol') });
      expect(own.status).toBe(401);
    } finally {
      await partner.close();
      idp.close();
    }
  });
});

describe('API keys', () => {
  it('an admin creates a key; it authenticates, records its use, and stops working once revoked', async () => {
    const alice = t.client(await s.token('alice'));
    const created = await alice.request(CreateApiClientDocument, {
      input: { organisationId: s.org.alpha.globalId, name: 'Partner CRM', scopes: ['CATALOGUE_READ'] },
    });
    if (created.createApiClient.__typename !== 'MutationCreateApiClientSuccess')
      throw new Error('not created');
    const { key, apiClient } = created.createApiClient.data;
    // The secret is base64url and may itself contain '_': take it by position, not by splitting.
    const [, prefix, secret] = /^mlg_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(key) ?? [];
    expect(prefix).toBe(apiClient.prefix);
    const stored = await t.db.prisma.apiClient.findUniqueOrThrow({ where: { prefix: apiClient.prefix } });
    expect(secret).toHaveLength(43);
    expect(stored.keyHash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(stored.keyHash).not.toContain(secret);

    const asClient = await t.send(ViewerApiClientDocument, undefined, { token: key });
    expect(asClient.body.data?.viewerApiClient).toMatchObject({
      name: 'Partner CRM',
      organisation: { slug: 'alpha' },
    });
    // The use is recorded beside the answer, not before it (the request does not wait for it):
    // wait for the row (a loaded CI machine answered first once).
    const end = Date.now() + 30_000;
    let used = await t.db.prisma.apiClient.findUniqueOrThrow({ where: { id: stored.id } });
    while (used.lastUsedAt === null && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      used = await t.db.prisma.apiClient.findUniqueOrThrow({ where: { id: stored.id } });
    }
    expect(used.lastUsedAt).not.toBeNull();

    const revoked = await alice.request(RevokeApiClientDocument, { input: { id: apiClient.id } });
    expect(revoked.revokeApiClient.__typename).toBe('MutationRevokeApiClientSuccess');
    const after = await t.send(ViewerApiClientDocument, undefined, { token: key });
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0]?.message).toContain('API key revoked.');
  });

  it('a wrong secret with a real prefix is refused', async () => {
    const alice = t.client(await s.token('alice'));
    const created = await alice.request(CreateApiClientDocument, {
      input: { organisationId: s.org.alpha.globalId, name: 'Second', scopes: ['REFERRALS_READ'] },
    });
    if (created.createApiClient.__typename !== 'MutationCreateApiClientSuccess')
      throw new Error('not created');
    const key = created.createApiClient.data.key;
    const forged = `${key.slice(0, -4)}AAAA`;
    expect((await t.send(ViewerApiClientDocument, undefined, { token: forged })).status).toBe(401);
  });

  it('only admins of the organisation may create keys; bad input is a typed error that writes nothing', async () => {
    const before = await t.db.prisma.apiClient.count();
    const carol = await t.client(await s.token('carol')).request(CreateApiClientDocument, {
      input: { organisationId: s.org.alpha.globalId, name: 'x', scopes: ['CATALOGUE_READ'] },
    });
    expect(carol.createApiClient).toMatchObject({ __typename: 'ForbiddenError', code: 'common/forbidden' });
    const bob = await t.client(await s.token('bob')).request(CreateApiClientDocument, {
      input: { organisationId: s.org.alpha.globalId, name: 'x', scopes: ['CATALOGUE_READ'] },
    });
    expect(bob.createApiClient.__typename).toBe('ForbiddenError');
    const invalid = await t.client(await s.token('alice')).request(CreateApiClientDocument, {
      input: { organisationId: s.org.alpha.globalId, name: '  ', scopes: [] },
    });
    expect(invalid.createApiClient).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'common/invalid_input',
    });
    const anonymous = await t.send(CreateApiClientDocument, {
      input: { organisationId: s.org.alpha.globalId, name: 'x', scopes: ['CATALOGUE_READ'] },
    });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.db.prisma.apiClient.count()).toBe(before);
  });
});
