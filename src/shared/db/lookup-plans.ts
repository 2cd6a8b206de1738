/**
 * Pothos' plan of a node lookup, kept per document field (issue 15, item 4).
 *
 * `queryFromInfo` walks the selection, runs every field's `select` and plays the result into a
 * Prisma query each time a lookup resolves: 15 % of a `node(id)`'s hub CPU, and `narrowShape`
 * another 4 % (bench/catalogue --profile). For one field of one document the answer is the same
 * every time unless it depends on the request: on the variables the selection reads (`@skip`,
 * `@include`, arguments), or on the context, which a field's `select` or relation `query` may read
 * (`Organisation.offers` reads the viewer). So the plan runs against a context that watches its
 * reads, and is kept only when nothing read it; it is kept per value of the variables its
 * selection names. Apollo keeps parsed documents, so a repeated query text is the same AST.
 * (A `select` that read the arguments of a field above the planned one, through its position,
 * would escape the key: none does; each reads its own field's arguments.) Nor can the proxy see
 * the clock: a `query` or `select` that compares with the time reads it from the context
 * (`ctx.now()`), never with `new Date()`, or the first request's time would be kept with the plan.
 *
 * What is kept is the narrowed shape and the loader mappings the plan recorded (which relations
 * it loaded, so their resolvers answer from the row): the mappings are recorded again on each
 * request's context, as Pothos' own plan would (`setLoaderMappings`).
 */
import { queryFromInfo } from '@pothos/plugin-prisma';
import { getLoaderMapping, setLoaderMappings } from '@pothos/selection-mapper';
import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionNode,
} from 'graphql';
import type { Context } from '../../context.ts';
import { responseKeysOf, waysDown } from '../selection.ts';
import type { Shape } from './prisma-json.ts';

type Mapping = NonNullable<ReturnType<typeof getLoaderMapping>>;

/** A lookup's plan: the query it reads with, and the mappings of the relations that query loads. */
export interface LookupPlan {
  shape: Shape;
  mappings: Record<string, Mapping>;
}

/** The cache label of kept plans in the hub's metrics: a miss is a read that had to plan. */
export const PLANS_CACHE = 'read_plans';
/** Where Pothos' context caches find their key (`createContextCache` in @pothos/core). */
const CONTEXT_CACHE = Symbol.for('Pothos.contextCache');
/** Plans kept per field and node type: one per value of the variables the selection names. */
const VALUES_MAX = 32;
/** Tests' hubs freeze kept shapes, so that code writing into a shared one throws (strict mode). */
const freezeKept = process.env.NODE_ENV === 'test';

interface FieldPlans {
  variables: string[];
  byValues: Map<string, LookupPlan>;
}

/**
 * The planner of one node type's reads: a lookup (`path` empty) or the nodes of a page (`path`
 * `['edges', 'node']`). `narrow` turns Pothos' query into the shape the read uses.
 */
export function lookupPlanner(
  typeName: string,
  narrow: (query: Shape, info: GraphQLResolveInfo) => Shape,
  path: readonly string[] = [],
) {
  const kept = new WeakMap<FieldNode, FieldPlans>();
  const planner = (ctx: Context, info: GraphQLResolveInfo): LookupPlan | Promise<LookupPlan> => {
    // A response key merged from several field nodes is planned each time (rare: a fragment on Query).
    const fieldNode = info.fieldNodes.length === 1 ? info.fieldNodes[0]! : undefined;
    let field = fieldNode && kept.get(fieldNode);
    if (fieldNode && !field) {
      const variables = variablesUnder(fieldNode.selectionSet?.selections ?? [], info.fragments);
      field = { variables: [...variables], byValues: new Map() };
      kept.set(fieldNode, field);
    }
    // A variable left out and one given as null are told apart (an argument's default differs).
    const given = info.variableValues;
    const values =
      field && JSON.stringify(field.variables.map((name) => (name in given ? [given[name]] : [])));
    const hit = field && field.byValues.get(values!);
    ctx.cacheLookup(PLANS_CACHE, Boolean(hit));
    if (hit) {
      setLoaderMappings(ctx, info, hit.mappings);
      return hit;
    }
    const watch = watchedContext(ctx);
    const query = queryFromInfo({
      context: watch.context,
      info,
      typeName,
      ...(path.length ? { path: [...path] } : {}),
      awaitSelections: true,
    }) as Shape | PromiseLike<Shape>;
    const settle = (settled: Shape): LookupPlan => {
      const plan = {
        shape: narrow(settled, info),
        mappings: recordedMappings(watch.recorder, info, typeName, path),
      };
      if (field && !watch.read() && field.byValues.size < VALUES_MAX) {
        if (freezeKept) deepFreeze(plan.shape);
        field.byValues.set(values!, plan);
      }
      setLoaderMappings(ctx, info, plan.mappings);
      return plan;
    };
    return 'then' in query ? Promise.resolve(query).then(settle) : settle(query);
  };
  return planner;
}

