/**
 * A type's scopes, checked without scope-auth's per-field machinery where the answer cannot
 * depend on the object.
 *
 * Every object type declares who may read it (closed by default, `test/schema/generated.test.ts`).
 * `@pothos/plugin-scope-auth` checks a type's scopes on every field of every object of that type
 * (its `runScopesOnType` alternative does not work with graphql-jit, which `compiled-executor.ts`
 * runs): a wrapper around each resolver that builds closures on every call. Most types declare a
 * fixed map (`{ authenticated: true }`, `{ person: true }`), whose answer depends on the request
 * only. For their fields:
 *
 * - a type declared `{ public: true }` (46 types): its fields run unwrapped, since `public` is true
 *   for every request (`builder.ts`). That was 13 % of the catalogue search's allocations;
 * - any other fixed map: a light wrapper asks scope-auth's own request cache
 *   (`RequestCache.evaluateScopeMap`, the call scope-auth's type step makes, answered once per
 *   request) and refuses with the error scope-auth gives. That was 11 % of the referral inbox's
 *   allocations (profile of bench/referrals).
 *
 * The light wrapper carries its guard (`typeScopesGuard`): the compiled executor asks each guard
 * once per request and, when every type a document reads is allowed, runs the guarded resolvers
 * without their wrappers (`src/http/compiled-executor.ts`).
 *
 * Both set `skipTypeScopes`, so scope-auth keeps only the rest: a field's own `authScopes`, checked
 * after the type's as before. Left to scope-auth entirely: types whose scopes are a function of the
 * object or grant scopes, fields an interface declares, fields with their own
 * `unauthorizedResolver`/`unauthorizedError`, root types, and fields on which scope-auth would
 * not check the type's scopes at all (a field's own `skipTypeScopes`, `runScopesOnType`,
 * `disableScopeAuth`).
 */
import SchemaBuilder, {
  BasePlugin,
  isThenable,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import {
  AuthScopeFailureType,
  ForbiddenError,
  RequestCache,
  type AuthFailure,
  type AuthScopeMap,
} from '@pothos/plugin-scope-auth';
import { defaultFieldResolver, type GraphQLFieldResolver } from 'graphql';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos registers plugins in its namespace.
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      typeScopes: TypeScopesPlugin<Types>;
    }
  }
}

/** Whether `scopes` is exactly `{ public: true }`: no other scope, no function, no `$any`/`$all`. */
export function onlyPublic(scopes: unknown): boolean {
  if (typeof scopes !== 'object' || scopes === null) return false;
  const entries = Object.entries(scopes);
  return entries.length === 1 && entries[0]![0] === 'public' && entries[0]![1] === true;
}

/**
 * Whether a type's `scopes` can be answered once per request: a map (not a function of the object)
 * without `$granted`, whose answer scope-auth would cache for the whole request as well.
 */
export function fixedPerRequest(scopes: unknown): scopes is object {
  return typeof scopes === 'object' && scopes !== null && !JSON.stringify(scopes).includes('"$granted"');
}

interface TypeOptions {
  authScopes?: unknown;
  grantScopes?: unknown;
  runScopesOnType?: boolean;
}
interface FieldOptions {
  skipTypeScopes?: boolean;
  unauthorizedResolver?: unknown;
  unauthorizedError?: unknown;
  /** Set here: the parent type's fixed scope map, answered once per request. */
  requestTypeScopes?: object;
}

