/**
 * The client package as a partner gets it from the repository: clients/ copied beside a link to
 * the repository's node_modules (a fresh clone after `npm ci`), so that building and packing in
 * tests never writes into the working tree.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const exec = promisify(execFile);

export interface ClientPackageCopy {
  /** The copy of clients/. */
  dir: string;
  remove(): Promise<void>;
}

export async function copyClientPackage(): Promise<ClientPackageCopy> {
  const root = await mkdtemp(path.join(tmpdir(), 'maillage-client-'));
  const dir = path.join(root, 'clients');
  await cp('clients', dir, {
    recursive: true,
    filter: (source) => !/(^|\/)(dist|node_modules)$|\.tgz$/.test(source),
  });
  await symlink(path.resolve('node_modules'), path.join(root, 'node_modules'), 'dir');
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Builds the copy with its own `npm run build` (tsc into dist/); returns the path of the bin. */
export async function buildClientPackage(copy: ClientPackageCopy): Promise<string> {
  await exec('npm', ['run', 'build'], { cwd: copy.dir });
  return path.join(copy.dir, 'dist', 'cli', 'maillage.js');
}
