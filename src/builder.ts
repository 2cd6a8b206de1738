/**
 * The one SchemaBuilder: plugins, scalars and auth scopes. It defines no types; each module's
 * *.schema.ts does, and src/schema.ts imports them all.
 */
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID, resolveNodes } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLObjectType, isObjectType, Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import type { Context } from './context.ts';
import type { ApiScope, Role } from './generated/prisma/enums.ts';
import { getDatamodel, type default as PrismaTypes } from './generated/pothos-prisma-types.ts';
import { hasRole } from './modules/accounts/viewer.ts';
import CollectValidationPlugin from './modules/common/input-validation.plugin.ts';
import TypeScopesPlugin from './modules/common/type-scopes.plugin.ts';
import './modules/common/sync-global-ids.ts';
import { fieldProblems } from './modules/common/plain-issues.ts';
import { InvalidInputError } from './shared/errors.ts';
import { checkedRow, compiledReads, narrowShape } from './shared/db/prisma-json.ts';
import { lookupPlanner, type LookupPlan } from './shared/db/lookup-plans.ts';
import type { PrismaClient } from './generated/prisma/client.ts';

/** The client GraphQL's reads go through: node lookups and relation loads by key compile (prisma-json.ts). */
const readClient = (ctx: Context) => compiledReads(ctx.prisma, ctx.sql);

export interface AuthScopes {
  /** Anyone, without a token. */
  public: boolean;
  /** Any valid token: a person or an API client. */
  authenticated: boolean;
  /** A person (not an API client). */
  person: boolean;
  hubAdmin: boolean;
  /** A person holding one of `roles` in `organisationId`. */
  orgRole: { organisationId: string; roles: Role[] };
  /** An API client holding this scope. */
  apiScope: ApiScope;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date | string } };
}>({
  // CollectValidationPlugin after ValidationPlugin: it takes over `validate` options so that every
  // invalid field is answered at once (src/modules/common/input-validation.plugin.ts).
  // TypeScopesPlugin before ScopeAuthPlugin: it checks a type's fixed scopes once per request,
  // outside scope-auth's wrapper, so before a field's own scopes as scope-auth would
  // (src/modules/common/type-scopes.plugin.ts).
  plugins: [
    TypeScopesPlugin,
    ScopeAuthPlugin,
    ErrorsPlugin,
    ValidationPlugin,
    CollectValidationPlugin,
    PrismaPlugin,
    RelayPlugin,
    DataloaderPlugin,
  ],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      // Always true: TypeScopesPlugin relies on it (type-scopes.plugin.ts).
      public: true,
      authenticated: ctx.viewer !== null,
      person: ctx.viewer?.kind === 'user',
      hubAdmin: ctx.viewer?.kind === 'user' && ctx.viewer.hubAdmin,
      orgRole: ({ organisationId, roles }) => hasRole(ctx.viewer, organisationId, roles),
      apiScope: (scope) => ctx.viewer?.kind === 'apiClient' && ctx.viewer.scopes.has(scope),
    }),
  },
  // Never a default error type: only listed domain errors become results, nothing leaks.
  // Input validation failures become InvalidInputError where a field lists it.
  errors: { defaultTypes: [], unsafelyHandleInputErrors: true },
  validation: {
    // Argument and input validation failures become the typed InvalidInputError result, every
    // invalid field listed, in plain words.
    validationError: (failure) => new InvalidInputError(null, fieldProblems(failure.issues)),
  },
  prisma: {
    // Node lookups and relation loads by key in one statement where they compile (prisma-json.ts).
    client: readClient,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    maxConnectionSize: 100,
    defaultConnectionSize: 20,
    // Off: resolvers legitimately return null without querying (viewer for anonymous callers).
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // A malformed global ID decodes to no type at all: `node` answers null for it, like for an
    // unknown id; an argument that expects a given type refuses it as invalid input.
    decodeGlobalID: (globalID) => {
      try {
        return decodeGlobalID(globalID);
      } catch {
        return { typename: '', id: globalID };
      }
    },
    // Open to all: each node type's loader applies its own visibility rule, and an object the
    // caller may not see comes back null, exactly like an unknown one. So does an ID whose type
    // is not a node (an internal type such as Consent, or none at all).
    nodeQueryOptions: {
      authScopes: { public: true },
      resolve: (_root, { id }, _ctx, info, resolveNode) =>
        isNodeType(info, id.typename) ? resolveNode(id) : null,
    },
    nodesQueryOptions: {
      authScopes: { public: true },
      resolve: (_root, { ids }, ctx, info) =>
        loadNodes(
          ctx,
          info,
          ids.map((id) => (isNodeType(info, id.typename) ? id : null)),
        ),
    },
  },
});

