/**
 * TypeScopesPlugin answers a type's fixed scopes once per request instead of scope-auth's per-field
 * wrapper (src/modules/common/type-scopes.plugin.ts). The same small schema, built once with it and
 * once with scope-auth alone, must give every caller the same data and the same errors.
 */
import { describe, expect, it } from '@jest/globals';
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { graphql, GraphQLSchema, Kind, parse } from 'graphql';
import { compiledExecutorGateway } from '../../src/http/compiled-executor.ts';
import TypeScopesPlugin from '../../src/modules/common/type-scopes.plugin.ts';

interface ScopeAuthOptions {
  plugins: string[];
  scopeAuth: { authScopes: (ctx: Caller) => Record<string, boolean | (() => boolean | Promise<boolean>)> };
}

interface Caller {
  signedIn: boolean;
  admin: boolean;
  calls: string[];
  /** When each scope check and resolver ran, and whether a field's type check wrapped the call. */
  trace: string[];
}

/** Runs `source` as Apollo runs it through the compiled executor's gateway. */
async function runCompiled(gateway: GatewayInterface, source: string, contextValue: object) {
  const { executor } = await gateway.load({ apollo: { key: undefined, keyHash: undefined, graphRef: '' } });
  if (!executor) throw new Error('the gateway gave no executor');
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return executor({
    document,
    operation,
    operationName: null,
    request: { query: source },
    context: contextValue,
  } as never);
}

function build(withPlugin: boolean): GraphQLSchema {
  const options: ScopeAuthOptions = {
    plugins: withPlugin ? [TypeScopesPlugin, ScopeAuthPlugin] : [ScopeAuthPlugin],
    scopeAuth: {
      authScopes: (ctx: Caller) => ({
        public: true,
        // A loader, so that when the check runs shows in `calls` (scope-auth asks it once per request).
        authenticated: () => (ctx.trace.push('scope authenticated'), ctx.signedIn),
        hubAdmin: ctx.admin,
        asyncAdmin: () => Promise.resolve(ctx.admin),
      }),
    },
  };
  // The project's other plugins (Prisma's) make their options required in every builder's type.
  const builder = new SchemaBuilder<{
    Context: Caller;
    AuthScopes: { public: boolean; authenticated: boolean; hubAdmin: boolean; asyncAdmin: boolean };
  }>(options as never);
  interface Row {
    n: number;
  }
  const Secret = builder.objectRef<Row>('Secret').implement({
    authScopes: { authenticated: true },
    fields: (t) => ({
      n: t.int({
        resolve: (r, _a, ctx) => {
          ctx.calls.push(`Secret.n ${r.n}`);
          // TypeScopesPlugin's per-field wrapper is `checkTypeScopes`: is it on the stack?
          const wrapped = new Error().stack?.includes('checkTypeScopes') ?? false;
          ctx.trace.push(`Secret.n ${r.n}${wrapped ? ' checkTypeScopes' : ''}`);
          return r.n;
        },
      }),
      m: t.exposeInt('n'),
      adminOnly: t.int({ authScopes: { hubAdmin: true }, resolve: (r) => r.n * 10 }),
      byRow: t.int({ authScopes: (r) => r.n === 1, resolve: (r) => r.n * 100 }),
      // Skips its type's scopes of its own accord: open to all, with or without the plugin.
      free: t.int({ skipTypeScopes: true, resolve: (r) => r.n }),
      soft: t.int({
        nullable: true,
        authScopes: { hubAdmin: true },
        unauthorizedResolver: () => null,
        resolve: (r) => r.n,
      }),
    }),
  });
  const Either = builder.objectRef<Row>('Either').implement({
    authScopes: { $any: { hubAdmin: true, asyncAdmin: true } },
    fields: (t) => ({ n: t.int({ resolve: (r) => r.n }) }),
  });
  const PerRow = builder.objectRef<Row>('PerRow').implement({
    authScopes: (r) => r.n % 2 === 0,
    fields: (t) => ({ n: t.int({ resolve: (r) => r.n }) }),
  });
  const Open = builder.objectRef<Row>('Open').implement({
    authScopes: { public: true },
    fields: (t) => ({ n: t.int({ resolve: (r) => r.n }) }),
  });
  builder.queryType({
    fields: (t) => ({
      secrets: t.field({
        type: [Secret],
        authScopes: { public: true },
        resolve: (_r, _a, ctx) => (ctx.trace.push('secrets'), [{ n: 1 }, { n: 2 }]),
      }),
      either: t.field({ type: Either, authScopes: { public: true }, resolve: () => ({ n: 3 }) }),
      perRow: t.field({
        type: [PerRow],
        nullable: { list: false, items: true },
        authScopes: { public: true },
        resolve: () => [{ n: 1 }, { n: 2 }],
      }),
      open: t.field({ type: Open, authScopes: { public: true }, resolve: () => ({ n: 4 }) }),
    }),
  });
  return builder.toSchema();
}

const QUERY = `{
  secrets { n m adminOnly byRow soft free }
  either { n }
  perRow { n }
  open { n }
}`;

