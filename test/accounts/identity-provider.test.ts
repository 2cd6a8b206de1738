/**
 * With a partner identity provider (AUTH_JWKS_URL): accepting an invitation binds the `sub` of the
 * caller's token to the invited account, and the hub issues no token. A valid provider token
 * whose subject no account has yet is anonymous until then.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  AcceptInvitationDocument,
  RefreshSessionDocument,
  RequestSignInCodeDocument,
  SignInDocument,
  InviteMemberDocument,
  ViewerDocument,
} from '../../clients/generated/graphql.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { failed, keptCode, ok } from './helpers.ts';

const ISSUER = 'https://idp.partner.example';
let t: TestHub;
let s: Scenario;
let idp: http.Server;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  idp = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  t = await startTestHub({
    AUTH_JWKS_URL: `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks.json`,
    AUTH_ISSUER: ISSUER,
  });
  s = await seedScenario(t.db.prisma, t.config);
  await t.db.prisma.user.update({ where: { id: s.user.alice.id }, data: { subject: 'idp|alice' } });
});
afterAll(async () => {
  await t.close();
  idp.close();
});

function tokenFor(sub: string) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(t.config.AUTH_AUDIENCE)
    .setExpirationTime('5m')
    .sign(privateKey);
}

async function invite(email: string) {
  const res = await t.client(await tokenFor('idp|alice')).request(InviteMemberDocument, {
    input: { organisationId: s.org.alpha.globalId, email, roles: ['CASE_WORKER'] },
  });
  ok(res.inviteMember);
  return keptCode(t.db.prisma, email);
}

it('accepting binds the subject of the caller’s token to a new account; the hub issues no token', async () => {
  const code = await invite('ines@example.org');
  const mail = await t.db.prisma.mailMessage.findFirstOrThrow({ where: { to: 'ines@example.org' } });
  expect(mail.text).toContain('Vous vous connecterez avec le compte habituel de votre organisation');
  expect(mail.text).toContain(`/join#code=${code}`);

  const without = await t.client().request(AcceptInvitationDocument, { input: { code } });
  expect(failed(without.acceptInvitation, 'IdentityRequiredError').code).toBe('accounts/identity_required');

  // A valid token of the provider without an account: anonymous, not refused.
  const ines = await tokenFor('idp|ines');
  const before = await t.send(ViewerDocument, undefined, { token: ines });
  expect(before.status).toBe(200);
  expect(before.body.data?.viewer).toBeNull();

  const accepted = ok(
    (await t.client(ines).request(AcceptInvitationDocument, { input: { code, name: 'Inès' } }))
      .acceptInvitation,
  );
  expect(accepted).toMatchObject({ email: 'ines@example.org', roles: ['CASE_WORKER'], token: null });
  const viewer = await t.client(ines).request(ViewerDocument);
  expect(viewer.viewer).toMatchObject({
    email: 'ines@example.org',
    name: 'Inès',
    memberships: [{ roles: ['CASE_WORKER'], organisation: { slug: 'alpha' } }],
  });
});

it('an account bound to another subject is not taken over; an unbound one is bound', async () => {
  await t.db.prisma.user.update({ where: { id: s.user.bob.id }, data: { subject: 'idp|bob' } });
  const forBob = await invite('bob@beta.example');
  const mallory = await t.client(await tokenFor('idp|mallory')).request(AcceptInvitationDocument, {
    input: { code: forBob },
  });
  expect(mallory.acceptInvitation.__typename).toBe('InvitationForAnotherAccountError');
  expect(await t.db.prisma.user.count({ where: { subject: 'idp|mallory' } })).toBe(0);
  ok(
    (await t.client(await tokenFor('idp|bob')).request(AcceptInvitationDocument, { input: { code: forBob } }))
      .acceptInvitation,
  );

  // Hugo's account exists without a subject: his first provider token binds it.
  const forHugo = await invite('hugo@hub.example');
  const hugo = await tokenFor('idp|hugo');
  ok((await t.client(hugo).request(AcceptInvitationDocument, { input: { code: forHugo } })).acceptInvitation);
  expect((await t.client(hugo).request(ViewerDocument)).viewer?.id).toBe(s.user.hugo.globalId);
});

it('signing in, refreshing and signing out are the provider’s job: typed errors, no mail', async () => {
  const asked = await t
    .client()
    .request(RequestSignInCodeDocument, { input: { email: 'alice@alpha.example' } });
  expect(failed(asked.requestSignInCode, 'SignInByProviderError').code).toBe('accounts/sign_in_by_provider');
  expect(await t.db.prisma.mailMessage.count({ where: { kind: 'sign-in' } })).toBe(0);
  const refreshed = await t.client().request(RefreshSessionDocument, { input: { refreshToken: 'rt_x' } });
  failed(refreshed.refreshSession, 'SignInByProviderError');
  const signedIn = await t.client().request(SignInDocument, { input: { code: 'sin_x' } });
  failed(signedIn.signIn, 'SignInByProviderError');
});
