/**
 * A real OpenID provider for the console's sign-in tests: panva's oidc-provider (certified) on
 * 127.0.0.1, a port of its own. The console is a public client (no secret: authorization code with
 * PKCE) allowed to call the token and revocation endpoints from its origin (CORS); its access
 * tokens are JWTs for the hub (audience `maillage-api`, the hub's AUTH_AUDIENCE), signed with an RSA
 * key made here; refresh tokens are issued to it (rotated at each use, as for any public client).
 *
 * Sign-in and consent pages are this file's own (oidc-provider's development pages fetch a font
 * from the internet): any login name becomes the subject, the password is not checked.
 *
 * Two steps, because each side needs the other's address: `listenOidcProvider()` takes the port
 * (the issuer URL is known, for the hub's settings), `start(consoleOrigin)` registers the console.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/** The console's client id at the provider (the hub's OIDC_CLIENT_ID). */
export const CONSOLE_CLIENT_ID = 'maillage-console';
/** The hub's API as a resource indicator (RFC 8707): the access tokens' audience is the hub's. */
const RESOURCE = 'urn:maillage:api';

export interface TestOidcProvider {
  /** http://127.0.0.1:port (no trailing slash, as in the tokens' `iss`). */
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  /** The hub's settings for this provider. */
  hubEnv: Record<string, string>;
  /** Registers the console served at `consoleOrigin` and starts answering. */
  start(consoleOrigin: string): Promise<void>;
  close(): Promise<void>;
}

export interface OidcProviderOptions {
  /** Access tokens' lifetime, in seconds (default 300). */
  accessTokenTtl?: number;
  /** The tokens' audience (default the hub's default AUTH_AUDIENCE). */
  audience?: string;
}

