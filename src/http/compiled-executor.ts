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
  isObjectType,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Compiled documents by parsed document (Apollo keeps one DocumentNode per query text) and operation. */
type Compiled = Map<string | null, CompiledQuery>;

export function compiledExecutorGateway(schema: GraphQLSchema): GatewayInterface {
  canonicalPaths(schema);
  const compiled = new WeakMap<DocumentNode, Compiled>();

  const compile = (document: DocumentNode, operationName: string | null): CompiledQuery | ExecutionResult => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map<string | null, CompiledQuery>()));
    let query = byOperation.get(operationName);
    if (!query) {
      const result = compileQuery(schema, document, operationName ?? undefined, {
        // Apollo formats errors; stack traces are never sent.
        disablingCapturingStackErrors: true,
        resolverInfoEnricher: () => ({ [COMPILED]: true }),
      });
      if (!isCompiledQuery(result)) return result;
      query = result;
      byOperation.set(operationName, query);
    }
    return query;
  };

  const executor: GatewayExecutor = async ({ document, operation, operationName, request, context }) => {
    // No such operation in the document: graphql-js says so, in its words, as Apollo expects.
    if (!operation) return execute({ schema, document, operationName: request.operationName });
    const query = compile(document, operationName);
    if (!isCompiledQuery(query)) return { errors: query.errors?.map(asGraphQLError) };
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
function canonicalPaths(schema: GraphQLSchema): void {
  const marked = schema as GraphQLSchema & { [WRAPPED]?: true };
  if (marked[WRAPPED]) return;
  marked[WRAPPED] = true;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
        if ((info as unknown as Record<string, unknown>)[COMPILED]) {
          (info as { path: unknown }).path = canonical(context as Record<symbol, Link>, info.path);
        }
        return resolve(source, args, context, info);
      };
      field.resolve = wrapped;
    }
  }
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
