/**
 * One subscription's stream of outbox rows: what it missed since its `after` cursor, replayed from
 * the outbox, then what happens live, in sequence order, with no gap and no duplicate.
 *
 * How: in one synchronous step it reads the tail's position P and registers for live rows (all
 * later than P); it then replays the rows after `after` up to P from the database, and only then
 * yields the live rows it queued meanwhile. A stream ends with an error when the viewer's token
 * expires, when their access changes (they subscribe again with what they may now see), or when
 * the client reads too slowly to keep up.
 */
import { GraphQLError } from 'graphql';
import type pg from 'pg';
import type { Viewer } from '../accounts/viewer.ts';
import { readOutbox, type OutboxRow, type OutboxTail } from './outbox-tail.ts';

/** What the hub gives each subscription: the tail of this process and the pool to replay from. */
export interface Realtime {
  tail: OutboxTail;
  pool: pg.Pool;
}

/** A stream item: a row, or the error that ends the stream. */
export type StreamItem = OutboxRow | { end: GraphQLError };

/** Live rows a slow client may have queued before its stream is ended. */
const MAX_QUEUED = 5_000;

/** The code of a cursor that is not one the hub handed out: malformed, or ahead of the newest event. */
export const CURSOR_INVALID = 'CURSOR_INVALID';

/**
 * The `after` argument of a resumable subscription, as a sequence number. Not a cursor at all is
 * CURSOR_INVALID at once; one ahead of the newest event is found by `outboxStream` (it asks the
 * database) and ends the stream with the same code.
 */
export function parseCursor(after: string | null | undefined): bigint | null {
  if (after === null || after === undefined) return null;
  if (!/^\d{1,19}$/.test(after)) {
    throw new GraphQLError('`after` must be a cursor received from this subscription.', {
      extensions: { code: CURSOR_INVALID },
    });
  }
  return BigInt(after);
}

function accessChangedFor(viewer: Viewer | null, row: OutboxRow): boolean {
  if (row.type !== 'ACCESS_CHANGED' || !viewer) return false;
  return viewer.kind === 'user' ? row.userId === viewer.userId : row.apiClientId === viewer.apiClientId;
}

export function outboxStream(
  realtime: Realtime,
  viewer: Viewer | null,
  opts: {
    after: bigint | null;
    /** Whether the row belongs in this stream (visibility and the subscription's filter). */
    accepts: (row: OutboxRow) => boolean;
    /**
     * Only rows of these organisations (and access changes), live and replayed; all rows when
     * omitted (the subscription's `accepts` still decides).
     */
    organisationIds?: string[];
    /**
     * Called with each batch of replayed rows (those `accepts` took) before they are yielded: e.g.
     * to read the current state of what they mention, which live rows carry themselves.
     */
    beforeReplay?: (rows: OutboxRow[]) => Promise<void>;
  },
): AsyncIterableIterator<StreamItem> {
  const queue: StreamItem[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let ending: GraphQLError | null = null;
  const push = (item: StreamItem) => {
    queue.push(item);
    wake?.();
  };
  const end = (message: string, code: string) => {
    if (ending) return;
    ending = new GraphQLError(message, { extensions: { code } });
    push({ end: ending });
  };

  // One synchronous step: position, then registration.
  const upTo = realtime.tail.position;
  const from = opts.after !== null && opts.after > upTo ? opts.after : upTo;
  const scope = opts.organisationIds ? { organisationIds: opts.organisationIds } : undefined;
  const unsubscribe = realtime.tail.subscribe((row) => {
    if (ending || row.seq <= from) return;
    if (accessChangedFor(viewer, row)) {
      end('Your access changed: subscribe again to receive what you may now see.', 'ACCESS_CHANGED');
      return;
    }
    if (!opts.accepts(row)) return;
    if (queue.length >= MAX_QUEUED) {
      end('This subscription fell too far behind; resubscribe with your last cursor.', 'SLOW_CONSUMER');
      return;
    }
    push(row);
  }, scope);
  const expiresAt = viewer?.kind === 'user' ? viewer.expiresAt : undefined;
  const expiry =
    expiresAt !== undefined
      ? setTimeout(
          () => end('Your token has expired: connect again with a new one.', 'TOKEN_EXPIRED'),
          Math.max(0, expiresAt * 1000 - Date.now()),
        )
      : null;
  expiry?.unref();

  const cleanup = () => {
    done = true;
    unsubscribe();
    if (expiry) clearTimeout(expiry);
    wake?.();
  };

  async function* generate(): AsyncGenerator<StreamItem> {
    try {
      if (opts.after !== null && opts.after > 0n) {
        // The last number handed out (committed: a client can hold no later cursor), and the
        // oldest row kept: older ones are deleted after OUTBOX_RETENTION_DAYS.
        const { rows } = await realtime.pool.query<{ first: string | null; last: string | null }>(
          `select (select min(seq) from "OutboxEvent")::text as first,
                  (select value from "OutboxSequence" where id = 1)::text as last`,
        );
        const last = BigInt(rows[0]?.last ?? '0');
        if (opts.after > last) {
          // Accepted, it would wait for that number in silence, and then skip what comes before.
          yield {
            end: new GraphQLError(
              'This cursor is ahead of the newest event: it was not received from this hub. Subscribe with the last cursor you received, or without `after`.',
              { extensions: { code: CURSOR_INVALID } },
            ),
          };
          return;
        }
        const first = rows[0]?.first ? BigInt(rows[0].first) : null;
        if (first !== null && opts.after + 1n < first) {
          yield {
            end: new GraphQLError(
              'This cursor is older than the history the hub keeps: read the current state, then subscribe without `after`.',
              { extensions: { code: 'CURSOR_EXPIRED' } },
            ),
          };
          return;
        }
      }
      if (opts.after !== null && opts.after < upTo) {
        for (let cursor = opts.after; ;) {
          const rows = await readOutbox(realtime.pool, cursor, upTo, 500, opts.organisationIds);
          // A past access change is skipped: this subscription is newer.
          const batch = rows.filter((row) => !accessChangedFor(viewer, row) && opts.accepts(row));
          if (batch.length > 0 && opts.beforeReplay) await opts.beforeReplay(batch);
          for (const row of batch) {
            if (done || ending) break;
            yield row;
          }
          if (rows.length < 500 || done || ending) break;
          cursor = rows[rows.length - 1]!.seq;
        }
      }
      while (!done) {
        const item = queue.shift();
        if (item) {
          yield item;
          if ('end' in item) return;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      cleanup();
    }
  }

  return generate();
}
