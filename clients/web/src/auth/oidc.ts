/**
 * Signing in with the partner organisations' identity provider: OpenID Connect, authorization
 * code with PKCE (S256), state and nonce, the console being a public client (no secret). Uses
 * oauth4webapi (discovery, the code exchange and its ID token checks, refresh, revocation).
 *
 *  1. `startOidcSignIn`: keeps the PKCE verifier, state and nonce in sessionStorage (this tab
 *     only) and goes to the provider's authorization endpoint.
 *  2. The provider sends the browser back to `/sign-in/callback`; `completeOidcSignIn` checks the
 *     answer (state, `iss`), forgets the verifier, exchanges the code at the token endpoint
 *     (a CORS request: the provider must allow the console's origin for this client), checks the
 *     ID token (nonce included), asks the hub who this is, and keeps the session
 *     `{kind: 'oidc', token, tokenExpiresAt, refreshToken, idToken}`.
 *  3. Access tokens are renewed with the refresh_token grant (`refreshOidcSession`, the session
 *     store's refresher for `oidc` sessions).
 *  4. `oidcSignOut`: revokes the refresh token at the provider (when it has a revocation
 *     endpoint), forgets the session, and ends the provider's session through its
 *     end_session_endpoint (RP-initiated logout) when it has one, which sends the browser back to
 *     the console's start page.
 *
 * Endpoints must be HTTPS, except on this computer (http://localhost, http://127.0.0.1: tests and
 * trials).
 */
import * as oauth from 'oauth4webapi';
import { ViewerDocument } from '../../../generated/graphql.ts';
import { request } from '../graphql/request.ts';
import { defineMessages, LOCALES, type Locale } from '../i18n/i18n.tsx';
import { consoleConfig, type OidcSettings } from './config.ts';
import { acceptPendingInvitation, forgetJoinCode, pendingJoinCode } from './join.ts';
import { sessions, type StoredSession } from './session.ts';

const PENDING_KEY = 'maillage.oidc.pending';
const CALLBACK_PATH = '/sign-in/callback';
/** A provider that does not say how long its access tokens last: assume this (seconds). */
const DEFAULT_TOKEN_SECONDS = 300;
const TIMEOUT_MS = 20_000;

const messages = defineMessages({
  fr: {
    unbound: (who: string) =>
      `votre compte «\u00a0${who}\u00a0» chez le fournisseur d'identité n'est encore lié à aucun compte Maillage. Demandez à l'administrateur de votre organisation dans Maillage de vous inviter, puis acceptez l'invitation.`,
    expired: 'cette connexion a expiré ou a déjà servi. Recommencez.',
    refused: (why: string) => `le fournisseur d'identité a refusé la connexion (${why}).`,
    unreachable: (why: string) => `le fournisseur d'identité ne répond pas (${why}).`,
    unexpected: (why: string) => `réponse inattendue du fournisseur d'identité (${why}).`,
  },
  de: {
    unbound: (who: string) =>
      `Ihr Konto „${who}“ beim Identitätsanbieter ist noch mit keinem Maillage-Konto verbunden. Bitten Sie die Administration Ihrer Organisation in Maillage um eine Einladung und nehmen Sie sie an.`,
    expired: 'Diese Anmeldung ist abgelaufen oder wurde bereits verwendet. Bitte erneut versuchen.',
    refused: (why: string) => `Der Identitätsanbieter hat die Anmeldung abgelehnt (${why}).`,
    unreachable: (why: string) => `Der Identitätsanbieter antwortet nicht (${why}).`,
    unexpected: (why: string) => `Unerwartete Antwort des Identitätsanbieters (${why}).`,
  },
  en: {
    unbound: (who: string) =>
      `your account "${who}" at the identity provider is not linked to a Maillage account yet. Ask your organisation's administrator in Maillage to invite you, then accept the invitation.`,
    expired: 'this sign-in has expired or was already used. Please start again.',
    refused: (why: string) => `the identity provider refused the sign-in (${why}).`,
    unreachable: (why: string) => `the identity provider does not answer (${why}).`,
    unexpected: (why: string) => `unexpected answer from the identity provider (${why}).`,
  },
});

