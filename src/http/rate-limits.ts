/**
 * Request and connection limits, shared by HTTP and WebSocket: requests per minute (anonymous
 * ones per client address, the others per user or per API key), failed authentications per
 * address, open WebSocket connections per user and operations per connection. Rates are counted by
 * rate-limiter-flexible in this process's memory: behind a load balancer each instance counts its
 * own (N instances allow up to N times the limit; a shared store, e.g. its RateLimiterPostgres,
 * would make them exact). A refusal is a RATE_LIMITED error: HTTP 429 with Retry-After, close
 * code 4429 or an error on the subscription over WebSocket.
 */
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { SecretGuesses } from '../context.ts';
import type { Viewer } from '../modules/accounts/viewer.ts';
import type { Config } from '../shared/config.ts';
import { RATE_LIMITED } from './errors.ts';

/** graphql-ws close code for too many connections or requests (4000 + HTTP 429, its convention). */
export const CLOSE_TOO_MANY_REQUESTS = 4429;

/** Why a request is refused and when to come back. */
export interface Refusal {
  message: string;
  /** Seconds (HTTP Retry-After). */
  retryAfter: number;
}

type LimitConfig = Pick<
  Config,
  | 'RATE_LIMITS'
  | 'RATE_LIMIT_ADDRESS_PER_MINUTE'
  | 'RATE_LIMIT_USER_PER_MINUTE'
  | 'RATE_LIMIT_API_KEY_PER_MINUTE'
  | 'AUTH_FAILURES_PER_ADDRESS'
  | 'AUTH_FAILURE_WINDOW_S'
  | 'WS_CONNECTIONS_PER_USER'
  | 'WS_SUBSCRIPTIONS_PER_CONNECTION'
  | 'TRUSTED_PROXY_HOPS'
>;

/** One limiter per minute of `points`, or none when the limit is off (0). */
function perMinute(points: number, on: boolean): RateLimiterMemory | null {
  return on && points > 0 ? new RateLimiterMemory({ points, duration: 60 }) : null;
}

export class RateLimits {
  private readonly address: RateLimiterMemory | null;
  private readonly user: RateLimiterMemory | null;
  private readonly apiKey: RateLimiterMemory | null;
  private readonly authFailures: RateLimiterMemory | null;
  /** Open WebSocket connections by requester key. */
  private readonly connections = new Map<string, number>();

  constructor(private readonly config: LimitConfig) {
    const on = config.RATE_LIMITS;
    this.address = perMinute(config.RATE_LIMIT_ADDRESS_PER_MINUTE, on);
    this.user = perMinute(config.RATE_LIMIT_USER_PER_MINUTE, on);
    this.apiKey = perMinute(config.RATE_LIMIT_API_KEY_PER_MINUTE, on);
    this.authFailures =
      on && config.AUTH_FAILURES_PER_ADDRESS > 0
        ? new RateLimiterMemory({
            points: config.AUTH_FAILURES_PER_ADDRESS,
            duration: config.AUTH_FAILURE_WINDOW_S,
          })
        : null;
  }

  /** The client's address: the socket's peer, or the trusted proxies' X-Forwarded-For entry. */
  clientAddress(req: IncomingMessage): string {
    const hops = this.config.TRUSTED_PROXY_HOPS;
    const forwarded = req.headers['x-forwarded-for'];
    if (hops > 0 && typeof forwarded === 'string') {
      const chain = forwarded.split(',').map((a) => a.trim());
      const entry = chain[chain.length - hops];
      if (entry) return normaliseAddress(entry);
    }
    return normaliseAddress(req.socket.remoteAddress ?? 'unknown');
  }

  /** Counts one request of `viewer` (or, anonymous, of `address`); a refusal when over the limit. */
  async request(viewer: Viewer | null, address: string): Promise<Refusal | null> {
    const [limiter, key, who] =
      viewer === null
        ? [this.address, address, 'this address']
        : viewer.kind === 'user'
          ? [this.user, viewer.userId, 'this user']
          : [this.apiKey, viewer.apiClientId, 'this API key'];
    if (!limiter) return null;
    try {
      await limiter.consume(key);
      return null;
    } catch (res) {
      return refusal(res, `Too many requests from ${who}: at most ${limiter.points} a minute.`);
    }
  }

  /** A refusal when `address` failed to authenticate too often lately (checked before trying). */
  async authenticationBlocked(address: string): Promise<Refusal | null> {
    if (!this.authFailures) return null;
    const res = await this.authFailures.get(address);
    if (!res || res.consumedPoints < this.authFailures.points) return null;
    return refusal(res, 'Too many failed authentications from this address; try again later.');
  }

  /** Counts a failed authentication from `address`. */
  async authenticationFailed(address: string): Promise<void> {
    await this.authFailures?.penalty(address, 1);
  }

  /**
   * Counts an open WebSocket connection of `viewer` (anonymous: of `address`): a function that
   * closes it, or null when the requester has as many open as allowed.
   */
  openConnection(viewer: Viewer | null, address: string): (() => void) | null {
    const max = this.config.WS_CONNECTIONS_PER_USER;
    if (!this.config.RATE_LIMITS || max === 0) return () => undefined;
    const key =
      viewer === null
        ? `address:${address}`
        : viewer.kind === 'user'
          ? `user:${viewer.userId}`
          : `apiClient:${viewer.apiClientId}`;
    const open = this.connections.get(key) ?? 0;
    if (open >= max) return null;
    this.connections.set(key, open + 1);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.connections.get(key) ?? 1) - 1;
      if (left > 0) this.connections.set(key, left);
      else this.connections.delete(key);
    };
  }

  /** A refusal when a connection already runs `inFlight` operations, the new one included. */
  operationsRefused(inFlight: number): Refusal | null {
    const max = this.config.WS_SUBSCRIPTIONS_PER_CONNECTION;
    if (!this.config.RATE_LIMITS || max === 0 || inFlight <= max) return null;
    return {
      message: `Too many subscriptions on this connection: at most ${max}. Complete one, or open another connection.`,
      retryAfter: 1,
    };
  }
}

/** The GraphQL error for a refusal: code RATE_LIMITED, HTTP 429 with Retry-After. */
export function rateLimitedError(refusal: Refusal): GraphQLError {
  return new GraphQLError(refusal.message, {
    extensions: {
      code: RATE_LIMITED,
      retryAfter: refusal.retryAfter,
      http: { status: 429, headers: new Map([['retry-after', String(refusal.retryAfter)]]) },
    },
  });
}

function refusal(res: unknown, message: string): Refusal {
  if (!(res instanceof RateLimiterRes)) throw res;
  return { message, retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** "::ffff:10.0.0.1" and "10.0.0.1" are one client. */
function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * Wrong secrets typed by hand (a registration's manage token or code) from `address`: counted with
 * failed authentications, so that guessing is as slow as guessing tokens (Context.secretGuesses).
 */
export function secretGuessesOf(
  limits: Pick<RateLimits, 'authenticationBlocked' | 'authenticationFailed'>,
  address: string,
): SecretGuesses {
  return {
    blocked: async () => (await limits.authenticationBlocked(address))?.retryAfter ?? null,
    failed: () => limits.authenticationFailed(address),
  };
}
