/**
 * A partner installs the client from the repository: `npm pack` in clients/ builds it (prepack)
 * into a tarball with its README and examples; `npm install <tarball>` into an empty project,
 * from the npm cache (its dependencies: graphql, graphql-ws, ws, csv-stringify and the
 * TypedDocumentNode types); then plain Node ESM imports it and calls a running hub, an example
 * runs as written, and the `maillage` bin works.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { copyClientPackage, exec, type ClientPackageCopy } from './client-package.ts';

let t: TestHub;
let base: string;
let copy: ClientPackageCopy;
let project: string;

// Building, packing and installing take a while on a loaded machine.
jest.setTimeout(240_000);

beforeAll(async () => {
  t = await startTestHub();
  const s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  await seedAlphaCatalogue(t.db.prisma, s);
  base = t.graphqlUrl.replace(/\/graphql$/, '');
  copy = await copyClientPackage();
  project = await mkdtemp(path.join(tmpdir(), 'maillage-partner-'));
});
afterAll(async () => {
  await t.close();
  await copy.remove();
  await rm(project, { recursive: true, force: true });
});

const node = (args: string[]) =>
  exec(process.execPath, args, { cwd: project, env: { PATH: process.env.PATH, MAILLAGE_URL: base } });

describe('@maillage/client', () => {
  it('packs, installs from the npm cache, and works from plain Node ESM against a hub', async () => {
    const packed = await exec('npm', ['pack', '--json', '--pack-destination', project], { cwd: copy.dir });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/sdk.js',
        'dist/sdk.d.ts',
        'dist/generated/graphql.js',
        'dist/cli/maillage.js',
        'examples/search-offers.js',
      ]),
    );
    // Built code only: no TypeScript sources, no build configuration.
    expect(files.filter((f) => /(?<!\.d)\.ts$/.test(f) || f.startsWith('tsconfig'))).toEqual([]);

    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'partner-app', private: true, type: 'module' }),
    );
    await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${info!.filename}`], {
      cwd: project,
    });

    await writeFile(
      path.join(project, 'app.js'),
      `import { createMaillageClient, MaillageRequestError } from '@maillage/client';
import { SearchOffersDocument } from '@maillage/client/operations';
const hub = createMaillageClient({ url: process.env.MAILLAGE_URL });
const page = await hub.catalogue.search({ filter: { text: 'français' } });
const raw = await hub.request(SearchOffersDocument, { first: 5 });
const refused = await createMaillageClient({ url: process.env.MAILLAGE_URL, token: 'forged' })
  .whoAmI()
  .catch((error) => error instanceof MaillageRequestError && error.code);
console.log(JSON.stringify({ titles: page.items.map((o) => o.title.text), total: raw.offers.totalCount, refused }));
`,
    );
    expect(JSON.parse((await node(['app.js'])).stdout)).toEqual({
      titles: ['Cours de français pour nouveaux arrivants'],
      total: 2,
      refused: 'UNAUTHENTICATED',
    });

    const example = await node(['node_modules/@maillage/client/examples/search-offers.js', 'logement']);
    expect(example.stdout).toBe("1 offers\n- Logement d'urgence pour familles, Organisation alpha\n");

    const bin = path.join(project, 'node_modules', '.bin', 'maillage');
    const { version } = JSON.parse(await readFile('clients/package.json', 'utf8')) as { version: string };
    expect((await exec(bin, ['--version'])).stdout).toBe(`${version}\n`);
    const search = await exec(bin, ['search', 'français', '--url', base], {
      env: { PATH: process.env.PATH, XDG_CONFIG_HOME: project },
    });
    expect(search.stdout).toMatch(/^1 offer\n.*\nCours de français pour nouveaux arrivants {2}alpha/);
  });
});
