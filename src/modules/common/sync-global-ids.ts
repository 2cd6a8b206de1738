/**
 * Global ID fields that stay synchronous when their resolver is (issue 15, item 1).
 *
 * The relay plugin's `t.globalID` (every node type's `id` goes through it) wraps its resolver in an
 * `async` function, so each `id` of each row is a promise: graphql-jit then completes that field
 * asynchronously, and an inbox page of 50 makes about a hundred promises and their microtasks for
 * ids that are known at once. This replaces the method, before any type is built, with the same
 * encoding (the builder's `encodeGlobalID` if it has one, else the plugin's) that awaits only a
 * resolver that returned a promise. Loaded with the builder (`src/builder.ts`);
 * `test/schema/global-ids.test.ts` checks that ids are plain strings and still the plugin's.
 */
import { RootFieldBuilder, completeValue, type SchemaTypes } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';

interface Encodable {
  type: unknown;
  id: unknown;
}

type Resolver = (parent: unknown, args: unknown, context: unknown, info: unknown) => unknown;

interface GlobalIDOptions {
  resolve: Resolver;
  [option: string]: unknown;
}

interface WithGlobalID {
  builder: PothosSchemaTypes.SchemaBuilder<SchemaTypes>;
  field(options: object): unknown;
  globalID(options: GlobalIDOptions): unknown;
}

const proto = RootFieldBuilder.prototype as unknown as WithGlobalID;

proto.globalID = function globalID(this: WithGlobalID, { resolve, ...options }: GlobalIDOptions) {
  const builder = this.builder;
  const encode = builder.options.relay?.encodeGlobalID ?? encodeGlobalID;
  return this.field({
    ...options,
    type: 'ID',
    resolve: (parent: unknown, args: unknown, context: unknown, info: unknown) =>
      completeValue(resolve(parent, args, context, info), (result) => {
        if (!result || typeof result !== 'object') return result;
        const item = result as Encodable;
        const typename = builder.configStore.getTypeConfig(item.type as string).name;
        return encode(typename, String(item.id), context as never);
      }),
  });
};
