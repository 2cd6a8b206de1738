/**
 * Every environment variable the hub reads, declared and validated in one place.
 * A bad value stops start-up with a message that names the variable.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** The one OTLP transport the hub's exporter speaks (src/shared/tracing.ts). */
const otlpProtocol = z.literal('http/protobuf', {
  error: 'must be http/protobuf (OTLP over HTTP, usually port 4318)',
});
const secretsKey = z
  .string()
  .trim()
  .regex(
    /^[0-9a-fA-F]{64}$|^[A-Za-z0-9+/_-]{43}=?$/,
    'must be 32 bytes, base64 or hex (openssl rand -base64 32)',
  );

/** The hub's statement timeout when the environment does not set one (also `openDatabase`'s). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
/** The hub's lock timeout when the environment does not set one (also `openDatabase`'s). */
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
/**
 * The planner's cost of a page read out of order, relative to one read in sequence (PostgreSQL's
 * own default, 4, is a spinning disk's). The hub's working set lives in memory or on SSD, where the
 * usual advice is 1.1: with 4, the inbox page looked up each sender by scanning the whole
 * organisation table instead of its primary key (docs/NOTES.md). Also `openDatabase`'s default and
 * the benchmarks' raw SQL baselines'.
 */
export const DEFAULT_RANDOM_PAGE_COST = 1.1;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HTTP and WebSocket port. 0 picks a free one (tests). */
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL connection string. Without it the hub runs on embedded PostgreSQL in DATA_DIR (src/shared/db/embedded.ts). */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  /**
   * The server itself, when DATABASE_URL is a transaction pooler (PgBouncer `pool_mode =
   * transaction`): what needs one session goes there (the outbox tail's LISTEN, migrations, the
   * `npm run` commands). Default: DATABASE_URL. When it differs, the hub sends no session setting
   * through DATABASE_URL: its statement timeout must be the role's default (README, pooler).
   */
  DATABASE_DIRECT_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_POOL_MAX: int(1, 200).default(10),
  /**
   * How long a starting hub waits for an unreachable PostgreSQL (refused, starting up), in
   * seconds, logging while it waits; 0: as long as it takes (an orchestrator decides).
   */
  DATABASE_WAIT_S: int(0, 86_400).default(0),
  /**
   * How long a change waits for a row another transaction holds before it gives up with
   * DATABASE_BUSY (503, retry), in ms. 0: as long as the statement timeout allows.
   */
  DATABASE_LOCK_TIMEOUT_MS: int(0, 3_600_000).default(DEFAULT_LOCK_TIMEOUT_MS),
  /**
   * PostgreSQL's `random_page_cost` for the hub's connections (see DEFAULT_RANDOM_PAGE_COST).
   * Through a pooler the server's own setting applies.
   */
  DATABASE_RANDOM_PAGE_COST: z.coerce.number().min(0.1).max(1000).default(DEFAULT_RANDOM_PAGE_COST),
  /** Where the embedded database lives when DATABASE_URL is not set. */
  DATA_DIR: z.string().min(1).default('./.data'),
  /** Apply pending migrations (in a separate process) before the server starts. */
  MIGRATE_ON_START: bool.default(true),
  /** Load the demo data when the embedded database is created. */
  DEMO_DATA: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** GraphiQL at GET /graphql and schema introspection; default on except in production. */
  GRAPHIQL: bool.optional(),
  INTROSPECTION: bool.optional(),
  /** Expected `iss` and `aud` of bearer JWTs. */
  AUTH_ISSUER: z.string().min(1).default('maillage'),
  AUTH_AUDIENCE: z.string().min(1).default('maillage-api'),
  /** Verify JWTs with a partner identity provider's key set instead of the hub's own key. */
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The web console's sign-in with the partner identity provider (OpenID Connect, authorization
   * code with PKCE): its issuer URL (discovery at /.well-known/openid-configuration) and the
   * console's public client id there. Both or neither; with them, AUTH_JWKS_URL names the same
   * provider's keys.
   */
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  OIDC_SCOPE: z.string().min(1).max(500).default('openid email profile offline_access'),
  /** Lifetime of tokens the hub signs (npm run token), in seconds. */
  AUTH_TOKEN_TTL: int(60, 60 * 60 * 24 * 30).default(60 * 60 * 8),
  MAX_DEPTH: int(2, 100).default(12),
  MAX_ALIASES: int(0, 1000).default(30),
  MAX_COST: int(100, 1_000_000).default(20_000),
  MAX_TOKENS: int(100, 100_000).default(3000),
  MAX_BODY_BYTES: int(1024, 10 * 1024 * 1024).default(100 * 1024),
  /** Characters in any one text argument or input field (search texts have tighter bounds). */
  MAX_TEXT_LENGTH: int(100, 1_000_000).default(10_000),
  /**
   * PostgreSQL cancels any statement of the hub running longer than this (0: never); the
   * request answers DATABASE_TIMEOUT (503). Migrations and `npm run retention` use their own.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: int(0, 3_600_000).default(DEFAULT_STATEMENT_TIMEOUT_MS),
  /**
   * Request and connection limits, counted in each hub process's memory (N instances behind a
   * load balancer allow up to N times as much). Off: no limit at all (benchmarks). A limit of 0
   * turns that one off.
   */
  RATE_LIMITS: bool.default(true),
  /** Requests per minute: anonymous ones per client address, others per user or per API key. */
  RATE_LIMIT_ADDRESS_PER_MINUTE: int(0, 10_000_000).default(600),
  RATE_LIMIT_USER_PER_MINUTE: int(0, 10_000_000).default(600),
  RATE_LIMIT_API_KEY_PER_MINUTE: int(0, 10_000_000).default(1200),
  /** Failed authentications per client address in AUTH_FAILURE_WINDOW_S before it must wait. */
  AUTH_FAILURES_PER_ADDRESS: int(0, 1_000_000).default(20),
  AUTH_FAILURE_WINDOW_S: int(1, 86_400).default(600),
  /** Open WebSocket connections per user or API key (anonymous ones: per address). */
  WS_CONNECTIONS_PER_USER: int(0, 1_000_000).default(20),
  /** Operations in flight (subscriptions included) on one WebSocket connection. */
  WS_SUBSCRIPTIONS_PER_CONNECTION: int(0, 100_000).default(50),
  /**
   * Reverse proxies in front of the hub whose X-Forwarded-For may be trusted: the client address
   * is that many entries from the right. 0: the socket's peer address.
   */
  TRUSTED_PROXY_HOPS: int(0, 10).default(0),
  /** Person data of referrals closed longer ago than this is anonymised (npm run retention). */
  RETENTION_MONTHS: int(1, 120).default(12),
  /** Personal data of an event edition is anonymised this long after it (npm run retention). */
  EVENT_RETENTION_MONTHS: int(1, 120).default(6),
  /** Outbox rows older than this are deleted by `npm run retention` (subscribers resume within it). */
  OUTBOX_RETENTION_DAYS: int(1, 3650).default(30),
  /**
   * Kept mail (no SMTP_URL) older than this is deleted by `npm run retention`: it holds codes in
   * clear. Mail whose invitation was accepted, revoked or has expired goes at the next run.
   */
  MAIL_KEEP_DAYS: int(1, 3650).default(30),
  /** Safety-net poll of the outbox; NOTIFY (and local commits) wake the hub sooner. */
  OUTBOX_POLL_MS: int(20, 60_000).default(1000),
  /**
   * The public cache: answers to anonymous catalogue reads, per process, at most this many MiB
   * (0: off). Emptied whenever the outbox says the catalogue changed (src/http/public-cache.ts).
   */
  PUBLIC_CACHE_MB: int(0, 4096).default(64),
  /**
   * Execute GraphQL documents compiled once each (graphql-jit, src/http/compiled-executor.ts)
   * rather than interpreted by graphql-js; `false` is for comparison (bench/) and as a way back.
   */
  GRAPHQL_COMPILE: bool.default(true),
  /** Run the webhook worker in this process (turn off on instances that should only serve). */
  WEBHOOK_WORKER: bool.default(true),
  /** How often the network statistics' facts are brought up to date from the outbox (issue 16). */
  NETWORK_FACTS_REFRESH_MS: int(100, 60_000).default(15_000),
  /** Webhook deliveries: time limit per attempt, attempts in flight, first retry delay, give-up age. */
  WEBHOOK_TIMEOUT_MS: int(100, 120_000).default(10_000),
  WEBHOOK_CONCURRENCY: int(1, 200).default(16),
  WEBHOOK_RETRY_BASE_MS: int(10, 3_600_000).default(30_000),
  WEBHOOK_MAX_AGE_HOURS: int(1, 24 * 14).default(72),
  /** Webhooks to 127.0.0.1, ::1 and localhost (development and tests). Refused in production. */
  WEBHOOK_ALLOW_LOOPBACK: bool.default(false),
  /**
   * Seals webhook secrets and signing keys at rest (src/shared/secrets.ts): 32 random bytes,
   * base64 or hex (`openssl rand -base64 32`). Required in production; elsewhere a key file in
   * DATA_DIR stands in. SECRETS_KEY_OLD: the previous key, still read during a rotation
   * (`npm run secrets:rotate`).
   */
  SECRETS_KEY: secretsKey.optional(),
  SECRETS_KEY_OLD: secretsKey.optional(),
  /**
   * Outgoing mail (invitations…): an SMTP server as `smtp://user:pass@host:587` (STARTTLS when
   * offered) or `smtps://…:465`. Without it mail is kept in the database and listed to hub admins
   * (`mailMessages`, `npm run mail:list`) instead of sent.
   */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /**
   * The hub's address as people reach it, for links in mail (a registration's manage link).
   * Default: http://localhost:<PORT>.
   */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The From of outgoing mail. */
  MAIL_FROM: z.string().trim().min(3).default('Maillage <no-reply@localhost>'),
  /** How long an invitation code stays valid (resending gives a new code and a new period). */
  INVITATION_TTL_DAYS: int(1, 90).default(14),
  /** How long a session signed in without an identity provider lasts after its last refresh. */
  SESSION_TTL_DAYS: int(1, 365).default(30),
  /**
   * OpenTelemetry traces (src/shared/tracing.ts), standard variables: exported over OTLP/HTTP
   * (protobuf) when either endpoint is set, unless OTEL_SDK_DISABLED=true or
   * OTEL_TRACES_EXPORTER=none; otherwise off, with no SDK loaded. The SDK reads the other standard
   * variables itself: OTEL_SERVICE_NAME (default maillage), OTEL_RESOURCE_ATTRIBUTES,
   * OTEL_TRACES_SAMPLER(_ARG), OTEL_EXPORTER_OTLP_(TRACES_)HEADERS / TIMEOUT / COMPRESSION, OTEL_BSP_*.
   */
  OTEL_SDK_DISABLED: z
    .string()
    .transform((v) => v.trim().toLowerCase() === 'true')
    .default(false),
  OTEL_TRACES_EXPORTER: z
    .enum(['otlp', 'none'], { error: 'must be otlp or none (the hub exports traces over OTLP only)' })
    .default('otlp'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol.optional(),
  /**
   * Hub processes serving the port (node:cluster): above 1, `npm start` prepares the database
   * once, then forks this many workers that share the listening socket (src/cluster.ts).
   */
  WEB_CONCURRENCY: int(1, 64).default(1),
  /** How long SIGTERM waits for in-flight requests before closing sockets anyway. */
  SHUTDOWN_TIMEOUT_MS: int(0, 120_000).default(10_000),
  /**
   * /metrics (Prometheus): with METRICS_TOKEN it answers only `Authorization: Bearer <token>`;
   * with METRICS_PORT it is served on a listener of its own on METRICS_HOST (0: a free port), not
   * on the public port. With neither it is open in development and test, absent (404) in
   * production (src/http/metrics.ts).
   */
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'at least 16 visible characters, no spaces (openssl rand -hex 32)')
    .optional(),
  METRICS_PORT: int(0, 65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
});