// oidc-provider ships no type declarations (and @types/oidc-provider is not installed): what this
// file uses of it, typed here, and the module loaded by a specifier the typecheck does not follow.
interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(indicator: string, scope: string): void;
  save(): Promise<string>;
}
interface Interaction {
  uid: string;
  prompt: {
    name: string;
    details: {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
  };
  params: Record<string, unknown> & { client_id: string; scope?: string };
  session?: { accountId: string };
  grantId?: string;
}
interface ProviderClient {
  clientId: string;
  clientName?: string;
  redirectUris: string[];
  grantTypeAllowed(type: string): boolean;
}
interface KoaLikeContext {
  host: string;
  body: unknown;
  type: string;
  oidc?: { client?: ProviderClient };
}
interface OidcProvider {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  interactionDetails(req: http.IncomingMessage, res: http.ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    result: Record<string, unknown>,
    opts?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: {
    new (init: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  };
}
interface OidcProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: { InvalidTarget: new (description?: string) => Error };
}
const OIDC_PROVIDER: string = 'oidc-provider';

export async function listenOidcProvider(opts: OidcProviderOptions = {}): Promise<TestOidcProvider> {
  const accessTokenTtl = opts.accessTokenTtl ?? 300;
  const audience = opts.audience ?? 'maillage-api';
  let provider: OidcProvider | null = null;
  let handle: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;

  const server = http.createServer((req, res) => {
    if (!provider || !handle) {
      res.writeHead(503).end();
      return;
    }
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const interaction = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(pathname);
    if (!interaction) {
      handle(req, res);
      return;
    }
    interact(provider, req, res, interaction[2] ?? null).catch((err: unknown) => {
      if (!res.headersSent) page(res, 400, 'Sign-in problem', `<p>${escape(String(err))}</p>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jwksUri = `${issuer}/jwks`;

  return {
    issuer,
    jwksUri,
    tokenEndpoint: `${issuer}/token`,
    hubEnv: {
      AUTH_JWKS_URL: jwksUri,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CONSOLE_CLIENT_ID,
    },
    async start(consoleOrigin) {
      const mod = (await import(OIDC_PROVIDER)) as OidcProviderModule;
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      const key = { ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
      provider = new mod.default(issuer, {
        clients: [
          {
            client_id: CONSOLE_CLIENT_ID,
            client_name: 'Maillage console',
            application_type: 'web',
            token_endpoint_auth_method: 'none',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris: [`${consoleOrigin}/sign-in/callback`],
            post_logout_redirect_uris: [`${consoleOrigin}/`],
          },
        ],
        adapter: memoryAdapter(),
        jwks: { keys: [key] },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name'],
        },
        findAccount: (_ctx: unknown, sub: string) => ({
          accountId: sub,
          claims: () => ({ sub, name: sub, email: `${sub}@partner.example`, email_verified: true }),
        }),
        interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
        features: {
          devInteractions: { enabled: false },
          revocation: {
            enabled: true,
            allowedPolicy: (_ctx: unknown, client: ProviderClient, token: { clientId: string }) =>
              token.clientId === client.clientId,
          },
          rpInitiatedLogout: {
            enabled: true,
            logoutSource: (ctx: KoaLikeContext, form: string) => {
              ctx.type = 'html';
              ctx.body = html(
                'Sign out',
                `<h1>Sign out from the partner organisation?</h1>${form}
                 <button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
                 <button type="submit" form="op.logoutForm">No, stay signed in</button>`,
              );
            },
            postLogoutSuccessSource: (ctx: KoaLikeContext) => {
              ctx.type = 'html';
              ctx.body = html('Signed out', '<h1>You are signed out.</h1>');
            },
          },
          resourceIndicators: {
            enabled: true,
            defaultResource: () => RESOURCE,
            useGrantedResource: () => true,
            getResourceServerInfo: (_ctx: unknown, indicator: string) => {
              if (indicator !== RESOURCE) throw new mod.errors.InvalidTarget();
              return {
                scope: '',
                audience,
                accessTokenFormat: 'jwt',
                accessTokenTTL: accessTokenTtl,
                jwt: { sign: { alg: 'RS256' } },
              };
            },
          },
        },
        // Refresh tokens for the console whether or not `offline_access` survived: oidc-provider
        // keeps that scope only with prompt=consent; providers such as Keycloak issue them anyway.
        issueRefreshToken: (_ctx: unknown, client: ProviderClient) =>
          client.grantTypeAllowed('refresh_token'),
        clientBasedCORS: (_ctx: unknown, origin: string, client: ProviderClient) =>
          client.redirectUris.some((uri) => new URL(uri).origin === origin),
        renderError: (ctx: KoaLikeContext, out: Record<string, string>) => {
          ctx.type = 'html';
          ctx.body = html('Error', `<h1>Error</h1><pre>${escape(JSON.stringify(out, null, 2))}</pre>`);
        },
        ttl: {
          AccessToken: accessTokenTtl,
          AuthorizationCode: 60,
          IdToken: 3600,
          Interaction: 600,
          Session: 86_400,
          Grant: 86_400,
          RefreshToken: 86_400,
        },
      });
      handle = provider.callback();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Payload = Record<string, unknown>;

/**
 * The provider's storage (codes, tokens, sessions, grants): in memory, this provider's own, each
 * entry until it expires. (oidc-provider's built-in one is shared by every instance in a process,
 * and warns at each start.)
 */
function memoryAdapter() {
  const store = new Map<string, { model: string; payload: Payload; expiresAt: number }>();
  const live = (model: string, match: (payload: Payload) => boolean) => {
    for (const entry of store.values()) {
      if (entry.model === model && entry.expiresAt > Date.now() && match(entry.payload)) return entry.payload;
    }
    return undefined;
  };
  return class MemoryAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
      store.set(this.key(id), { model: this.model, payload: { ...payload }, expiresAt });
      return Promise.resolve();
    }
    find(id: string): Promise<Payload | undefined> {
      const entry = store.get(this.key(id));
      return Promise.resolve(entry && entry.expiresAt > Date.now() ? { ...entry.payload } : undefined);
    }
    findByUid(uid: string): Promise<Payload | undefined> {
      return Promise.resolve(live(this.model, (p) => p.uid === uid));
    }
    findByUserCode(userCode: string): Promise<Payload | undefined> {
      return Promise.resolve(live(this.model, (p) => p.userCode === userCode));
    }
    consume(id: string): Promise<void> {
      const entry = store.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      return Promise.resolve();
    }
    destroy(id: string): Promise<void> {
      store.delete(this.key(id));
      return Promise.resolve();
    }
    revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
      return Promise.resolve();
    }
  };
}

/** The sign-in and consent pages, and their answers. */
async function interact(
  provider: OidcProvider,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  action: string | null,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (req.method === 'GET' && action === null) {
    if (prompt.name === 'login') {
      return page(
        res,
        200,
        'Partner organisation: sign in',
        `<h1>Partner organisation: sign in</h1>
         <form method="post" action="/interaction/${uid}/login" autocomplete="off">
           <p><label>Login <input name="login" autocomplete="username" required autofocus></label></p>
           <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
           <p><button type="submit">Sign in</button></p>
         </form>`,
      );
    }
    const scopes = prompt.details.missingOIDCScope ?? [];
    return page(
      res,
      200,
      'Partner organisation: allow access',
      `<h1>Allow the Maillage console to use your account?</h1>
       <p>It asks for: ${escape(scopes.join(', ') || 'the access given before')}.</p>
       <form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
       <form method="post" action="/interaction/${uid}/abort"><button type="submit">Refuse</button></form>`,
    );
  }
  if (req.method !== 'POST') return page(res, 405, 'Not allowed', '<p>Not allowed.</p>');
  const form = new URLSearchParams(await readBody(req));
  if (action === 'login') {
    const login = form.get('login')?.trim();
    if (!login) return page(res, 400, 'Sign-in problem', '<p>A login is needed.</p>');
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
  }
  if (action === 'abort') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user refused.' },
      { mergeWithLastSubmission: false },
    );
  }
  const accountId = details.session?.accountId;
  if (!accountId) return page(res, 400, 'Sign-in problem', '<p>Sign in first.</p>');
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId, clientId: params.client_id });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function page(res: http.ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html(title, body));
}

function html(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title></head>
<body><main>${body}</main></body>
</html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
