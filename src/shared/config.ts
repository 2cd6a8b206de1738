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

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HTTP and WebSocket port. 0 picks a free one (tests). */
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL connection string. Without it the hub runs on embedded PGlite in DATA_DIR. */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_POOL_MAX: int(1, 200).default(10),
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
  /** Lifetime of tokens the hub signs (npm run token), in seconds. */
  AUTH_TOKEN_TTL: int(60, 60 * 60 * 24 * 30).default(60 * 60 * 8),
  MAX_DEPTH: int(2, 100).default(12),
  MAX_ALIASES: int(0, 1000).default(30),
  MAX_COST: int(100, 1_000_000).default(20_000),
  MAX_TOKENS: int(100, 100_000).default(3000),
  MAX_BODY_BYTES: int(1024, 10 * 1024 * 1024).default(100 * 1024),
  /** Person data of referrals closed longer ago than this is anonymised (npm run retention). */
  RETENTION_MONTHS: int(1, 120).default(12),
  /** Outbox rows older than this are deleted by `npm run retention` (subscribers resume within it). */
  OUTBOX_RETENTION_DAYS: int(1, 3650).default(30),
  /** Safety-net poll of the outbox; NOTIFY (and local commits) wake the hub sooner. */
  OUTBOX_POLL_MS: int(20, 60_000).default(1000),
  /** Run the webhook worker in this process (turn off on instances that should only serve). */
  WEBHOOK_WORKER: bool.default(true),
  /** Webhook deliveries: time limit per attempt, attempts in flight, first retry delay, give-up age. */
  WEBHOOK_TIMEOUT_MS: int(100, 120_000).default(10_000),
  WEBHOOK_CONCURRENCY: int(1, 200).default(16),
  WEBHOOK_RETRY_BASE_MS: int(10, 3_600_000).default(30_000),
  WEBHOOK_MAX_AGE_HOURS: int(1, 24 * 14).default(72),
  /** How long SIGTERM waits for in-flight requests before closing sockets anyway. */
  SHUTDOWN_TIMEOUT_MS: int(0, 120_000).default(10_000),
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
  return {
    ...c,
    GRAPHIQL: c.GRAPHIQL ?? dev,
    INTROSPECTION: c.INTROSPECTION ?? dev,
    dataDir: path.resolve(c.DATA_DIR),
  };
}
