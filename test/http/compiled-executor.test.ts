/**
 * The compiled executor (graphql-jit, src/http/compiled-executor.ts) answers exactly as graphql-js
 * does, with the same SQL statements: two hubs on one demo database, one compiling (the default)
 * and one interpreting, are asked every query of the client SDK by every kind of viewer, and the
 * answers (status, body) and statement counts must be equal. Plus the error paths that differ
 * between the two libraries unless handled: a resolver's domain error, a refused field, bad and
 * missing variables, an unknown operation.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kind, OperationTypeNode, print, type OperationDefinitionNode } from 'graphql';
import * as operations from '../../clients/generated/graphql.ts';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { startHub, type Hub } from '../../src/server.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let interpreting: Hub;
const tokens = new Map<string, string | undefined>([['anonymous', undefined]]);
const orgOf = new Map<string, { slug: string; id: string }>();
const ids: string[] = [];

const VIEWERS = [
  'lea.hoffmann@office-social.example',
  'marc.schmit@inter-actions.example',
  'carole.kremer@ona.example',
  'admin@maillage.example',
];

beforeAll(async () => {
  t = await startTestHub();
  await seedDemo(t.db.prisma);
  interpreting = await startHub({
    config: { ...t.config, GRAPHQL_COMPILE: false },
    db: t.db,
    logger: createLogger('silent'),
  });
  for (const email of VIEWERS) {
    const user = await t.db.prisma.user.findUniqueOrThrow({
      where: { email },
      include: { memberships: { include: { organisation: true } } },
    });
    tokens.set(
      email,
      await signUserToken(t.db.prisma, user, {
        issuer: t.config.AUTH_ISSUER,
        audience: t.config.AUTH_AUDIENCE,
        ttlSeconds: 600,
      }),
    );
    const org = user.memberships[0]?.organisation;
    if (org) orgOf.set(email, { slug: org.slug, id: encodeGlobalID('Organisation', org.id) });
  }
  const [referral] = await t.db.prisma.referral.findMany({ where: { status: 'IN_PROGRESS' }, take: 1 });
  const [offer] = await t.db.prisma.offer.findMany({ where: { status: 'PUBLISHED' }, take: 1 });
  const [site] = await t.db.prisma.site.findMany({ take: 1 });
  ids.push(
    encodeGlobalID('Referral', referral!.id),
    encodeGlobalID('Offer', offer!.id),
    encodeGlobalID('Site', site!.id),
  );
}, 180_000);

afterAll(async () => {
  await interpreting?.stop();
  await t?.close();
});

async function ask(port: number, query: string, variables: unknown, token?: string) {
  const before = t.queries.length;
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = JSON.parse(await res.text(), (_key, value: unknown) =>
    // A time of reading (e.g. `supplyReadAt`) differs between two requests: compare it as "now".
    typeof value === 'string' && ISO.test(value) && Math.abs(Date.parse(value) - Date.now()) < 60_000
      ? '<now>'
      : value,
  ) as unknown;
  return { status: res.status, body, statements: t.queries.length - before };
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Both hubs' answers to one request, side by side. */
async function both(query: string, variables: unknown, token?: string) {
  const interpreted = await ask(interpreting.port, query, variables, token);
  const compiled = await ask(t.hub.port, query, variables, token);
  return { compiled, interpreted };
}

const MONTH = new Date().toISOString().slice(0, 7);
const YEAR_AGO = new Date(Date.now() - 365 * 86_400_000).toISOString();
const NOW = new Date().toISOString();

/** Values for a query's required variables, by name, as a viewer would send them; null: not covered. */
function variableSets(op: OperationDefinitionNode, viewer: string): Record<string, unknown>[] | null {
  let sets: Record<string, unknown>[] = [{}];
  for (const v of op.variableDefinitions ?? []) {
    if (v.type.kind !== Kind.NON_NULL_TYPE || v.defaultValue) continue;
    const name = v.variable.name.value;
    const org = orgOf.get(viewer) ?? { slug: 'inter-actions', id: '' };
    const values: Record<string, unknown[]> = {
      id: ids,
      box: ['INCOMING', 'OUTGOING'],
      slug: [org.slug],
      organisationId: [org.id],
      from: [YEAR_AGO],
      to: [NOW],
      month: [MONTH],
      status: ['PENDING'],
    };
    const choices = values[name];
    if (!choices) return null;
    sets = sets.flatMap((set) => choices.map((value) => ({ ...set, [name]: value })));
  }
  return sets;
}