/**
 * `ctx` behind a proxy that notes any read of it. Pothos' context caches are keyed by `recorder`
 * instead, so the mappings the plan records land where `recordedMappings` reads them back, apart
 * from the request's own.
 */
function watchedContext(ctx: Context) {
  const recorder = {};
  let read = false;
  const note = () => {
    read = true;
  };
  const context = new Proxy(ctx, {
    get(target, key) {
      if (key === CONTEXT_CACHE) return recorder;
      note();
      return Reflect.get(target, key) as unknown;
    },
    has: (target, key) => (note(), Reflect.has(target, key)),
    ownKeys: (target) => (note(), Reflect.ownKeys(target)),
    getOwnPropertyDescriptor: (target, key) => (note(), Reflect.getOwnPropertyDescriptor(target, key)),
    set: (target, key, value) => (note(), Reflect.set(target, key, value)),
    defineProperty: (target, key, descriptor) => (note(), Reflect.defineProperty(target, key, descriptor)),
    deleteProperty: (target, key) => (note(), Reflect.deleteProperty(target, key)),
  });
  return { context, recorder, read: () => read };
}

/**
 * The mappings the plan recorded under the field `info` resolves, one per field it selects on the
 * type, read back from `recorder`'s cache. They are keyed as `cacheKey` names them: the type, `@`,
 * then the response keys from the field down (`Offer@edges.node.title`), aliases included.
 */
function recordedMappings(
  recorder: object,
  info: GraphQLResolveInfo,
  typeName: string,
  path: readonly string[],
): Record<string, Mapping> {
  const mappings: Record<string, Mapping> = {};
  const selections = info.fieldNodes.flatMap((f) => f.selectionSet?.selections ?? []);
  for (const { keys, below } of waysDown(path, selections, info.fragments)) {
    let at: GraphQLResolveInfo['path'] = info.path;
    for (const key of keys) at = { prev: at, key, typename: undefined };
    for (const alias of responseKeysOf(below, info.fragments)) {
      const mapping = getLoaderMapping(
        recorder,
        { prev: at, key: alias, typename: typeName },
        typeName,
        null,
      );
      if (mapping) mappings[`${typeName}@${[...keys, alias].join('.')}`] = mapping;
    }
  }
  return mappings;
}

/** The variables named anywhere under `selections` (arguments and directives), through fragments. */
function variablesUnder(
  selections: readonly SelectionNode[],
  fragments: Record<string, FragmentDefinitionNode>,
  into = new Set<string>(),
  seen = new Set<string>(),
): Set<string> {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const n = node as { kind?: string; name?: { value: string } };
    if (n.kind === Kind.VARIABLE) into.add(n.name!.value);
    else if (n.kind === Kind.FRAGMENT_SPREAD && !seen.has(n.name!.value)) {
      seen.add(n.name!.value);
      visit(fragments[n.name!.value]);
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'loc') visit(value);
  };
  visit(selections);
  return into;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
