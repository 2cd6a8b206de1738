/**
 * GraphQL documents compiled once into a function (graphql-jit) instead of interpreted by
 * graphql-js for every request.
 *
 * An inbox page calls about a thousand resolvers: graphql-js walks the document for each object,
 * collects its fields, builds every field's arguments and path, and checks each value's type, for
 * every row of every request. graphql-jit does that walk once per document and generates a
 * function that calls the same resolvers (Pothos', unchanged) with the same `info`.
 *
 * Apollo Server 4+ takes another executor only through its gateway interface (its documented way
 * since the `executor` option went away): this gateway serves our own schema and executes with
 * the compiled function. Parsing, validation, plugins, `formatError` and the HTTP answer stay
 * Apollo's. A bad variable gets graphql-js's own message; subscriptions run through graphql-ws and
 * graphql-js as before.
 *
 * One difference had to be undone: graphql-js gives every field execution one `info.path` link,
 * shared by the fields beneath it, and Pothos' prisma plugin keys what a parent query loaded by
 * those links' identity (`@pothos/selection-mapper`: a scope recorded at a row's path answers for
 * the fields below it). graphql-jit builds a fresh chain of links for every resolver call, so
 * those scopes were never found again and every lookup rebuilt its key (10 % of an inbox page's
 * CPU). `canonicalPaths` hands resolvers one link per path and request, as graphql-js does.
 *
 * Type scopes are checked once per request, not once per field and row: a type whose scopes are a
 * fixed map (`{ authenticated: true }`) gets the same answer for every field in a request, yet its
 * fields each carry TypeScopesPlugin's check (`type-scopes.plugin.ts`), and a resolver each, so
 * graphql-jit calls a function for every column of every row (550 calls on an inbox page). Each
 * document is therefore also compiled without those checks (`trusted`: an exposed column becomes
 * the property read graphql-jit inlines), and a request runs that compilation only after the
 * scopes of every type the document reads have allowed it. Any refusal runs the checked one, so
 * the errors and their paths are the ones every field gave before.
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getVariableValues,
  GraphQLError,
  printSchema,
  type ExecutionResult,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLField,
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { typeScopesGuard, type TypeScopesGuard } from '../modules/common/type-scopes.plugin.ts';

/**
 * One document and operation, compiled twice at most: `checked` calls every field's resolver as
 * the schema has it; `trusted` is compiled with the fields of the types in `guards` unguarded
 * (their type-scope check taken out, and a plain property read inlined where that is all the
 * field does). A request runs `trusted` only when it may read every one of those types.
 */
interface Compiled {
  guards: TypeScopesGuard[];
  checked: CompiledQuery;
  trusted?: CompiledQuery;
}

export function compiledExecutorGateway(schema: GraphQLSchema): GatewayInterface {
  const unguarded = canonicalPaths(schema);
  const compiled = new WeakMap<DocumentNode, Map<string | null, Compiled | ExecutionResult>>();

  const compileOnce = (
    document: DocumentNode,
    operationName: string | null,
  ): CompiledQuery | ExecutionResult =>
    compileQuery(schema, document, operationName ?? undefined, {
      // Apollo formats errors; stack traces are never sent.
      disablingCapturingStackErrors: true,
      resolverInfoEnricher: () => ({ [COMPILED]: true }),
    });

  const entry = (document: DocumentNode, operationName: string | null): Compiled | ExecutionResult => {
    let byOperation = compiled.get(document);
    if (!byOperation)
      compiled.set(document, (byOperation = new Map<string | null, Compiled | ExecutionResult>()));
    let found = byOperation.get(operationName);
    if (!found) {
      const checked = compileOnce(document, operationName);
      found = isCompiledQuery(checked) ? { guards: guardsOf(schema, document, unguarded), checked } : checked;
      byOperation.set(operationName, found);
    }
    return found;
  };

  /** The document compiled with every guarded field's resolver swapped for its unguarded one. */
  const trustedOf = (
    document: DocumentNode,
    operationName: string | null,
    found: Compiled,
  ): CompiledQuery => {
    if (found.trusted) return found.trusted;
    if (found.guards.length === 0) return (found.trusted = found.checked);
    // graphql-jit reads `field.resolve` while it compiles (synchronously), never after.
    for (const [field, resolve] of unguarded) field.resolve = resolve.trusted;
    try {
      const trusted = compileOnce(document, operationName);
      found.trusted = isCompiledQuery(trusted) ? trusted : found.checked;
    } finally {
      for (const [field, resolve] of unguarded) field.resolve = resolve.checked;
    }
    return found.trusted;
  };

  const executor: GatewayExecutor = async ({ document, operation, operationName, request, context }) => {
    // No such operation in the document: graphql-js says so, in its words, as Apollo expects.
    if (!operation) return execute({ schema, document, operationName: request.operationName });
    const found = entry(document, operationName);
    if (!('guards' in found)) return { errors: found.errors?.map(asGraphQLError) };
    // The caller may read every type the document reads: no field needs its type's check.
    const allowed = allowsAll(found.guards, context);
    const query =
      allowed === true || (allowed !== false && (await allowed))
        ? trustedOf(document, operationName, found)
        : found.checked;
    const result = await query.query(undefined, context, request.variables ?? {});
    // No data at all: the variables did not coerce. Say why in graphql-js's words.
    if (result.errors && !('data' in result)) {
      const { errors } = getVariableValues(
        schema,
        operation.variableDefinitions ?? [],
        request.variables ?? {},
        { maxErrors: 50 },
      );
      if (errors) return { errors };
    }
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    load: () => Promise.resolve({ executor }),
    stop: () => Promise.resolve(),
  };
}

