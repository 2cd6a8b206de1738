/**
 * Floors under bench/catalogue's `node(id)` lookup: what this machine's Node.js and the GraphQL
 * stack cost per request before the hub does any work of its own. Started by bench/catalogue.ts as
 * a separate process with the hub's node flags, loaded like the hub, its CPU read from /proc like
 * the hub's. No database, no token, no Pothos, none of the hub's plugins.
 *
 *  - `FLOOR=http`: node:http reads the POST body (the hub's `readBody`), parses its JSON and answers
 *    the bytes the hub answered for the same id, as they came (a Map lookup).
 *  - `FLOOR=apollo`: the hub's HTTP adapter (`handleGraphqlHttp`) and Apollo Server 5 with its
 *    defaults, graphql-js executing the same document on a schema of the same shape, every value
 *    the hub's answer read from memory.
 *  - `FLOOR=apollo-jit`: the same, with Apollo configured as the hub configures it: documents run
 *    by the hub's compiled executor (graphql-jit, `compiled-executor.ts`), cache hints and landing
 *    page off.
 *
 * ANSWERS is a JSON file `{ [offerGlobalId]: <the hub's answer's text> }`. Prints `listening <port>`.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSchema, type GraphQLInterfaceType } from 'graphql';
import type { Context } from '../src/context.ts';
import { readBody } from '../src/http/body.ts';
import { compiledExecutorGateway } from '../src/http/compiled-executor.ts';
import { handleGraphqlHttp } from '../src/http/graphql-http.ts';

const mode = process.env.FLOOR ?? '';
if (!['http', 'apollo', 'apollo-jit'].includes(mode)) throw new Error(`FLOOR=${mode}: not a floor`);
const texts = new Map(
  Object.entries(JSON.parse(readFileSync(process.env.ANSWERS ?? '', 'utf8')) as Record<string, string>),
);
const nodes = new Map(
  [...texts].map(([id, text]) => [id, (JSON.parse(text) as { data: { node: unknown } }).data.node]),
);

/** The lookup's shape, every value read from the hub's answer. */
function floorSchema() {
  const schema = buildSchema(`
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
  `);
  (schema.getType('Node') as GraphQLInterfaceType).resolveType = () => 'Offer';
  schema.getQueryType()!.getFields().node!.resolve = (_: unknown, { id }: { id?: string }) =>
    nodes.get(id ?? '') ?? null;
  return schema;
}

function apolloOptions(): ApolloServerOptions<Context> {
  const schema = floorSchema();
  if (mode === 'apollo') return { schema };
  return {
    gateway: compiledExecutorGateway(schema),
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  };
}

const apollo = mode === 'http' ? null : new ApolloServer<Context>(apolloOptions());
await apollo?.start();

async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (apollo) {
    const url = new URL(req.url ?? '/', 'http://floor');
    // The floor's resolvers read no context.
    const context = () => Promise.resolve({} as Context);
    return handleGraphqlHttp(req, res, url, { apollo, maxBodyBytes: 1 << 20, context });
  }
  const body = JSON.parse(await readBody(req, 1 << 20)) as { variables?: { id?: string } };
  const text = texts.get(body.variables?.id ?? '') ?? '{"data":{"node":null}}';
  res.writeHead(200, {
    'content-type': 'application/graphql-response+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

const server = http.createServer((req, res) => {
  answer(req, res).catch((err: unknown) => {
    // A JSON error the bench reports as such; after the headers, only the connection can go.
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
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
