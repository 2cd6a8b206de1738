/**
 * A subscription that survives disconnections: it remembers the cursor of the last notice it
 * handed over and, whenever the stream ends (network loss, hub restart, another hub instance
 * behind the load balancer, "access changed", "fell behind"), subscribes again with
 * `after: <that cursor>`. The hub replays what was missed, so the caller sees every notice once,
 * in order. Only errors that retrying cannot fix (bad token, unknown referral, bad input) stop it.
 *
 *   const sub = resumableSubscription({
 *     url: 'ws://localhost:4000/graphql', token: () => myToken,
 *     document: ReferralEventsDocument, variables: {},
 *     cursorOf: (d) => d.referralEvents.cursor,
 *     onData: (d) => console.log(d.referralEvents.reference, d.referralEvents.status),
 *   });
 *   …; await sub.stop();
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

/** The `extensions.code` of a GraphQL error, or ''. */
const codeOf = (error: GraphQLFormattedError | undefined): string =>
  typeof error?.extensions?.code === 'string' ? error.extensions.code : '';

/** Codes after which subscribing again helps (the hub said so, or the connection dropped). */
const RESUMABLE = new Set([
  'ACCESS_CHANGED',
  'SLOW_CONSUMER',
  'DATABASE_UNAVAILABLE',
  'DATABASE_BUSY',
  'DATABASE_TIMEOUT',
  'UNAVAILABLE',
]);

/** WebSocket close codes the hub sends for a refusal that retrying cannot fix. */
const FATAL_CLOSE = new Map([
  [4400, 'the hub refused the request (4400 Bad Request)'],
  [
    4403,
    'the hub refused the credential (4403 Forbidden: a bad or expired token or API key, or a disabled user)',
  ],
  [4406, 'the hub does not speak this protocol (4406)'],
]);

/** What a closed socket means, in words. */
function closeReason(code: number, reason: string): string {
  const fatal = FATAL_CLOSE.get(code);
  if (fatal) return reason ? `${fatal}: ${reason}` : fatal;
  if (code === 1001) return 'the hub closed the connection: it is going away (1001, a restart or a shutdown)';
  if (code === 1006) return 'the connection was lost (1006)';
  if (code === 1013) return `the hub cannot serve now, it will retry (1013${reason ? `: ${reason}` : ''})`;
  if (code === 4429) return `the hub asks to slow down (4429${reason ? `: ${reason}` : ''})`;
  return `the connection closed (${code}${reason ? `: ${reason}` : ''})`;
}

export interface ResumableOptions<T, V extends { after?: string | null }> {
  /**
   * ws:// or wss:// URL of the hub's /graphql; several (hub instances) are tried in turn when a
   * connection fails.
   */
  url: string | string[];
  /** The bearer token or API key, asked again at every connection (so it can be renewed). */
  token?: (() => string | undefined | Promise<string | undefined>) | undefined;
  document: TypedDocumentNode<T, V>;
  variables: Omit<V, 'after'>;
  /** The cursor of a notice (the `cursor` field of the subscription's result). */
  cursorOf: (data: T) => string;
  /** Start after this cursor (e.g. saved from an earlier run); omitted: from now on. */
  after?: string | null;
  onData: (data: T) => void;
  /**
   * Every interruption, and whether it subscribes again: false for a refusal that retrying cannot
   * fix (bad token, forbidden, bad input), after which `finished` resolves with the reason.
   */
  onInterruption?: (reason: string, willResume: boolean) => void;
  /** Each time a connection is accepted (the first, and each after an interruption). */
  onConnected?: () => void;
  /** WebSocket implementation outside browsers and Node 22+, e.g. `ws`. */
  webSocketImpl?: unknown;
  /** Back-off between attempts after a connection failure (ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface ResumableSubscription {
  /** The cursor of the last notice handed to onData. */
  readonly cursor: string | null;
  /** Resolves when it stopped for good: with null after stop(), with the reason otherwise. */
  readonly finished: Promise<string | null>;
  stop(): Promise<void>;
}