/** The words in the page's language (set by the I18nProvider; these run outside React). */
function t() {
  const lang = document.documentElement.lang as Locale;
  return messages[LOCALES.includes(lang) ? lang : 'fr'];
}

/** What the callback needs, kept in this tab between leaving for the provider and coming back. */
interface Pending {
  issuer: string;
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The console page the user was on. */
  returnTo: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function options(issuer: string) {
  const url = new URL(issuer);
  return {
    [oauth.allowInsecureRequests]: url.protocol === 'http:' && LOOPBACK.has(url.hostname),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  };
}

const servers = new Map<string, Promise<oauth.AuthorizationServer>>();

/** The provider's metadata (/.well-known/openid-configuration), read once per page. */
function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  let server = servers.get(issuer);
  if (!server) {
    const url = new URL(issuer);
    server = oauth
      .discoveryRequest(url, { ...options(issuer), algorithm: 'oidc' })
      .then((res) => oauth.processDiscoveryResponse(url, res));
    server.catch(() => servers.delete(issuer));
    servers.set(issuer, server);
  }
  return server;
}

function client(settings: Pick<OidcSettings, 'clientId'>): oauth.Client {
  return { client_id: settings.clientId };
}

export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  const as = await discover(settings.issuer).catch(explain);
  if (!as.authorization_endpoint) throw new Error(t().unexpected('no authorization_endpoint'));
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const pending: Pending = {
    issuer: settings.issuer,
    clientId: settings.clientId,
    redirectUri: `${location.origin}${CALLBACK_PATH}`,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    codeVerifier,
    returnTo: location.pathname.startsWith('/sign-in')
      ? '/'
      : `${location.pathname}${location.search}${location.hash}`,
  };
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: pending.redirectUri,
    response_type: 'code',
    scope: settings.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ui_locales: document.documentElement.lang || 'fr',
  }).toString();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(url.href);
}

let completing: Promise<void> | null = null;

/**
 * On /sign-in/callback: the code for tokens, then the session (the console then shows the page
 * the user was on). Runs once per page even if asked twice.
 */
export function completeOidcSignIn(settings: OidcSettings): Promise<void> {
  completing ??= complete(settings);
  return completing;
}

async function complete(settings: OidcSettings): Promise<void> {
  const pending = readPending();
  // Used once: the verifier and state are not kept past the callback, whatever happens next.
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending || pending.issuer !== settings.issuer || pending.clientId !== settings.clientId) {
    throw new Error(t().expired);
  }
  try {
    const as = await discover(pending.issuer);
    const c = client(pending);
    const params = oauth.validateAuthResponse(as, c, new URL(location.href), pending.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      c,
      oauth.None(),
      params,
      pending.redirectUri,
      pending.codeVerifier,
      options(pending.issuer),
    );
    const result = await oauth.processAuthorizationCodeResponse(as, c, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    const session = toSession(result, null);
    // The hub knows this person only once their account is bound to the provider's subject:
    // accepting the invitation they came from (/join) binds it.
    let { viewer } = await request(ViewerDocument, {}, session.token);
    if (!viewer && pendingJoinCode()) {
      try {
        await acceptPendingInvitation(session.token);
      } catch (err) {
        // Refused (a wrong or spent code): not tried again at the next sign-in.
        forgetJoinCode();
        await revoke(as, c, session.refreshToken, pending.issuer);
        throw err;
      }
      ({ viewer } = await request(ViewerDocument, {}, session.token));
      pending.returnTo = '/';
    }
    if (!viewer) {
      await revoke(as, c, session.refreshToken, pending.issuer);
      const claims = oauth.getValidatedIdTokenClaims(result);
      const who = typeof claims?.email === 'string' ? claims.email : (claims?.sub ?? '');
      throw new Error(t().unbound(who));
    }
    history.replaceState(null, '', pending.returnTo);
    sessions.set(session);
  } catch (err) {
    explain(err);
  }
}

