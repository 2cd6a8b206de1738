/**
 * Hand-written statements as named prepared statements, one per text and connection (issue 15).
 *
 * PostgreSQL parses, analyses and plans an unnamed statement again on every execution; a named
 * one is parsed once per connection, and its plan is cached when PostgreSQL finds a generic plan
 * as good as a custom one. pgbench on the inbox's page statement (bench/referrals data, one
 * client, parameters bound): 2.2–2.3 ms a page unnamed, 1.83–1.85 ms prepared.
 *
 * The name is a hash of the text: the same text is the same statement wherever it comes from,
 * and pg skips the Parse message once a connection has seen it. Each connection keeps at most
 * `limit` statements (50; the inbox's prepared page statement holds ~130 KB of its backend's
 * memory, so at most a few MB per connection): the least recently used one is deallocated to
 * make room, so that queries shaped by clients cannot grow a backend's memory without bound.
 *
 * Only for connections to the server itself: a transaction pooler (PgBouncer before 1.21) hands
 * each transaction any server connection, where the name means nothing (`client.ts`).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

const { DatabaseError } = pg;

/** Prepared statements a connection keeps before it deallocates the least recently used. */
export const PREPARED_PER_CONNECTION = 50;

/** What pg keeps per connection about the names it has sent (pg 8's `Connection`). */
interface NamedStatements {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

/** Per connection: the names it holds, least recently used first. */
const held = new WeakMap<pg.ClientBase, Map<string, true>>();

/** Per connection: stale statements an aborted transaction could not deallocate. */
const staleNames = new WeakMap<pg.ClientBase, string[]>();

const nameCache = new Map<string, string>();

/** `m_` and the SHA-1 of the text, base64url: 29 characters, under PostgreSQL's 63. */
export function statementName(text: string): string {
  let name = nameCache.get(text);
  if (!name) {
    name = `m_${createHash('sha1').update(text).digest('base64url')}`;
    // The hub's statement texts are few; a flood of distinct ones only costs hashing again.
    if (nameCache.size >= 2_000) nameCache.clear();
    nameCache.set(text, name);
  }
  return name;
}

function pgNames(client: pg.ClientBase): NamedStatements {
  return (client as unknown as { connection: NamedStatements }).connection;
}

/**
 * Forgets `name` on the server and in pg's bookkeeping of `client`: the bookkeeping at once, so
 * that a statement queued meanwhile on the same connection neither evicts it again nor skips
 * its Parse (pg runs a connection's queries in order: DEALLOCATE goes before that Parse).
 */
async function deallocate(client: pg.ClientBase, name: string): Promise<void> {
  forget(client, name);
  await client.query(`DEALLOCATE "${name}"`);
}

function forget(client: pg.ClientBase, name: string): void {
  const names = pgNames(client);
  delete names.parsedStatements[name];
  delete names.submittedNamedStatements[name];
  held.get(client)?.delete(name);
}

/**
 * A plan cached before a table changed whose columns a statement returns (`SELECT *` after a
 * migration added a column): PostgreSQL refuses to run it (0A000) instead of planning it again.
 */
const isStalePlan = (err: unknown) =>
  (err as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(err));

/**
 * Runs `text` with `values` on `client` as a named prepared statement. A stale plan is
 * deallocated and, outside a transaction, the statement is run once more; inside one the
 * transaction is aborted, so the error stands and the statement is deallocated at the
 * connection's next use.
 */
export async function preparedQuery<R extends pg.QueryResultRow>(
  client: pg.ClientBase,
  text: string,
  values: unknown[],
  opts: { limit: number; inTransaction: boolean },
): Promise<pg.QueryResult<R>> {
  const pending = staleNames.get(client);
  if (pending) {
    staleNames.delete(client);
    for (const stale of pending) await client.query(`DEALLOCATE "${stale}"`);
  }
  const name = statementName(text);
  let names = held.get(client);
  if (!names) held.set(client, (names = new Map<string, true>()));
  if (names.has(name)) names.delete(name);
  else while (names.size >= opts.limit) await deallocate(client, names.keys().next().value!);
  names.set(name, true);
  try {
    return await client.query<R>({ name, text, values });
  } catch (err) {
    if (!isStalePlan(err)) throw err;
    if (opts.inTransaction) {
      forget(client, name);
      staleNames.set(client, [...(staleNames.get(client) ?? []), name]);
      throw err;
    }
    await deallocate(client, name);
    names.set(name, true);
    return client.query<R>({ name, text, values });
  }
}

/**
 * Whether an error leaves the connection usable: an error PostgreSQL reports for a statement
 * (pg's DatabaseError, not FATAL) does; a lost socket (`EPIPE` is a code of five letters too) or
 * a server shutting the session down does not.
 */
export const connectionSurvives = (err: unknown): boolean =>
  err instanceof DatabaseError && err.severity !== 'FATAL' && err.severity !== 'PANIC';
