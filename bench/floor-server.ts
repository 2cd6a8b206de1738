/**
 * Floors under bench/catalogue's `node(id)` lookup and bench/referrals' inbox page: what this
 * machine's Node.js and the GraphQL stack cost per request before the hub does any work of its
 * own. Started by the bench as a separate process with the hub's node flags, loaded like the hub,
 * its CPU read from /proc like the hub's. No database, no token, no Pothos, none of the hub's
 * plugins.
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
 * `SHAPE` says which read: `lookup` (the default, bench/catalogue's `node(id)`) or `inbox`
 * (bench/referrals' inbox page of 50). ANSWERS is a JSON file of the hub's answers' texts:
 * `{ [offerGlobalId]: text }` for a lookup, `{ inbox: text }` for the inbox (every request gets
 * that page, whoever asks). Prints `listening <port>`.
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
const shape = process.env.SHAPE ?? 'lookup';
if (!['lookup', 'inbox'].includes(shape)) throw new Error(`SHAPE=${shape}: not a read`);
const texts = new Map(
  Object.entries(JSON.parse(readFileSync(process.env.ANSWERS ?? '', 'utf8')) as Record<string, string>),
);
const dataOf = (text: string) => (JSON.parse(text) as { data: Record<string, unknown> }).data;
const nodes = new Map(shape === 'lookup' ? [...texts].map(([id, text]) => [id, dataOf(text).node]) : []);
const inboxPage = shape === 'inbox' ? dataOf(texts.get('inbox') ?? '').referrals : null;

/** The lookup's shape, every value read from the hub's answer. */
function lookupSchema() {
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

/**
 * The inbox page's shape, with the hub's types where they cost something to serialise (enums,
 * non-null checks, lists), every value read from the hub's answer: what executing and sending
 * the page costs when no resolver does any work.
 */
function inboxSchema() {
  const schema = buildSchema(`
    enum ReferralBox { INCOMING OUTGOING }
    enum ReferralStatus { ACCEPTED CANCELLED COMPLETED DECLINED DRAFT IN_PROGRESS ON_HOLD RECEIVED SENT }
    enum ReferralUrgency { ASAP ROUTINE URGENT }
    scalar DateTime
    type LocalizedText { text: String! }
    type ReferralPerson { initials: String birthYear: Int languages: [String!]! }
    type Offer { id: ID! title: LocalizedText! }
    type Organisation { name: String! }
    type ReferralEvent { type: String! toStatus: ReferralStatus at: DateTime! }
    type Referral {
      id: ID!
      reference: String!
      status: ReferralStatus!
      version: Int!
      urgency: ReferralUrgency!
      dueAt: DateTime
      person: ReferralPerson
      offer: Offer
      senderOrganisation: Organisation!
      lastEvent: ReferralEvent
    }
    type Edge { node: Referral! }
    type Connection { totalCount: Int! edges: [Edge!]! }
    type Query { referrals(box: ReferralBox!, first: Int!): Connection! }
  `);
  schema.getQueryType()!.getFields().referrals!.resolve = () => inboxPage;
  return schema;
}

function apolloOptions(): ApolloServerOptions<Context> {
  const schema = shape === 'lookup' ? lookupSchema() : inboxSchema();
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
  const text =
    (shape === 'lookup' ? texts.get(body.variables?.id ?? '') : texts.get('inbox')) ??
    '{"data":{"node":null}}';
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
