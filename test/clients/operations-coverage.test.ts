/**
 * The SDK cannot fall behind the API: every root field of schema/schema.graphql (query,
 * mutation, subscription) is selected by at least one operation in clients/operations, so it has
 * a typed document in `@maillage/client/operations`. A new field fails here until it has one.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildSchema, Kind, parse } from 'graphql';

const OPERATIONS = 'clients/operations';
const ROOTS: Record<string, string> = {
  query: 'Query',
  mutation: 'Mutation',
  subscription: 'Subscription',
};

describe('clients/operations', () => {
  it('use every root field of the schema', async () => {
    const schema = buildSchema(await readFile('schema/schema.graphql', 'utf8'));
    const used = new Set<string>();
    for (const file of (await readdir(OPERATIONS)).filter((f) => f.endsWith('.graphql'))) {
      const document = parse(await readFile(path.join(OPERATIONS, file), 'utf8'));
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        for (const selection of definition.selectionSet.selections) {
          if (selection.kind === Kind.FIELD)
            used.add(`${ROOTS[definition.operation]}.${selection.name.value}`);
        }
      }
    }
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const missing = roots.flatMap((root) =>
      Object.keys(root?.getFields() ?? {})
        .map((field) => `${root?.name}.${field}`)
        .filter((name) => !used.has(name)),
    );
    expect(missing).toEqual([]);
  });
});
