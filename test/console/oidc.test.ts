/**
 * Signing in to the console with the partner organisations' identity provider, in Chromium through
 * the real pages, against a real OpenID provider on 127.0.0.1 (test/helpers/oidc-provider.ts):
 * authorization code with PKCE, the provider's JWT access tokens on the hub's GraphQL requests,
 * their renewal with the refresh token, signing out (revocation and the provider's end-session
 * page), and a provider account that no Maillage account is bound to. With a provider
 * (AUTH_JWKS_URL), and in production, the demo sign-in does not exist.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { seedDemo } from '../../prisma/seed/seed.ts';
import {
  expectAccessible,
  openConsole,
  screenshot,
  startConsoleHub,
  WAIT,
  type ConsoleHub,
  type ConsolePage,
} from '../helpers/console.ts';
import { startTestHub } from '../helpers/hub.ts';
import { CONSOLE_CLIENT_ID, listenOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts';

/**
 * Short-lived access tokens: the console renews a token a minute before it expires, so with
 * 10-second tokens it renews at each use, and the hub ends the live stream when the token it was
 * opened with expires, which the console answers with a renewed token.
 */
const ACCESS_TOKEN_TTL = 10;
const LEA = 'lea.hoffmann@office-social.example';
/** Léa's subject at the partner provider (bound to her account below). */
const LEA_SUBJECT = 'office-social|lea';
/** The demo's pending invitation (prisma/seed/demo-invitations.ts), and its invitee at the provider. */
const NADIA = 'nadia.benali@inter-actions.example';
const NADIA_SUBJECT = 'inter-actions|nadia';

let idp: TestOidcProvider;
let hub: ConsoleHub;
let leaName: string;

beforeAll(async () => {
  idp = await listenOidcProvider({ accessTokenTtl: ACCESS_TOKEN_TTL });
  hub = await startConsoleHub(idp.hubEnv);
  await idp.start(hub.base);
  const lea = await hub.t.db.prisma.user.update({
    where: { email: LEA },
    data: { subject: LEA_SUBJECT },
    select: { name: true },
  });
  leaName = lea.name;
}, 180_000);

afterAll(async () => {
  await hub?.close();
  await idp?.close();
});

interface TokenExchange {
  at: number;
  grantType: string;
  body: URLSearchParams;
  answer?: { access_token?: string; refresh_token?: string; id_token?: string; expires_in?: number };
}

/** What a page sent, and a way to wait until it has sent something (no fixed sleep). */
class Recorded {
  readonly exchanges: TokenExchange[] = [];
  readonly authorizations: string[] = [];
  readonly authorizationRequests: URL[] = [];
  readonly revocations: URLSearchParams[] = [];
  readonly socketInits: string[] = [];
  private readonly waiters = new Set<() => void>();

  changed(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves with what `found` returns once it returns something. */
  until<T>(what: string, found: () => T | undefined | null | false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = found();
        if (!value) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`never happened: ${what}`));
      }, WAIT);
      this.waiters.add(check);
      check();
    });
  }
}

/** Records what the page sends to the provider's token endpoint and to the hub. */
function watch(cp: ConsolePage): Recorded {
  const seen = new Recorded();
  cp.page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin === idp.issuer && url.pathname === '/auth') seen.authorizationRequests.push(url);
    if (req.method() === 'POST' && req.url() === idp.tokenEndpoint) {
      const body = new URLSearchParams(req.postData() ?? '');
      const exchange: TokenExchange = { at: Date.now(), grantType: body.get('grant_type') ?? '', body };
      seen.exchanges.push(exchange);
      void req
        .response()
        .then((res) => res?.json())
        .then((json: TokenExchange['answer']) => {
          exchange.answer = json;
          seen.changed();
        })
        .catch(() => undefined);
    }
    if (req.method() === 'POST' && req.url() === `${idp.issuer}/token/revocation`) {
      seen.revocations.push(new URLSearchParams(req.postData() ?? ''));
    }
    if (req.method() === 'POST' && url.origin === hub.base && url.pathname === '/graphql') {
      const auth = req.headers().authorization;
      if (auth) seen.authorizations.push(auth);
    }
    seen.changed();
  });
  cp.page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      const frame = String(f.payload);
      if (frame.includes('"connection_init"')) seen.socketInits.push(frame);
      seen.changed();
    });
  });
  return seen;
}