export function resumableSubscription<T, V extends { after?: string | null }>(
  opts: ResumableOptions<T, V>,
): ResumableSubscription {
  let cursor = opts.after ?? null;
  let stopped = false;
  let unsubscribe: (() => void) | null = null;
  let wakeDelay: (() => void) | null = null;
  let settle: ((ended: null) => void) | null = null;
  const urls = Array.isArray(opts.url) ? opts.url : [opts.url];
  let current = 0;
  const client: Client = createClient({
    url: () => urls[current % urls.length]!,
    ...(opts.webSocketImpl ? { webSocketImpl: opts.webSocketImpl } : {}),
    lazy: true,
    retryAttempts: 0, // the loop below retries, with the cursor it has reached
    ...(opts.onConnected ? { on: { connected: () => opts.onConnected?.() } } : {}),
    connectionParams: async () => {
      const token = await opts.token?.();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });

  /** An expired token is worth a new connection when the token can be renewed (asked again). */
  const resumableCode = (code: string) => RESUMABLE.has(code) || (code === 'TOKEN_EXPIRED' && !!opts.token);

  /**
   * One subscription, until it ends: null when it completed, else why it failed. Once it has
   * ended, for whatever reason, it is unsubscribed and nothing more it delivers is handed on: a
   * result with errors (an event that failed on the hub) ends it, and the next attempt replays
   * from the cursor, so a stream the hub kept going must not deliver beside it.
   */
  const once = () =>
    new Promise<{ reason: string; resumable: boolean } | null>((resolve) => {
      let ended = false;
      const end = (outcome: { reason: string; resumable: boolean } | null) => {
        if (ended) return;
        ended = true;
        resolve(outcome);
        queueMicrotask(() => stopCurrent());
      };
      settle = end;
      const query = print(opts.document);
      const stopCurrent = client.subscribe<T>(
        { query, variables: { ...opts.variables, after: cursor } },
        {
          next: (result) => {
            if (ended) return;
            if (result.errors?.length) {
              const error = result.errors[0];
              const code = codeOf(error);
              end({ reason: `${code}: ${error?.message}`, resumable: resumableCode(code) });
              return;
            }
            if (!result.data) return;
            cursor = opts.cursorOf(result.data);
            opts.onData(result.data);
          },
          error: (err: unknown) => {
            if (Array.isArray(err)) {
              const error = err[0] as GraphQLFormattedError | undefined;
              const code = codeOf(error);
              end({ reason: `${code}: ${error?.message}`, resumable: resumableCode(code) });
              return;
            }
            // A closed or failed socket: resumable unless the hub refused the credential or request.
            const { code, reason = '' } = err as { code?: number; reason?: string };
            current += 1; // the next attempt goes to the next instance
            if (typeof code === 'number') {
              end({ reason: closeReason(code, reason), resumable: !FATAL_CLOSE.has(code) });
            } else {
              const detail = (err as { message?: string }).message ?? 'no answer';
              end({ reason: `the hub cannot be reached (${detail})`, resumable: true });
            }
          },
          complete: () => end(null),
        },
      );
      unsubscribe = stopCurrent;
    });

  const finished = (async (): Promise<string | null> => {
    let delay = opts.minDelayMs ?? 250;
    for (;;) {
      const before = cursor;
      const ended = await once();
      unsubscribe = null;
      if (stopped) return null;
      const reason = ended?.reason ?? 'the hub completed the subscription';
      const resumable = ended ? ended.resumable : true;
      opts.onInterruption?.(reason, resumable);
      if (!resumable) {
        await client.dispose();
        return reason;
      }
      // Progress resets the back-off; repeated failures without progress grow it.
      delay = cursor !== before ? (opts.minDelayMs ?? 250) : Math.min(delay * 2, opts.maxDelayMs ?? 10_000);
      await new Promise<void>((resolve) => {
        wakeDelay = resolve;
        setTimeout(resolve, delay);
      });
      wakeDelay = null;
      if (stopped) return null;
    }
  })();

  return {
    get cursor() {
      return cursor;
    },
    finished,
    async stop() {
      stopped = true;
      unsubscribe?.();
      settle?.(null);
      wakeDelay?.();
      await client.dispose();
      await finished;
    },
  };
}
