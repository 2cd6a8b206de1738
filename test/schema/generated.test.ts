/**
 * Generated artefacts are committed and reviewed like code; these tests fail when one is stale:
 * the SDL (schema/schema.graphql), the typed client (clients/generated) and the Prisma client
 * (src/generated). Regenerate with `npm run generate`.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { isObjectType } from 'graphql';
import { sdl, SDL_PATH } from '../../src/cli/print-schema.ts';
import { fixedPerRequest, onlyPublic } from '../../src/modules/common/type-scopes.plugin.ts';
import { schema } from '../../src/schema.ts';

const exec = promisify(execFile);
const STALE = 'is stale: run `npm run generate` and commit the result';

describe('committed generated files', () => {
  it(`schema/schema.graphql matches the code (else it ${STALE})`, async () => {
    expect(await readFile(SDL_PATH, 'utf8')).toBe(sdl());
  });

  it(`clients/generated matches schema and operations (else it ${STALE})`, async () => {
    // Codegen's presets are CommonJS loading ESM: run its CLI (in --check mode, it writes nothing).
    const check = exec(path.resolve('node_modules/.bin/graphql-codegen'), [
      '--config',
      'codegen.ts',
      '--check',
    ]);
    await expect(check).resolves.toBeDefined();
  });

  it(`src/generated matches prisma/schema.prisma (else it ${STALE})`, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maillage-prisma-'));
    try {
      await mkdir(path.join(dir, 'prisma'));
      await cp('prisma/schema.prisma', path.join(dir, 'prisma/schema.prisma'));
      await exec(path.resolve('node_modules/.bin/prisma'), ['generate', '--schema', 'prisma/schema.prisma'], {
        cwd: dir,
        env: {
          ...process.env,
          // The Pothos generator is found on PATH, as under `npm run`.
          PATH: `${path.resolve('node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
          CHECKPOINT_DISABLE: '1',
          PRISMA_SCHEMA_ENGINE_BINARY: path.resolve('package.json'),
        },
      });
      const fresh = await listFiles(path.join(dir, 'src/generated'));
      expect(fresh).toEqual(await listFiles('src/generated'));
      for (const file of fresh) {
        const expected = await readFile(path.join(dir, 'src/generated', file), 'utf8');
        expect(`${file}:\n${await readFile(path.join('src/generated', file), 'utf8')}`).toBe(
          `${file}:\n${expected}`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('closed by default', () => {
  /** Containers whose content is guarded by the field that returns them. */
  const structural = /(Connection|ConnectionEdge|Success)$|^PageInfo$/;

  it('every root field and every object type declares who may read it', () => {
    const undeclared: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || structural.test(type.name)) continue;
      const root = ['Query', 'Mutation', 'Subscription'].includes(type.name);
      const typeScoped = scopesOf(type.extensions) !== undefined;
      for (const field of Object.values(type.getFields())) {
        const fieldScoped = scopesOf(field.extensions) !== undefined;
        if (root ? !fieldScoped : !typeScoped && !fieldScoped) undeclared.push(`${type.name}.${field.name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("a type's scopes are checked once per request only where they cannot depend on the object (type-scopes.plugin.ts)", () => {
    const wrong: string[] = [];
    const perRequest = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const scopes = scopesOf(type.extensions);
      const open = onlyPublic(scopes);
      for (const field of Object.values(type.getFields())) {
        const options = (field.extensions as { pothosOptions?: FieldOptions }).pothosOptions ?? {};
        const own = options.unauthorizedResolver !== undefined || options.unauthorizedError !== undefined;
        const root = ['Query', 'Mutation', 'Subscription'].includes(type.name);
        const expected = open
          ? { skips: true, map: undefined }
          : fixedPerRequest(scopes) && !own && !root
            ? { skips: true, map: scopes }
            : { skips: false, map: undefined };
        const actual = { skips: options.skipTypeScopes === true, map: options.requestTypeScopes };
        // A field an interface declares keeps scope-auth's checks (the plugin leaves it alone); a
        // field the type declares itself under an interface's name (a node's `id`) may be either.
        const inherited = type.getInterfaces().some((i) => field.name in i.getFields());
        const same = (a: typeof actual) => a.skips === actual.skips && a.map === actual.map;
        if (!same(expected) && !(inherited && same({ skips: false, map: undefined }))) {
          wrong.push(`${type.name}.${field.name}`);
        }
        if (actual.map) perRequest.add(type.name);
      }
    }
    expect(wrong).toEqual([]);
    // The referral inbox's types are among them.
    expect([...perRequest]).toEqual(expect.arrayContaining(['Referral', 'ReferralPerson', 'ReferralEvent']));
    expect(onlyPublic({ public: true })).toBe(true);
    for (const scopes of [
      { public: true, person: true },
      { public: false },
      { $any: { public: true } },
      () => true,
      null,
    ]) {
      expect(onlyPublic(scopes)).toBe(false);
    }
    expect(fixedPerRequest({ authenticated: true })).toBe(true);
    expect(fixedPerRequest({ $any: { person: true, hubAdmin: true } })).toBe(true);
    for (const scopes of [() => ({ person: true }), { $any: { $granted: 'x' } }, null, undefined]) {
      expect(fixedPerRequest(scopes)).toBe(false);
    }
  });
});

interface FieldOptions {
  skipTypeScopes?: boolean;
  requestTypeScopes?: unknown;
  unauthorizedResolver?: unknown;
  unauthorizedError?: unknown;
}

function scopesOf(extensions: unknown): unknown {
  return (extensions as { pothosOptions?: { authScopes?: unknown } } | undefined)?.pothosOptions?.authScopes;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}