function readPending(): Pending | null {
  try {
    const raw = sessionStorage.getItem(PENDING_KEY);
    return raw ? (JSON.parse(raw) as Pending) : null;
  } catch {
    return null;
  }
}

function toSession(result: oauth.TokenEndpointResponse, previous: StoredSession | null): StoredSession {
  const seconds = typeof result.expires_in === 'number' ? result.expires_in : DEFAULT_TOKEN_SECONDS;
  return {
    kind: 'oidc',
    token: result.access_token,
    tokenExpiresAt: new Date(Date.now() + seconds * 1000).toISOString(),
    // Providers may or may not rotate refresh tokens: keep the one in use when none is new.
    refreshToken: result.refresh_token ?? previous?.refreshToken ?? null,
    idToken: result.id_token ?? previous?.idToken ?? null,
  };
}

/** Renews the access token with the refresh token (a refused one ends the session). */
export async function refreshOidcSession(s: StoredSession): Promise<StoredSession> {
  const settings = (await consoleConfig()).oidc;
  if (!settings || !s.refreshToken) throw new Error('No identity provider to renew the session with.');
  const as = await discover(settings.issuer);
  const c = client(settings);
  const response = await oauth.refreshTokenGrantRequest(
    as,
    c,
    oauth.None(),
    s.refreshToken,
    options(settings.issuer),
  );
  return toSession(await oauth.processRefreshTokenResponse(as, c, response), s);
}

// Also registered, lazily, by auth/session.ts (for a page opened on a provider session).
sessions.setRefresher('oidc', refreshOidcSession);

/**
 * Signs out: the refresh token revoked at the provider, the session forgotten here (every tab),
 * then the provider's own session ended (its page may ask to confirm), back to the start page.
 * The provider being out of reach does not keep anyone signed in here.
 */
export async function oidcSignOut(session: StoredSession): Promise<void> {
  let endSession: URL | null = null;
  try {
    const settings = (await consoleConfig()).oidc;
    if (settings) {
      const as = await discover(settings.issuer);
      await revoke(as, client(settings), session.refreshToken, settings.issuer);
      if (as.end_session_endpoint) {
        endSession = new URL(as.end_session_endpoint);
        endSession.searchParams.set('client_id', settings.clientId);
        endSession.searchParams.set('post_logout_redirect_uri', `${location.origin}/`);
        if (session.idToken) endSession.searchParams.set('id_token_hint', session.idToken);
        endSession.searchParams.set('ui_locales', document.documentElement.lang || 'fr');
      }
    }
  } catch {
    // Signed out here all the same.
  } finally {
    sessions.clear();
  }
  if (endSession) location.assign(endSession.href);
}

async function revoke(
  as: oauth.AuthorizationServer,
  c: oauth.Client,
  refreshToken: string | null | undefined,
  issuer: string,
): Promise<void> {
  if (!refreshToken || !as.revocation_endpoint) return;
  try {
    const response = await oauth.revocationRequest(as, c, oauth.None(), refreshToken, {
      ...options(issuer),
      additionalParameters: { token_type_hint: 'refresh_token' },
    });
    await oauth.processRevocationResponse(response);
  } catch {
    // The provider keeps it until it expires; it is forgotten here all the same.
  }
}

/** Rethrows an error of the exchange in plain words. */
function explain(err: unknown): never {
  const words = t();
  if (err instanceof oauth.AuthorizationResponseError || err instanceof oauth.ResponseBodyError) {
    if (err.error === 'invalid_grant') throw new Error(words.expired, { cause: err });
    throw new Error(words.refused(err.error_description ?? err.error), { cause: err });
  }
  if (err instanceof oauth.OperationProcessingError || err instanceof oauth.WWWAuthenticateChallengeError) {
    throw new Error(words.unexpected(err.message), { cause: err });
  }
  if (err instanceof TypeError || (err instanceof DOMException && err.name === 'TimeoutError')) {
    throw new Error(words.unreachable(err.message), { cause: err });
  }
  throw err;
}