/** Loads nodes by parsed global ID (null entries stay null), each by its type's loader. */
function loadNodes(
  ctx: Context,
  info: GraphQLResolveInfo,
  ids: ({ typename: string; id: string } | null)[],
): Promise<unknown[]> {
  return resolveNodes(builder, ctx, info, ids);
}

/**
 * A nullable prismaNode's `findUnique` and lookup (`node(id)`, `nodes(ids)`), spread into its options:
 * `...nodeLookup('Offer', (id, ctx) => where)`. Pothos' own lookup reads every column of the node
 * and of each relation it shows (include mode); this one plans the same query (`queryFromInfo`,
 * kept per document field by `lookupPlanner`) and reads only the columns the selection shows
 * (`narrowShape`, as the inbox page does), in one statement where it compiles. `where` is the
 * node's rule, given once for both.
 */
export function nodeLookup<Where>(modelName: keyof PrismaTypes, where: (id: string, ctx: Context) => Where) {
  const delegateName = `${modelName.slice(0, 1).toLowerCase()}${modelName.slice(1)}`;
  const plan = lookupPlanner(modelName, (query, info) => {
    const type = info.schema.getType(modelName) as GraphQLObjectType;
    return narrowShape(modelName, query, type, selectionsOn(type, info), info.fragments);
  });
  const lookup = {
    findUnique: where,
    loadWithoutCache: (id: string, ctx: Context, info: GraphQLResolveInfo) => {
      const load = ({ shape }: LookupPlan) => {
        const delegate = (readClient(ctx) as unknown as Record<string, PrismaClient['offer']>)[delegateName]!;
        return (delegate.findUnique({ ...shape, where: where(id, ctx) } as never) as Promise<unknown>).then(
          (row) => row && checkedRow(modelName, row as Record<string, unknown>, shape),
        );
      };
      const planned = plan(ctx, info);
      return 'then' in planned ? planned.then(load) : load(planned);
    },
  };
  return lookup;
}

/** What the field `info` resolves selects, leaving out fragments on other object types (`... on Site`). */
function selectionsOn(type: GraphQLObjectType, info: GraphQLResolveInfo): SelectionNode[] {
  return info.fieldNodes
    .flatMap((f) => f.selectionSet?.selections ?? [])
    .filter((sel) => {
      if (sel.kind === Kind.FIELD) return true;
      const on =
        sel.kind === Kind.INLINE_FRAGMENT ? sel.typeCondition : info.fragments[sel.name.value]?.typeCondition;
      const named = on && info.schema.getType(on.name.value);
      return !(named instanceof GraphQLObjectType) || named === type;
    });
}

/** True when `typename` is an object type of the schema that implements Node. */
function isNodeType(info: GraphQLResolveInfo, typename: string): boolean {
  const type = typename ? info.schema.getType(typename) : undefined;
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.queryType({});
builder.mutationType({});

/** The builder's resolved types, for helpers that build fields outside a type's `fields`. */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
/** Field builder of input objects, for input field sets shared by create and update inputs. */
export type InputFields = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;