const providerButton = (page: Page) =>
  page.getByRole('button', { name: 'Se connecter avec le compte de votre organisation' });

/** On the provider's pages: signs in as `login` and allows the console if asked. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill('anything');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const allow = page.getByRole('button', { name: 'Allow' });
  // Back in the console (its address), or the provider asks for consent first.
  await allow.or(page.locator('#main-menu, .sign-in h1')).first().waitFor();
  if (await allow.isVisible()) await allow.click();
}

// In the page (strings: this file has no DOM types).
const storedSession = (page: Page) =>
  page.evaluate<string | null>(`localStorage.getItem('maillage.session')`);
const pendingSignIns = (page: Page) => page.evaluate<number>('sessionStorage.length');

describe('with a partner identity provider', () => {
  it(
    'the sign-in page offers the provider only: no demo users, no e-mail code',
    async () => {
      const config = (await (await fetch(`${hub.base}/console/config.json`)).json()) as Record<
        string,
        unknown
      >;
      expect(config).toMatchObject({
        demoSignIn: false,
        codeSignIn: false,
        oidc: {
          issuer: idp.issuer,
          clientId: CONSOLE_CLIENT_ID,
          scope: 'openid email profile offline_access',
        },
      });

      const cp = await openConsole(hub);
      const { page } = cp;
      await providerButton(page).waitFor();
      await page.locator('.sign-in footer').waitFor();
      expect(await page.locator('.demo-users').count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Recevoir un code par e-mail' }).count()).toBe(0);
      expect(await page.locator('input[type=email]').count()).toBe(0);
      await expectAccessible(page, 'sign-in page with an identity provider');
      await screenshot(page, 'sign-in-oidc');

      const en = await openConsole(hub, { locale: 'en-GB', viewport: { width: 390, height: 844 } });
      await en.page.getByRole('button', { name: "Sign in with your organisation's account" }).waitFor();
      await screenshot(en.page, 'sign-in-oidc-phone-en');

      expect(cp.problems).toEqual([]);
      expect(en.problems).toEqual([]);
      await cp.context.close();
      await en.context.close();
    },
    3 * WAIT,
  );

  it('the demo sign-in does not exist when the hub trusts a provider (AUTH_JWKS_URL)', async () => {
    const res = await fetch(`${hub.base}/console/demo-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: LEA }),
    });
    expect(res.status).toBe(404);
    expect((await fetch(`${hub.base}/console/demo-users`)).status).toBe(404);
  });

  it(
    'Léa signs in at the provider, works with its tokens, has them renewed, and signs out',
    async () => {
      const cp = await openConsole(hub);
      const { page } = cp;
      const seen = watch(cp);

      await providerButton(page).click();
      await signInAtProvider(page, LEA_SUBJECT);

      // Back in the console, signed in as Léa, no longer on /sign-in/callback.
      await page.locator('#main-menu').waitFor();
      await expect(page.locator('.who').innerText()).resolves.toContain(leaName);
      expect(new URL(page.url()).pathname).toBe('/');

      // The authorization request: code flow with PKCE (S256), state and nonce.
      const auth = seen.authorizationRequests[0]!.searchParams;
      expect(Object.fromEntries(auth)).toMatchObject({
        client_id: CONSOLE_CLIENT_ID,
        response_type: 'code',
        redirect_uri: `${hub.base}/sign-in/callback`,
        code_challenge_method: 'S256',
        scope: 'openid email profile offline_access',
      });
      expect(auth.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(auth.get('state')).toBeTruthy();
      expect(auth.get('nonce')).toBeTruthy();

      // The code was exchanged with its verifier; the verifier is not kept after the callback.
      const first = seen.exchanges[0]!;
      expect(first.grantType).toBe('authorization_code');
      expect(first.body.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
      expect(first.body.get('client_id')).toBe(CONSOLE_CLIENT_ID);
      expect(await pendingSignIns(page)).toBe(0);
      const firstAnswer = await seen.until('the code exchange answered', () => first.answer);
      expect(firstAnswer.refresh_token).toBeTruthy();
      expect(firstAnswer.id_token).toBeTruthy();

      // The hub's GraphQL requests carry the provider's access tokens: JWTs for the hub, about Léa.
      const bearer = await seen.until('a GraphQL request with a token', () => seen.authorizations[0]);
      const token = bearer.replace(/^Bearer /, '');
      const issued = () => seen.exchanges.map((e) => e.answer?.access_token);
      await seen.until('the token was issued by the provider', () => issued().includes(token));
      expect(decodeJwt(token)).toMatchObject({ iss: idp.issuer, aud: 'maillage-api', sub: LEA_SUBJECT });

      // The session kept: the provider's tokens.
      const session = JSON.parse((await storedSession(page))!) as Record<string, unknown>;
      expect(session).toMatchObject({ kind: 'oidc' });
      await seen.until('the stored token was issued by the provider', () =>
        issued().includes(session.token as string),
      );
      expect(typeof session.refreshToken).toBe('string');
      expect(typeof session.idToken).toBe('string');

      // After the access token of the live connection expires, the hub ends the stream and the
      // console renews the token with the refresh_token grant, then resumes, still signed in.
      const expiresAt = decodeJwt(token).exp! * 1000;
      const renewal = await seen.until('a refresh after the first token expired', () =>
        seen.exchanges.find((e) => e.grantType === 'refresh_token' && e.at >= expiresAt),
      );
      expect(renewal.body.get('client_id')).toBe(CONSOLE_CLIENT_ID);
      const renewed = await seen.until('the renewal answered', () => renewal.answer?.access_token);
      expect(renewed).not.toBe(token);
      expect(decodeJwt(renewed)).toMatchObject({ iss: idp.issuer, aud: 'maillage-api', sub: LEA_SUBJECT });
      await seen.until('a live connection with a renewed token', () =>
        seen.socketInits.slice(1).some((init) => issued().some((t) => t && t !== token && init.includes(t))),
      );
      await page.locator('.live.live-live').waitFor();
      await expect(page.locator('.who').innerText()).resolves.toContain(leaName);
      await screenshot(page, 'oidc-signed-in');

      // Opened again (a reload: the provider's code is not loaded yet), the console still renews.
      const reloadedAt = Date.now();
      await page.reload();
      await page.locator('#main-menu').waitFor();
      await expect(page.locator('.who').innerText()).resolves.toContain(leaName);
      await seen.until('a refresh after the reload', () =>
        seen.exchanges.find(
          (e) => e.grantType === 'refresh_token' && e.at >= reloadedAt && e.answer?.access_token,
        ),
      );
      await page.locator('.live.live-live').waitFor();

      // Signing out: the refresh token is revoked, the session forgotten, and the provider's own
      // session ended on its page (confirmed there), back to the console's sign-in page.
      const before = JSON.parse((await storedSession(page))!) as { refreshToken: string };
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL(`${hub.base}/`);
      await providerButton(page).waitFor();
      expect(seen.revocations.map((r) => r.get('token'))).toContain(before.refreshToken);
      expect(await storedSession(page)).toBeNull();
      const reuse = await fetch(idp.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: before.refreshToken,
          client_id: CONSOLE_CLIENT_ID,
        }),
      });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });

      // A new visit: the sign-in page; the provider asks to sign in again (its session ended).
      const again = await cp.context.newPage();
      await again.goto(`${hub.base}/`);
      await providerButton(again).click();
      await again.getByLabel('Login').waitFor();
      expect(again.url().startsWith(idp.issuer)).toBe(true);

      expect(cp.problems).toEqual([]);
      await cp.context.close();
    },
    3 * WAIT,
  );

  it(
    'an account of the provider that no Maillage account is bound to gets a plain message',
    async () => {
      const cp = await openConsole(hub);
      const { page } = cp;
      await providerButton(page).click();
      await signInAtProvider(page, 'office-social|nobody');
      const notice = page.getByText(
        /La connexion a échoué\u00a0: votre compte «\u00a0.+\u00a0» chez le fournisseur/,
      );
      await notice.waitFor();
      await expect(notice.innerText()).resolves.toMatch(/n'est encore lié à aucun compte Maillage/);
      // Still the sign-in page, usable; nothing kept.
      await providerButton(page).waitFor();
      await expect(providerButton(page).isEnabled()).resolves.toBe(true);
      expect(await storedSession(page)).toBeNull();
      expect(await pendingSignIns(page)).toBe(0);
      await expectAccessible(page, 'sign-in page, unbound provider account');
      await screenshot(page, 'sign-in-oidc-unbound');
      expect(cp.problems).toEqual([]);
      await cp.context.close();
    },
    3 * WAIT,
  );
  it(
    'an invited person signs in at the provider from the invitation link and comes back a member; the spent link binds no one else',
    async () => {
      const prisma = hub.t.db.prisma;
      // The demo's pending invitation: its code is only in the kept mail.
      const mail = await prisma.mailMessage.findFirstOrThrow({ where: { to: NADIA, kind: 'invitation' } });
      const code = /inv_[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
      expect(code).toBeDefined();
      const joinButton = (page: Page) =>
        page.getByRole('button', { name: 'Se connecter avec le compte de votre organisation pour accepter' });

      const cp = await openConsole(hub);
      const { page } = cp;
      await page.goto(`${hub.base}/join#code=${code}`);
      await joinButton(page).click();
      await signInAtProvider(page, NADIA_SUBJECT);
      await page.locator('#main-menu').getByRole('link', { name: 'Orientations' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      const nadia = await prisma.user.findUniqueOrThrow({
        where: { email: NADIA },
        include: { memberships: { include: { organisation: true } } },
      });
      expect(nadia.subject).toBe(NADIA_SUBJECT);
      expect(nadia.memberships.map((m) => [m.organisation.slug, m.roles])).toEqual([
        ['inter-actions', ['CASE_WORKER']],
      ]);
      // Nothing left in the tab: neither the sign-in's secrets nor the invitation's code.
      expect(await pendingSignIns(page)).toBe(0);
      expect(cp.problems).toEqual([]);
      await cp.context.close();

      // The same link, another provider account: refused in plain words, nothing bound or kept.
      const other = await openConsole(hub);
      await other.page.goto(`${hub.base}/join#code=${code}`);
      await joinButton(other.page).click();
      await signInAtProvider(other.page, 'inter-actions|someone-else');
      await other.page
        .getByText(/La connexion a échoué\u00a0: Cette invitation a déjà été acceptée/)
        .waitFor();
      expect(await storedSession(other.page)).toBeNull();
      expect(await pendingSignIns(other.page)).toBe(0);
      expect(await prisma.user.count({ where: { subject: 'inter-actions|someone-else' } })).toBe(0);
      expect(other.problems).toEqual([]);
      await other.context.close();
    },
    3 * WAIT,
  );

  it(
    'refusing at the provider shows its answer on the sign-in page',
    async () => {
      const cp = await openConsole(hub);
      const { page } = cp;
      await providerButton(page).click();
      await page.waitForURL((url) => url.origin === idp.issuer);
      await page.getByLabel('Login').fill(LEA_SUBJECT);
      await page.getByLabel('Password').fill('anything');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Refuse' }).click();
      await page
        .getByText(
          "La connexion a échoué : le fournisseur d'identité a refusé la connexion (The user refused.).",
        )
        .waitFor();
      await providerButton(page).waitFor();
      expect(await storedSession(page)).toBeNull();
      expect(cp.problems).toEqual([]);
      await cp.context.close();
    },
    3 * WAIT,
  );
});

describe('in production', () => {
  it('there is no demo sign-in, even with the demo data', async () => {
    const prod = await startTestHub({
      NODE_ENV: 'production',
      SECRETS_KEY: randomBytes(32).toString('base64'),
      WEBHOOK_ALLOW_LOOPBACK: 'false',
    });
    try {
      await seedDemo(prod.db.prisma);
      const base = prod.graphqlUrl.replace(/\/graphql$/, '');
      const res = await fetch(`${base}/console/demo-sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: LEA }),
      });
      expect(res.status).toBe(404);
      expect((await fetch(`${base}/console/demo-users`)).status).toBe(404);
      const config = (await (await fetch(`${base}/console/config.json`)).json()) as Record<string, unknown>;
      expect(config).toMatchObject({ demoSignIn: false, codeSignIn: true, oidc: null });
    } finally {
      await prod.close();
    }
  }, 120_000);
});