/**
 * One guard per type whose fields the document (any of its operations and fragments) selects and
 * whose fields check the type's fixed scopes: on an interface or union, every type it may be.
 */
function guardsOf(schema: GraphQLSchema, document: DocumentNode, unguarded: Unguarded): TypeScopesGuard[] {
  const byScopes = new Map<object, TypeScopesGuard>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        const types = isObjectType(parent) ? [parent] : schema.getPossibleTypes(parent);
        for (const type of types) {
          const field = type.getFields()[node.name.value];
          const guard = field && unguarded.get(field)?.guard;
          if (guard && !byScopes.has(guard.scopes)) byScopes.set(guard.scopes, guard);
        }
      },
    }),
  );
  return [...byScopes.values()];
}

/**
 * Whether the request may read every guarded type. A check that fails in any way answers false:
 * the document then runs with every field's own check, which fails or refuses as it always did.
 */
function allowsAll(guards: readonly TypeScopesGuard[], context: object): boolean | Promise<boolean> {
  let pending: Promise<boolean>[] | undefined;
  try {
    for (const guard of guards) {
      const allowed = guard.allows(context);
      if (allowed === false) return false;
      if (allowed !== true) (pending ??= []).push(allowed);
    }
  } catch {
    return false;
  }
  return pending
    ? Promise.all(pending).then(
        (all) => all.every(Boolean),
        () => false,
      )
    : true;
}

/**
 * graphql-jit's errors as graphql-js makes them: its own error type leaves `extensions` undefined
 * when the thrown error has none, where graphql-js (and Apollo after it) expects an object.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const located = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError,
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
  (located as { locations: GraphQLError['locations'] }).locations = error.locations;
  return located;
}

/** Marks the `info` of a compiled document's resolver calls (graphql-jit copies it into each). */
const COMPILED = 'maillageCompiledInfo';
const CANONICAL = Symbol('canonical response paths');
const WRAPPED = Symbol('resolvers give canonical paths');

/** The fields whose resolver checks its type's scopes: the guard, and the resolver with and without it. */
type Unguarded = Map<
  GraphQLField<unknown, unknown>,
  {
    guard: TypeScopesGuard;
    checked: GraphQLFieldResolver<unknown, unknown>;
    trusted: GraphQLFieldResolver<unknown, unknown> | undefined;
  }
>;

/** A response path link as graphql-js makes it, with the links already made beneath it. */
interface Link {
  readonly prev: Link | undefined;
  readonly key: string | number;
  readonly typename: string | undefined;
  below?: Map<string | number, Link>;
}

/**
 * Wraps every field resolver of `schema` (once) so that a compiled document's resolver gets, for
 * each response path, the one link object this request made for it: a trie of links per request
 * context, walked from the root. graphql-js's own calls pass through untouched.
 */
function canonicalPaths(schema: GraphQLSchema): Unguarded {
  const marked = schema as GraphQLSchema & { [WRAPPED]?: Unguarded };
  if (marked[WRAPPED]) return marked[WRAPPED];
  const unguarded: Unguarded = new Map();
  marked[WRAPPED] = unguarded;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = canonicalCalls(resolve);
      const guard = typeScopesGuard(resolve);
      if (guard) {
        const trusted = guard.resolve && canonicalCalls(guard.resolve);
        unguarded.set(field, { guard, checked: field.resolve, trusted });
      }
    }
  }
  return unguarded;
}

/** `resolve`, handed the canonical link of its path when a compiled document calls it. */
function canonicalCalls(
  resolve: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    if ((info as unknown as Record<string, unknown>)[COMPILED]) {
      (info as { path: unknown }).path = canonical(context as Record<symbol, Link>, info.path);
    }
    return resolve(source, args, context, info);
  };
}

function canonical(
  context: Record<symbol, Link>,
  path: GraphQLResolveInfo['path'] | undefined,
): Link | undefined {
  if (!path) return undefined;
  let root = context[CANONICAL];
  if (!root) {
    root = { prev: undefined, key: '', typename: undefined };
    Object.defineProperty(context, CANONICAL, { value: root });
  }
  return linkOf(root, path);
}

function linkOf(root: Link, path: GraphQLResolveInfo['path']): Link {
  const parent = path.prev ? linkOf(root, path.prev) : root;
  const below = (parent.below ??= new Map<string | number, Link>());
  let link = below.get(path.key);
  if (!link) {
    link = { prev: parent === root ? undefined : parent, key: path.key, typename: path.typename };
    below.set(path.key, link);
  }
  return link;
}
