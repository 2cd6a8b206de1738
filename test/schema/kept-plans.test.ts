/**
 * A node lookup or an offers page keeps Pothos' plan for later requests when planning read nothing
 * of the request's context (`src/shared/db/lookup-plans.ts`). The context is the only input it
 * watches: a relation's `query` or a field's `select` that read the clock without it would have the
 * first request's time kept in the plan (an invitation that expired later still listed as pending).
 * This test plays every such callback of the schema twice, a day apart, with the arguments its
 * enums and booleans allow, and checks that whatever did not read the context gave the same plan.
 */
import { describe, expect, it, jest } from '@jest/globals';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
} from 'graphql';
import { schema } from '../../src/schema.ts';

/** `pothosPrismaSelect`: a field's part of the plan; a connection also asks what it selects. */
type Select = (
  args: Record<string, unknown>,
  ctx: object,
  nested: (query: unknown) => unknown,
  selected: () => ReadonlySet<string>,
) => unknown;
/** What a connection is asked for: its rows and their count. */
const CONNECTION_SELECTED = new Set(['totalCount', 'edges']);

const DAY_MS = 86_400_000;
const FIRST = Date.parse('2026-03-02T08:00:00Z');

/** The arguments to play a field with: its defaults, then each enum value and boolean, one at a time. */
function argumentSets(args: readonly GraphQLArgument[]): Record<string, unknown>[] {
  const defaults = Object.fromEntries(
    args.filter((a) => a.defaultValue !== undefined).map((a) => [a.name, a.defaultValue]),
  );
  const sets = [defaults];
  for (const arg of args) {
    const type = getNullableType(arg.type);
    const values = isEnumType(type)
      ? type.getValues().map((v) => v.value as unknown)
      : getNamedType(type).name === 'Boolean'
        ? [true, false]
        : [];
    for (const value of values) sets.push({ ...defaults, [arg.name]: value });
  }
  return sets;
}

/** The plan a field's callback gives at `now`, and whether it read the context. */
async function play(select: Select, args: Record<string, unknown>, now: number) {
  jest.setSystemTime(now);
  let read = false;
  const context = new Proxy(
    {},
    {
      get: () => {
        read = true;
        return undefined;
      },
      has: () => {
        read = true;
        return false;
      },
    },
  );
  // The nested query as Pothos would pass it on: a callback is called, an object kept as it is.
  const nested = (query: unknown) =>
    typeof query === 'function' ? (query as (a: unknown, c: unknown) => unknown)(args, context) : query;
  try {
    return { plan: JSON.stringify(await select(args, context, nested, () => CONNECTION_SELECTED)), read };
  } catch (error) {
    // A callback that needs the context to answer read it first; one that throws without is shown.
    return { plan: `threw: ${(error as Error).message}`, read };
  }
}

describe('kept plans', () => {
  it('no relation query or field select of the schema reads the clock without the context', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: FIRST });
    const played: string[] = [];
    const frozen: string[] = [];
    try {
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('__')) continue;
        for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
          const select = field.extensions?.pothosPrismaSelect as Select | undefined;
          if (typeof select !== 'function') continue;
          for (const args of argumentSets(field.args)) {
            const first = await play(select, args, FIRST);
            const later = await play(select, args, FIRST + DAY_MS);
            played.push(`${type.name}.${field.name}`);
            if (!first.read && !later.read && first.plan !== later.plan) {
              frozen.push(`${type.name}.${field.name}(${JSON.stringify(args)})`);
            }
          }
        }
      }
    } finally {
      jest.useRealTimers();
    }
    // The schema has such callbacks (relations, connections); the test plays all of them.
    expect(new Set(played).size).toBeGreaterThan(20);
    expect(played).toContain('Organisation.invitations');
    expect(frozen).toEqual([]);
  });
});