interface Answer {
  status: number;
  body: unknown;
  statements: number;
}
interface WireError {
  path?: (string | number)[];
}

/**
 * Equal answers, except for one difference the two libraries are allowed by the spec: when a
 * non-null field fails and nulls its parent, graphql-js drops the errors of the parent's other
 * fields that failed too, graphql-jit reports them. Such an extra error must be a sibling of a
 * reported one (same parent path); everything else, data first, must be equal.
 */
function sameAnswer(compiled: Answer, interpreted: Answer): boolean {
  if (isDeepStrictEqual(compiled, interpreted)) return true;
  const errorsOf = (a: Answer) => (a.body as { errors?: WireError[] }).errors ?? [];
  const withoutErrors = (a: Answer) => ({ ...a, body: { ...(a.body as object), errors: undefined } });
  if (!isDeepStrictEqual(withoutErrors(compiled), withoutErrors(interpreted))) return false;
  const parent = (e: WireError) => JSON.stringify(e.path?.slice(0, -1) ?? null);
  const reported = errorsOf(interpreted);
  const parents = new Set(reported.map(parent));
  const extra = errorsOf(compiled).filter((e) => !reported.some((r) => isDeepStrictEqual(r, e)));
  return (
    reported.every((r) => errorsOf(compiled).some((e) => isDeepStrictEqual(r, e))) &&
    extra.every((e) => parents.has(parent(e)))
  );
}

const queries = Object.entries(operations)
  .filter(([name]) => name.endsWith('Document'))
  .map(([name, doc]) => ({ name, doc }))
  .filter(({ doc }) =>
    doc.definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.QUERY,
    ),
  );

describe('the compiled executor answers as graphql-js does', () => {
  it('every SDK query, every viewer: same status, body and SQL statement count', async () => {
    let compared = 0;
    const differences: unknown[] = [];
    // The demo's access logs grow with every read of a person: reads of them cannot be compared.
    const growing = /AccessLog/;
    for (const { name, doc } of queries) {
      if (growing.test(name)) continue;
      const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
      const text = print(doc);
      for (const [viewer, token] of tokens) {
        for (const variables of variableSets(op, viewer) ?? []) {
          const { compiled, interpreted } = await both(text, variables, token);
          if (!sameAnswer(compiled, interpreted)) {
            differences.push({ name, viewer, variables, compiled, interpreted });
          }
          compared++;
        }
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(200);
  }, 300_000);

  it('errors: a domain error, a refused field, bad and missing variables, an unknown operation', async () => {
    const lea = tokens.get('lea.hoffmann@office-social.example');
    const cases: [string, unknown, string | undefined][] = [
      ['query { sites(commune: "Atlantis") { edges { node { name } } } }', {}, undefined],
      [`query { node(id: "${ids[1]}") { ... on Offer { changes { totalCount } } } }`, {}, undefined],
      [
        'query Q($first: Int) { offers(first: $first) { edges { node { id } } } }',
        { first: 'ten' },
        undefined,
      ],
      ['query Q($box: ReferralBox!) { referrals(box: $box) { totalCount } }', {}, lea],
      ['query Q($box: ReferralBox!) { referrals(box: $box) { totalCount } }', { box: 'SIDEWAYS' }, lea],
      ['query A { themes { code } } query B { themes { code } }', {}, undefined],
    ];
    for (const [query, variables, token] of cases) {
      const { compiled, interpreted } = await both(query, variables, token);
      expect({ query, ...compiled }).toEqual({ query, ...interpreted });
      expect(compiled.body).toHaveProperty('errors');
    }
  });
});