async function run(schema: GraphQLSchema | GatewayInterface, caller: Pick<Caller, 'signedIn' | 'admin'>) {
  const ctx: Caller = { ...caller, calls: [], trace: [] };
  const result =
    schema instanceof GraphQLSchema
      ? await graphql({ schema, source: QUERY, contextValue: ctx })
      : await runCompiled(schema, QUERY, ctx);
  return {
    data: result.data,
    errors: result.errors
      ?.map((e) => ({ message: e.message, path: e.path?.join('.') }))
      .sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '')),
    calls: ctx.calls,
  };
}

async function traced(schema: GraphQLSchema | GatewayInterface, caller: Pick<Caller, 'signedIn' | 'admin'>) {
  const ctx: Caller = { ...caller, calls: [], trace: [] };
  if (schema instanceof GraphQLSchema) await graphql({ schema, source: QUERY, contextValue: ctx });
  else await runCompiled(schema, QUERY, ctx);
  return ctx.trace;
}

describe('TypeScopesPlugin', () => {
  const withPlugin = build(true);
  const scopeAuthAlone = build(false);
  const callers = {
    anonymous: { signedIn: false, admin: false },
    signedIn: { signedIn: true, admin: false },
    admin: { signedIn: true, admin: true },
  };

  it.each(Object.entries(callers))(
    'gives %s the same data and errors as scope-auth alone',
    async (_, caller) => {
      expect(await run(withPlugin, caller)).toEqual(await run(scopeAuthAlone, caller));
    },
  );

  it('refuses a type closed to the caller before any resolver runs, and lets it through when open', async () => {
    const anonymous = await run(withPlugin, callers.anonymous);
    const nothing = { n: null, m: null, adminOnly: null, byRow: null, soft: null };
    expect(anonymous.data?.secrets).toEqual([
      { ...nothing, free: 1 },
      { ...nothing, free: 2 },
    ]);
    expect(anonymous.data).toMatchObject({ open: { n: 4 } });
    expect(anonymous.calls).toEqual([]);
    expect(anonymous.errors).toContainEqual({
      message: 'Not authorized to read fields for Secret',
      path: 'secrets.0.n',
    });
    // The type's scopes come first, as with scope-auth: not the field's own.
    expect(anonymous.errors).toContainEqual({
      message: 'Not authorized to read fields for Secret',
      path: 'secrets.0.adminOnly',
    });

    const signedIn = await run(withPlugin, callers.signedIn);
    expect(signedIn.calls).toEqual(['Secret.n 1', 'Secret.n 2']);
    expect(signedIn.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['secrets.0.adminOnly', 'either.n', 'perRow.0.n']),
    );

    const admin = await run(withPlugin, callers.admin);
    expect(admin.data?.either).toEqual({ n: 3 });
    expect(admin.data?.secrets).toEqual([
      { n: 1, m: 1, adminOnly: 10, byRow: 100, soft: 1, free: 1 },
      expect.objectContaining({ n: 2, adminOnly: 20, soft: 2 }),
    ]);
  });

  // The compiled executor (src/http/compiled-executor.ts) asks each type's check once per request,
  // before the document runs, and then calls the fields of the types the caller may read unwrapped.
  describe('through the compiled executor', () => {
    const gateway = compiledExecutorGateway(build(true));

    it.each(Object.entries(callers))(
      'gives %s the same data and errors as graphql-js with scope-auth alone',
      async (_, caller) => {
        expect(await run(gateway, caller)).toEqual(await run(scopeAuthAlone, caller));
      },
    );

    it("checks each type's scopes before the document runs; no field's wrapper runs when all allow it", async () => {
      expect(await traced(withPlugin, callers.admin)).toEqual([
        'secrets',
        'scope authenticated',
        'Secret.n 1 checkTypeScopes',
        'Secret.n 2 checkTypeScopes',
      ]);
      expect(await traced(gateway, callers.admin)).toEqual([
        'scope authenticated',
        'secrets',
        'Secret.n 1',
        'Secret.n 2',
      ]);
    });

    it('runs every field with its wrapper when one type the document reads is refused', async () => {
      // Signed in, not an admin: Secret is open, Either (`$any` of two admin scopes) is not.
      expect(await traced(gateway, callers.signedIn)).toEqual([
        'scope authenticated',
        'secrets',
        'Secret.n 1 checkTypeScopes',
        'Secret.n 2 checkTypeScopes',
      ]);
      // Anonymous: Secret is refused, field by field as before; none of its resolvers runs.
      expect(await traced(gateway, callers.anonymous)).toEqual(['scope authenticated', 'secrets']);
    });
  });

  it('wraps only the fields of types with fixed scopes', () => {
    const options = (type: string, field: string) =>
      (
        withPlugin.getType(type) as unknown as { getFields(): Record<string, { extensions: unknown }> }
      ).getFields()[field]!.extensions as {
        pothosOptions: { skipTypeScopes?: boolean; requestTypeScopes?: unknown };
      };
    expect(options('Secret', 'n').pothosOptions.requestTypeScopes).toEqual({ authenticated: true });
    expect(options('Either', 'n').pothosOptions.requestTypeScopes).toEqual({
      $any: { hubAdmin: true, asyncAdmin: true },
    });
    expect(options('Secret', 'soft').pothosOptions.skipTypeScopes).toBeUndefined();
    expect(options('PerRow', 'n').pothosOptions.skipTypeScopes).toBeUndefined();
    expect(options('Open', 'n').pothosOptions).toMatchObject({ skipTypeScopes: true });
    expect(options('Open', 'n').pothosOptions.requestTypeScopes).toBeUndefined();
  });
});
