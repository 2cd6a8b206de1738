/**
 * What the hub's authenticated file downloads share (the organisers' exports, the network's
 * statistics): the bearer token's check with its rate limit, plain JSON problems, query
 * parameters read strictly, and CSV written as RFC 4180 with a byte order mark, streamed, with
 * cells a spreadsheet would run as a formula defused (OWASP "CSV injection").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { parseAcceptLanguage } from '../context.ts';
import { AuthenticationError, UnboundSubjectError } from '../modules/accounts/auth.service.ts';
import type { Viewer } from '../modules/accounts/viewer.ts';
import { isDatabaseUnavailable } from '../shared/db/db-errors.ts';
import { sendJson } from './body.ts';
import type { Refusal } from './rate-limits.ts';

export interface BearerOptions {
  authenticate(authorization: string | undefined): Promise<Viewer | null>;
  limits: {
    clientAddress(req: IncomingMessage): string;
    authenticationBlocked(address: string): Promise<Refusal | null>;
    authenticationFailed(address: string): Promise<void>;
  };
}

/**
 * Who sends the request (null: nobody), or undefined once it has been answered: 429 while the
 * address is blocked for failed attempts, 401 for a token that is not valid.
 */
export async function bearerViewer(
  req: IncomingMessage,
  res: ServerResponse,
  opts: BearerOptions,
): Promise<Viewer | null | undefined> {
  const address = opts.limits.clientAddress(req);
  const { authorization } = req.headers;
  const blocked = authorization ? await opts.limits.authenticationBlocked(address) : null;
  if (blocked) {
    problem(res, 429, blocked.message, { headers: { 'retry-after': String(blocked.retryAfter) } });
    return undefined;
  }
  try {
    return await opts.authenticate(authorization);
  } catch (err) {
    // A partner provider's token without an account yet is anonymous (as over /graphql).
    if (!(err instanceof AuthenticationError)) throw err;
    if (err instanceof UnboundSubjectError) return null;
    await opts.limits.authenticationFailed(address);
    problem(res, 401, err.message, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    return undefined;
  }
}

/** A query parameter that is wrong: answered 400, naming it. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export function param(url: URL, name: string): string | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) throw new BadRequest(name, `Query parameter "${name}" is given more than once.`);
  return values[0];
}

/** The `lang` parameter, else Accept-Language, among `langs` (the first is the default). */
export function languageParam<L extends string>(url: URL, req: IncomingMessage, langs: readonly L[]): L {
  const asked = param(url, 'lang');
  if (asked === undefined) {
    return (
      parseAcceptLanguage(req.headers['accept-language']).find((l): l is L => langs.includes(l as L)) ??
      langs[0]!
    );
  }
  const lang = asked.trim().toLowerCase();
  if (!langs.includes(lang as L)) {
    throw new BadRequest(
      'lang',
      `Unknown language "${asked}" in "lang": expected one of ${langs.join(', ')}.`,
    );
  }
  return lang as L;
}

/** A failure before the answer began: 400 for a bad parameter, 503 while the database is away. */
export function answerFailure(res: ServerResponse, err: unknown): void {
  if (res.headersSent) throw err;
  if (err instanceof BadRequest) return problem(res, 400, err.message, { parameter: err.parameter });
  if (isDatabaseUnavailable(err)) {
    return problem(res, 503, 'The database is unavailable; try again shortly.', {
      headers: { 'retry-after': '5' },
    });
  }
  throw err;
}

export function problem(
  res: ServerResponse,
  status: number,
  message: string,
  extra: { parameter?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(
    res,
    status,
    { error: message, ...(extra.parameter ? { parameter: extra.parameter } : {}) },
    {
      'cache-control': 'no-store',
      ...extra.headers,
    },
  );
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe. */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Whether the client is gone (stop reading the database for it). */
export const gone = (res: ServerResponse) => res.destroyed || res.writableEnded;

/** Resolves when `stream` drains or the client goes away, whichever comes first. */
export function drained(stream: Writable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      res.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes a CSV through csv-stringify as the batches come: a record waits for the stream to drain
 * when its buffer is full, so memory stays one batch whatever the size.
 */
export async function writeCsv<Row>(
  res: ServerResponse,
  header: readonly string[],
  batches: AsyncIterable<Row[]> | Iterable<Row[]>,
  record: (row: Row) => string[],
): Promise<void> {
  const csv = stringify({
    bom: true,
    header: true,
    columns: header.map((h, i) => ({ key: String(i), header: h })),
    record_delimiter: 'windows',
    cast: { string: spreadsheetSafe },
  });
  csv.on('error', (err) => res.destroy(err));
  csv.pipe(res);
  try {
    for await (const batch of batches) {
      for (const row of batch) {
        if (gone(res)) break;
        if (!csv.write(record(row))) await drained(csv, res);
      }
      if (gone(res)) break;
    }
  } catch (err) {
    csv.destroy();
    throw err;
  }
  if (gone(res)) return void csv.destroy();
  csv.end();
  // Done when the last byte is handed to the socket; a client gone meanwhile ends it too.
  await finished(res).catch(() => undefined);
}
