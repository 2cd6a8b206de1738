/**
 * Fields of a type open to everyone skip scope-auth's per-field check of their type's scopes.
 *
 * Every object type declares who may read it (closed by default, `test/schema/generated.test.ts`).
 * `@pothos/plugin-scope-auth` checks a type's scopes on every field of every object of that type
 * (its `runScopesOnType` alternative does not work with graphql-jit, which `compiled-executor.ts`
 * runs): a wrapper around each resolver, and a Map of checked scopes per object. For the 46 types
 * declared `authScopes: { public: true }` the answer is known when the schema is built, since the
 * `public` scope is true for every request (`builder.ts`): their fields set `skipTypeScopes`, and
 * their resolvers run unwrapped. That was 13 % of the catalogue search's allocations (profile of
 * bench/catalogue). A field's own `authScopes` is still checked, and a field an interface declares
 * (`id`, an error's `message`) keeps its checks as before; any other type scope (`authenticated`, `person`, a function of the
 * row…) is untouched.
 */
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos registers plugins in its namespace.
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      publicTypes: PublicTypesPlugin<Types>;
    }
  }
}

/** Whether `scopes` is exactly `{ public: true }`: no other scope, no function, no `$any`/`$all`. */
export function onlyPublic(scopes: unknown): boolean {
  if (typeof scopes !== 'object' || scopes === null) return false;
  const entries = Object.entries(scopes);
  return entries.length === 1 && entries[0]![0] === 'public' && entries[0]![1] === true;
}

export class PublicTypesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (fieldConfig.graphqlKind !== 'Object') return fieldConfig;
    const typeConfig = this.buildCache.getTypeConfig(fieldConfig.parentType);
    if (typeConfig.graphqlKind !== 'Object') return fieldConfig;
    if (!onlyPublic((typeConfig.pothosOptions as { authScopes?: unknown }).authScopes)) return fieldConfig;
    return {
      ...fieldConfig,
      pothosOptions: { ...fieldConfig.pothosOptions, skipTypeScopes: true },
    } as PothosOutputFieldConfig<Types>;
  }
}

SchemaBuilder.registerPlugin('publicTypes', PublicTypesPlugin);
export default 'publicTypes' as const;
