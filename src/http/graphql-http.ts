/**
 * GraphQL over HTTP at /graphql: Apollo Server executes; this adapter makes the transport follow
 * the GraphQL-over-HTTP spec (every MUST and SHOULD): JSON-only POST bodies (415 otherwise), a body
 * limit (413), JSON error bodies for malformed requests (400), and status 200 for GraphQL errors
 * when the client accepts only the legacy `application/json`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import { parseAcceptLanguage, type Context } from '../context.ts';
import { PayloadTooLargeError, readBody, sendJson } from './body.ts';
import { CACHE_HEADER, foldedDocument, type CachedAnswer, type PublicCache } from './public-cache.ts';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const SPEC_200_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

export interface GraphqlHttpOptions {
  apollo: ApolloServer<Context>;
  maxBodyBytes: number;
  context: (req: IncomingMessage) => Promise<Context>;
  /** Anonymous catalogue reads are answered from here once cached (`public-cache.ts`). */
  publicCache?: PublicCache;
  /**
   * Counts a request answered from the cache against the rate limits, as its context would have;
   * false when refused (the request then takes the ordinary path, which answers the refusal).
   */
  admitCached?: (req: IncomingMessage) => Promise<boolean>;
}

export async function handleGraphqlHttp(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: GraphqlHttpOptions,
): Promise<void> {
  const method = req.method ?? 'GET';
  const errorType = acceptsGraphqlResponse(req) ? GRAPHQL_RESPONSE : 'application/json';
  const fail = (status: number, message: string, headers: Record<string, string> = {}) =>
    sendJson(
      res,
      status,
      { errors: [{ message }] },
      { 'content-type': `${errorType}; charset=utf-8`, ...headers },
    );

  if (method !== 'GET' && method !== 'POST') {
    return fail(405, 'GraphQL requests use GET or POST.', { allow: 'GET, POST' });
  }
  let body: unknown;
  if (method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      return fail(415, 'Content-Type must be application/json.');
    }
    let raw: string;
    try {
      raw = await readBody(req, opts.maxBodyBytes);
    } catch (err) {
      if (err instanceof PayloadTooLargeError) {
        return fail(413, `The request body is larger than ${opts.maxBodyBytes} bytes.`, {
          connection: 'close',
        });
      }
      throw err;
    }
    try {
      body = JSON.parse(raw);
    } catch (err) {
      return fail(400, `The request body is not valid JSON: ${(err as Error).message}`);
    }
    if (Array.isArray(body))
      return fail(400, 'Batched requests are not supported: send one operation per request.');
    if (typeof body !== 'object' || body === null)
      return fail(400, 'The request body must be a JSON object.');
  }

  // Anonymous POSTs only: a GET may be a simple request, which Apollo's CSRF check refuses.
  const cache =
    opts.publicCache?.enabled && method === 'POST' && !req.headers.authorization ? opts.publicCache : null;
  const { query, operationName, variables } = (body ?? {}) as Record<string, unknown>;
  const key =
    cache && typeof query === 'string'
      ? cache.key([
          'graphql',
          foldedDocument(query),
          operationName ?? null,
          variables ?? null,
          parseAcceptLanguage(req.headers['accept-language']),
          errorType,
        ])
      : null;
  if (cache && key) {
    const hit = cache.lookup(key);
    if (hit && (await (opts.admitCached?.(req) ?? Promise.resolve(true)))) {
      res.writeHead(hit.status, { ...hit.headers, [CACHE_HEADER]: 'hit' });
      res.end(hit.body);
      for (const served of hit.onServe ?? []) served();
      return;
    }
  }
  const ticket = cache?.ticket() ?? 0;
  let context: Context | undefined;

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await opts.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search: url.search, body },
    context: async () => (context = await opts.context(req)),
  });
  await send(res, response, errorType, (answer) => {
    if (!cache || !key || !context?.publicAnswer.cacheable || answer.status !== 200) return false;
    cache.store(key, ticket, { ...answer, onServe: context.publicAnswer.onServe });
    return true;
  });
}

async function send(
  res: ServerResponse,
  response: HTTPGraphQLResponse,
  errorType: string,
  keep: (answer: CachedAnswer) => boolean = () => false,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of response.headers) headers[k] = v;
  let status = response.status ?? 200;

  if (response.body.kind === 'chunked') {
    res.writeHead(status, headers);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
    return;
  }
  let text = response.body.string;
  const type = headers['content-type'] ?? '';
  if (status >= 400 && !type.includes('json')) {
    // Apollo answers malformed requests (no query, bad GET…) in plain text: clients get JSON.
    text = JSON.stringify({ errors: [{ message: text.trim() }] });
    headers['content-type'] = `${errorType}; charset=utf-8`;
  } else if (status === 400 && type.startsWith('application/json')) {
    // For a well-formed request whose document or variables are invalid, the spec asks for 200
    // with legacy application/json: the client reads the errors from the body. Refusals of the
    // request itself (CSRF, query limits) stay 400, whatever the media type.
    const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    if (parsed.errors?.every((e) => SPEC_200_CODES.has(e.extensions?.code ?? ''))) status = 200;
  }
  headers['content-length'] = String(Buffer.byteLength(text));
  if (keep({ status, headers: { ...headers }, body: text })) headers[CACHE_HEADER] = 'miss';
  res.writeHead(status, headers);
  res.end(text);
}

function acceptsGraphqlResponse(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes(GRAPHQL_RESPONSE);
}
