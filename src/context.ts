/**
 * One context per HTTP request or WebSocket connection: who asks, the database, a logger that
 * carries the request id, and the languages asked for. Nothing here outlives the request.
 */
import type { PrismaClient } from './generated/prisma/client.ts';
import type { AccountServices } from './modules/accounts/account-services.ts';
import type { Viewer } from './modules/accounts/viewer.ts';
import type { Realtime } from './modules/realtime/outbox-stream.ts';
import type { SqlRunner, SqlTransaction } from './shared/db/client.ts';
import type { Logger } from './shared/logger.ts';

export interface Context {
  requestId: string;
  readonly viewer: Viewer | null;
  prisma: PrismaClient;
  /** Hand-written SQL for hot paths (see Database.sql). */
  sql: SqlRunner;
  /** One transaction of hand-written statements (see Database.transaction). */
  transaction: SqlTransaction;
  logger: Logger;
  /** Languages from the Accept-Language header, best first (e.g. ['fr', 'de']). */
  languages: string[];
  /** The outbox tail of this process, for subscriptions (null where the hub does not run one). */
  realtime: Realtime | null;
  /** Mail, invitation lifetime and token issuing, as the hub is configured. */
  accounts: AccountServices;
  /**
   * The subject of a partner identity provider's valid token that no account is bound to yet
   * (the viewer is then null): what `acceptInvitation` binds.
   */
  unboundSubject: string | null;
  /**
   * Wrong secrets typed by hand (a registration's manage token): counted against the client's
   * address with failed authentications, so that guessing is slow. Null where nobody types one.
   */
  secretGuesses: SecretGuesses | null;
  /**
   * `cacheable` is set once the operation is known to be an anonymous catalogue read that
   * answered without errors: the public cache may keep its answer (`src/http/public-cache.ts`).
   * An object, shared by the copies Apollo makes of the context. `onServe`: what the answer
   * stands for each time it is given, run again when the cache gives it (a search that found
   * nothing counts as unmet demand on every ask, not only the first).
   */
  publicAnswer: PublicAnswer;
  /**
   * The clock. A rule that compares with the time in a relation's `query` or a field's `select`
   * reads it here, never with `new Date()`: reading the context is what keeps such a plan from
   * being kept for later requests (`src/shared/db/lookup-plans.ts`), which would freeze the time.
   */
  now: () => Date;
  /** Counts a lookup in one of the hub's caches (`maillage_cache_hits_total`, `…_misses_total`). */
  cacheLookup: (cache: string, hit: boolean) => void;
}

export interface PublicAnswer {
  cacheable: boolean;
  onServe: (() => void)[];
}

export interface SecretGuesses {
  /** Seconds to wait when this address guessed wrong too often lately; null when it may try. */
  blocked(): Promise<number | null>;
  /** Counts one wrong guess. */
  failed(): Promise<void>;
}

/** Parses an Accept-Language header into primary language tags, best first. */
export function parseAcceptLanguage(header: string | undefined | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q) : 1 };
    })
    .filter((l) => /^[a-z]{2,3}$/.test(l.lang) && l.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((l) => l.lang)
    .filter((lang, i, all) => all.indexOf(lang) === i);
}
