/**
 * Bearer authentication: a JWT (the hub's own key, or a partner identity provider's JWKS) or an
 * API key. No token means an anonymous viewer; a bad token is an AuthenticationError (HTTP 401).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import type { Config } from '../../shared/config.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import type { Logger } from '../../shared/logger.ts';
import { apiKeyMatches, apiKeyPrefix, isApiKey } from './api-key.ts';
import { asUuid } from '../../shared/ids.ts';
import { viewerRow } from './accounts.sql.ts';
import { publicKeySet } from './signing-keys.service.ts';
import type { Viewer } from './viewer.ts';

/** The bearer credential was present but cannot be accepted. */
export class AuthenticationError extends Error {
  readonly code = 'auth/invalid_token';
  override name = 'AuthenticationError';
}

/**
 * A partner identity provider's valid token whose subject no account is bound to yet. The request
 * is anonymous, except that `acceptInvitation` binds the subject to the invited account.
 */
export class UnboundSubjectError extends AuthenticationError {
  override name = 'UnboundSubjectError';
  constructor(readonly subject: string) {
    super('Invalid token: no account is bound to this subject yet (accept your invitation first).');
  }
}

/** Records an API client's last use at most once a minute, to keep writes off the hot path. */
const LAST_USE_RESOLUTION_MS = 60_000;
/** The hub's public keys change only on rotation: re-read them at most this often. */
const KEY_SET_TTL_MS = 60_000;
/** Tokens verified with the key set in use, remembered at most (one per active session, roughly). */
const VERIFIED_TOKENS_MAX = 5_000;

/**
 * Tokens whose signature and claims were checked against one key set, with their payload: a
 * signature is verified once per token and key set, not on every request (Ed25519 took 10 % of a
 * status change's CPU, bench/referrals). A token's time claims are checked again on every use, and
 * who it names (disabled, session ended) is always read from the database.
 */
class VerifiedTokens {
  private readonly tokens = new LRUCache<string, JWTPayload>({
    max: VERIFIED_TOKENS_MAX,
    ttl: KEY_SET_TTL_MS,
  });
  private keys: JWTVerifyGetKey | undefined;

  constructor(private readonly onLookup: (hit: boolean) => void) {}

  /** The payload of a token verified with `keys`, while its `exp` and `nbf` still allow it. */
  get(keys: JWTVerifyGetKey, token: string): JWTPayload | undefined {
    if (keys !== this.keys) {
      // Another key set: what the last one verified may not hold with this one.
      this.tokens.clear();
      this.keys = keys;
    }
    const payload = this.tokens.get(token);
    const now = Math.floor(Date.now() / 1000);
    if (payload && (payload.exp === undefined || payload.exp > now) && (payload.nbf ?? 0) <= now) {
      this.onLookup(true);
      return payload;
    }
    this.onLookup(false);
    return undefined;
  }

  set(keys: JWTVerifyGetKey, token: string, payload: JWTPayload): void {
    if (keys === this.keys) this.tokens.set(token, payload);
  }
}

export class Authenticator {
  private remote: JWTVerifyGetKey | undefined;
  private local: { getKey: JWTVerifyGetKey; at: number } | undefined;
  /** Tokens already verified with the current key set. */
  private readonly verified: VerifiedTokens;

  constructor(
    private readonly prisma: PrismaClient,
    /** The token check's own statement (`accounts.sql.ts`). */
    private readonly sql: SqlRunner,
    private readonly config: Pick<
      Config,
      'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_JWKS_URL' | 'AUTH_TOKEN_TTL'
    >,
    private readonly logger: Logger,
    /** Each token lookup in the verified tokens: a hit saves a signature check. */
    onTokenLookup: (hit: boolean) => void = () => undefined,
  ) {
    this.verified = new VerifiedTokens(onTokenLookup);
    if (config.AUTH_JWKS_URL) this.remote = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL));
  }

  /** Resolves an `Authorization` header value to a viewer (null when absent). */
  async authenticate(authorization: string | undefined | null): Promise<Viewer | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AuthenticationError('Authorization must be "Bearer <token>".');
    const token = match[1];
    return isApiKey(token) ? this.fromApiKey(token) : this.fromJwt(token);
  }

  private async fromJwt(token: string): Promise<Viewer> {
    // Outside the try: a database that cannot give the key set is a database error (503), not a
    // bad token (401).
    const keys = await this.keys();
    let payload = this.verified.get(keys, token);
    if (!payload) {
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: this.config.AUTH_ISSUER,
          audience: this.config.AUTH_AUDIENCE,
          algorithms: this.remote ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['EdDSA'],
        }));
      } catch (err) {
        throw new AuthenticationError(`Invalid token: ${describeJoseError(err)}.`);
      }
      this.verified.set(keys, token, payload);
    }
    if (!payload.sub) throw new AuthenticationError('Invalid token: no subject.');
    const sessionId = !this.remote && typeof payload.sid === 'string' ? asUuid(payload.sid) : null;
    // The hub's own tokens carry the user's id; a partner provider's carry its own subject.
    const user = await viewerRow(
      this.sql,
      this.remote ? { subject: payload.sub } : { id: asUuid(payload.sub) },
      sessionId,
    );
    if (!user && this.remote) throw new UnboundSubjectError(payload.sub);
    if (!user || user.disabledAt) throw new AuthenticationError('Invalid token: unknown or disabled user.');
    if (sessionId && !user.sessionLive) throw new AuthenticationError('Invalid token: session ended.');
    const roles = new Map<string, Set<Role>>(
      user.memberships.map((m) => [m.organisationId, new Set(m.roles)]),
    );
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      roles,
      hubAdmin: user.memberships.some((m) => m.roles.includes('HUB_ADMIN')),
      ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
    };
  }

  private async fromApiKey(key: string): Promise<Viewer> {
    const prefix = apiKeyPrefix(key);
    const client = prefix ? await this.prisma.apiClient.findUnique({ where: { prefix } }) : null;
    if (!client || !apiKeyMatches(key, client.keyHash)) {
      throw new AuthenticationError('Invalid API key.');
    }
    if (client.revokedAt) throw new AuthenticationError('API key revoked.');
    if (client.expiresAt && client.expiresAt <= new Date()) {
      throw new AuthenticationError('API key expired.');
    }
    const now = new Date();
    if (!client.lastUsedAt || now.getTime() - client.lastUsedAt.getTime() > LAST_USE_RESOLUTION_MS) {
      this.prisma.apiClient
        .update({ where: { id: client.id }, data: { lastUsedAt: now } })
        .catch((err: unknown) => this.logger.warn({ err }, 'could not record API key use'));
    }
    return {
      kind: 'apiClient',
      apiClientId: client.id,
      organisationId: client.organisationId,
      scopes: new Set(client.scopes),
    };
  }

  private async keys(): Promise<JWTVerifyGetKey> {
    if (this.remote) return this.remote;
    if (!this.local || Date.now() - this.local.at > KEY_SET_TTL_MS) {
      this.local = {
        getKey: createLocalJWKSet(await publicKeySet(this.prisma, this.config.AUTH_TOKEN_TTL)),
        at: Date.now(),
      };
    }
    return this.local.getKey;
  }
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `${err.claim} claim rejected`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'unknown signing key';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return 'malformed';
  return 'could not be verified';
}
