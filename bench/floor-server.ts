/**
 * The floor under bench/catalogue's `node(id)` lookup: what this machine's Node.js costs per request
 * before the hub does any work of its own. Started by bench/catalogue.ts as a separate process with
 * the hub's node flags, loaded like the hub, its CPU read from /proc like the hub's.
 *
 *  - `FLOOR=http`: node:http reads the POST body (the hub's `readBody`), parses its JSON and answers the bytes the hub
 *    answered for the same id (a Map lookup): the HTTP server alone.
 *  - `FLOOR=apollo`: the same HTTP handling, then Apollo Server 5 with its defaults and graphql-js
 *    executing the same document on a schema of the same shape, every value read from memory (the
 *    hub's answers): the stack's GraphQL layer without a database, a token, Pothos or a plugin.
 *
 * ANSWERS is a JSON file `{ [offerGlobalId]: <the hub's `node` object> }`. Prints `listening <port>`.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { readBody } from '../src/http/body.ts';

const mode = process.env.FLOOR;
const answers = new Map(
  Object.entries(JSON.parse(readFileSync(process.env.ANSWERS ?? '', 'utf8')) as Record<string, unknown>),
);
const texts = new Map([...answers].map(([id, node]) => [id, JSON.stringify({ data: { node } })]));

const typeDefs = `#graphql
  interface Node { id: ID! }
  type LocalizedText { text: String! }
  type Organisation { name: String! slug: String! }
  type Site { name: String! commune: String }
  type Offer implements Node {
    id: ID!
    title: LocalizedText!
    organisation: Organisation!
    sites: [Site!]!
  }
  type Query { node(id: ID!): Node }
`;
const resolvers = {
  Node: { __resolveType: () => 'Offer' },
  Query: { node: (_: unknown, { id }: { id: string }) => answers.get(id) ?? null },
};
const apollo = mode === 'apollo' ? new ApolloServer({ typeDefs, resolvers }) : null;
await apollo?.start();

async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = JSON.parse(await readBody(req, 1 << 20)) as { variables?: { id?: string } };
  if (!apollo) {
    const text = texts.get(body.variables?.id ?? '') ?? '{"data":{"node":null}}';
    res.writeHead(200, {
      'content-type': 'application/graphql-response+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: '', body },
    context: () => Promise.resolve({}),
  });
  if (response.body.kind !== 'complete') throw new Error('a chunked answer: not expected here');
  const out: Record<string, string> = {};
  for (const [k, v] of response.headers) out[k] = v;
  out['content-length'] = String(Buffer.byteLength(response.body.string));
  res.writeHead(response.status ?? 200, out);
  res.end(response.body.string);
}

const server = http.createServer((req, res) => {
  answer(req, res).catch((err: unknown) => {
    res.writeHead(500).end(String(err));
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void apollo?.stop();
});