export class TypeScopesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (fieldConfig.graphqlKind !== 'Object') return fieldConfig;
    const typeConfig = this.buildCache.getTypeConfig(fieldConfig.parentType);
    if (typeConfig.graphqlKind !== 'Object' || typeConfig.kind !== 'Object') return fieldConfig;
    const { authScopes, grantScopes, runScopesOnType } = typeConfig.pothosOptions as TypeOptions;
    const options = fieldConfig.pothosOptions as FieldOptions;
    const scopeAuth = this.builder.options.scopeAuth;
    // Where scope-auth would not check the type's scopes on this field, neither does this plugin.
    if (
      options.skipTypeScopes ||
      runScopesOnType ||
      scopeAuth?.runScopesOnType ||
      this.options.disableScopeAuth
    ) {
      return fieldConfig;
    }
    if (onlyPublic(authScopes)) {
      return {
        ...fieldConfig,
        pothosOptions: { ...fieldConfig.pothosOptions, skipTypeScopes: true },
      } as PothosOutputFieldConfig<Types>;
    }
    if (
      !fixedPerRequest(authScopes) ||
      grantScopes !== undefined ||
      options.unauthorizedResolver !== undefined ||
      options.unauthorizedError !== undefined ||
      scopeAuth?.unauthorizedError !== undefined
    ) {
      return fieldConfig;
    }
    return {
      ...fieldConfig,
      pothosOptions: { ...fieldConfig.pothosOptions, skipTypeScopes: true, requestTypeScopes: authScopes },
    } as PothosOutputFieldConfig<Types>;
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const scopes = (fieldConfig.pothosOptions as FieldOptions).requestTypeScopes as
      AuthScopeMap<Types> | undefined;
    if (!scopes) return resolver;
    const builder = this.builder;
    const message = `Not authorized to read fields for ${fieldConfig.parentType}`;
    const refuse = (failure: AuthFailure): never => {
      // As scope-auth's default: a scope function's own error, else a ForbiddenError.
      const own =
        (failure.kind === AuthScopeFailureType.AuthScope ||
          failure.kind === AuthScopeFailureType.AuthScopeFunction) &&
        failure.error;
      throw own || new ForbiddenError(message, failure);
    };
    const checkTypeScopes: GraphQLFieldResolver<unknown, Types['Context'], object> = (
      parent,
      args,
      context,
      info,
    ) => {
      const failure = RequestCache.fromContext(context, builder).evaluateScopeMap(scopes, info);
      if (failure === null) return resolver(parent, args, context, info);
      if (isThenable(failure)) {
        return failure.then((f) => (f === null ? resolver(parent, args, context, info) : refuse(f)));
      }
      return refuse(failure);
    };
    const guard: TypeScopesGuard = {
      scopes,
      // `info` only serves `$granted`, which a fixed map never holds (`fixedPerRequest`).
      allows: (context) => {
        const failure = RequestCache.fromContext(context, builder).evaluateScopeMap(scopes, undefined);
        return isThenable(failure) ? failure.then((f) => f === null) : failure === null;
      },
      resolve:
        resolver === defaultFieldResolver ? undefined : (resolver as GraphQLFieldResolver<unknown, unknown>),
    };
    Object.defineProperty(checkTypeScopes, GUARD, { value: guard });
    return checkTypeScopes;
  }
}

/**
 * What a field's type-scope wrapper checks, and the resolver it guards. The answer is the same for
 * every field of the type in a request, so an executor that asks `allows` once per request for
 * every type a document reads may then call `resolve` directly (`compiled-executor.ts`).
 */
export interface TypeScopesGuard {
  /** The type's scope map: one object per type, shared by its fields' guards. */
  readonly scopes: object;
  /** Whether this request may read the type's fields (scope-auth's own per-request answer). */
  readonly allows: (context: object) => boolean | Promise<boolean>;
  /** The guarded resolver; undefined where it is graphql-js's default (a property read). */
  readonly resolve: GraphQLFieldResolver<unknown, unknown> | undefined;
}

const GUARD = Symbol('type scopes guard');

/** The guard of a resolver made by `TypeScopesPlugin`, if `resolve` is one. */
export function typeScopesGuard(resolve: unknown): TypeScopesGuard | undefined {
  return typeof resolve === 'function' ? (resolve as { [GUARD]?: TypeScopesGuard })[GUARD] : undefined;
}

SchemaBuilder.registerPlugin('typeScopes', TypeScopesPlugin);
export default 'typeScopes' as const;