export type Config = Omit<z.infer<typeof schema>, 'GRAPHIQL' | 'INTROSPECTION'> & {
  GRAPHIQL: boolean;
  INTROSPECTION: boolean;
  /** DATA_DIR made absolute. */
  dataDir: string;
};

/** Thrown when the environment holds a value the hub cannot start with. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration from `env` (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dev = c.NODE_ENV !== 'production';
  const productionProblems = dev
    ? []
    : [
        !c.SECRETS_KEY && '  SECRETS_KEY: required in production (openssl rand -base64 32)',
        c.WEBHOOK_ALLOW_LOOPBACK && '  WEBHOOK_ALLOW_LOOPBACK: not allowed in production',
      ].filter(Boolean);
  const oidcProblems = [
    !!c.OIDC_ISSUER !== !!c.OIDC_CLIENT_ID && '  OIDC_ISSUER, OIDC_CLIENT_ID: set both or neither',
    c.OIDC_ISSUER && !c.AUTH_JWKS_URL && "  OIDC_ISSUER: needs AUTH_JWKS_URL (the provider's keys)",
  ].filter(Boolean);
  const databaseProblems = [
    c.DATABASE_DIRECT_URL && !c.DATABASE_URL && '  DATABASE_DIRECT_URL: needs DATABASE_URL (the pooler)',
  ].filter(Boolean);
  const problems = [...productionProblems, ...oidcProblems, ...databaseProblems];
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return {
    ...c,
    GRAPHIQL: c.GRAPHIQL ?? dev,
    INTROSPECTION: c.INTROSPECTION ?? dev,
    dataDir: path.resolve(c.DATA_DIR),
  };
}
