/**
 * Global IDs are answered synchronously when their resolver is (src/modules/common/sync-global-ids.ts):
 * the relay plugin's own `t.globalID` made every node's `id` a promise. The encoding is the
 * plugin's, and a resolver that returns a promise still gets its id encoded.
 */
import { describe, expect, it } from '@jest/globals';
import SchemaBuilder from '@pothos/core';
import RelayPlugin, { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { graphql, isObjectType, type GraphQLResolveInfo } from 'graphql';
import '../../src/modules/common/sync-global-ids.ts';
import { schema } from '../../src/schema.ts';

const ROW_ID = '0190a1b2-0000-7000-8000-000000000001';

describe('node ids', () => {
  it("every node type's id is a plain string, the relay plugin's encoding of its type and key", () => {
    const answered: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) continue;
      const info = {
        parentType: type,
        fieldName: 'id',
        path: { key: 'id' },
      } as unknown as GraphQLResolveInfo;
      let id: unknown;
      try {
        // An anonymous caller: types closed to it refuse, which says nothing about their ids.
        id = type.getFields().id!.resolve!({ id: ROW_ID }, {}, { viewer: null }, info);
      } catch (error) {
        expect((error as Error).message).toMatch(/^Not authorized/);
        continue;
      }
      expect(typeof id).toBe('string');
      expect(id).toBe(encodeGlobalID(type.name, ROW_ID));
      answered.push(type.name);
    }
    expect(answered).toEqual(expect.arrayContaining(['Offer', 'Organisation', 'Site', 'Theme', 'Guide']));
  });

  it('an id resolver that returns a promise still gets its id encoded', async () => {
    // The project's plugin options are declared globally; this builder needs the relay plugin alone.
    const options = { plugins: [RelayPlugin] };
    const builder = new SchemaBuilder<{ Objects: { Thing: { key: string } } }>(options as never);
    const Thing = builder.objectRef<{ key: string }>('Thing');
    builder.node(Thing, {
      id: { resolve: (thing) => Promise.resolve(thing.key) },
      loadOne: (key) => ({ key }),
      fields: (t) => ({ key: t.exposeString('key') }),
    });
    builder.queryType({
      fields: (t) => ({ thing: t.field({ type: Thing, resolve: () => ({ key: 'k-1' }) }) }),
    });
    const result = await graphql({ schema: builder.toSchema(), source: '{ thing { id key } }' });
    expect(result.errors).toBeUndefined();
    const { thing } = result.data as { thing: { id: string; key: string } };
    expect(decodeGlobalID(thing.id)).toEqual({ typename: 'Thing', id: 'k-1' });
  });
});
