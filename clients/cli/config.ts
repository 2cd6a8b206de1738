/**
 * Where the command line finds its hub and credential: `--url`, then the environment
 * (MAILLAGE_URL, MAILLAGE_TOKEN or MAILLAGE_API_KEY), then the file `maillage login` wrote
 * (`$XDG_CONFIG_HOME/maillage/config.json`, `~/.config/…`, `%APPDATA%\maillage\…` on Windows;
 * MAILLAGE_CONFIG names another file). The file is written with mode 600 in a 700 folder. A saved
 * credential is only ever sent to the hub it was saved for.
 */
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { MaillageOperationError, unwrap } from '../errors.ts';
import { RefreshSessionDocument, type HubSessionFieldsFragment } from '../generated/graphql.ts';
import { createMaillageClient, graphqlEndpoint } from '../sdk.ts';
import { UsageError } from './output.ts';

/** What `maillage login` saves. */
export interface SavedLogin {
  url: string;
  token?: string | undefined;
  apiKey?: string | undefined;
  /** A session signed in by e-mail code (`login --code`): the token is refreshed with it. */
  refreshToken?: string | undefined;
  tokenExpiresAt?: string | undefined;
}

/** Refresh a saved session's token when it has less than this left. */
const REFRESH_MARGIN_MS = 60_000;

/** The hub and credential a command uses, and where they came from. */
export interface Session {
  url: string;
  token?: string | undefined;
  apiKey?: string | undefined;
  /** Where the credential came from: `MAILLAGE_TOKEN`, the config file, or none. */
  source: string | null;
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env = process.env): string {
  if (env.MAILLAGE_CONFIG) return env.MAILLAGE_CONFIG;
  const base =
    process.platform === 'win32'
      ? (env.APPDATA ?? path.join(homedir(), 'AppData', 'Roaming'))
      : env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'maillage', 'config.json');
}

/** The saved login, or null; warns (stderr) when other users may read the file. */
export async function readLogin(env: Env = process.env): Promise<SavedLogin | null> {
  const file = configPath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
  if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) {
    process.stderr.write(`Warning: ${file} is readable by other users; run: chmod 600 ${file}\n`);
  }
  try {
    const saved = JSON.parse(text) as SavedLogin;
    if (typeof saved.url !== 'string') throw new Error('no url');
    return saved;
  } catch {
    throw new Error(`${file} is not a login saved by maillage: remove it and log in again.`);
  }
}

/** Saves the login atomically, readable by its owner only. Returns the file's path. */
export async function saveLogin(login: SavedLogin, env: Env = process.env): Promise<string> {
  const file = configPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}

/** Removes the saved login; false when there was none. */
export async function forgetLogin(env: Env = process.env): Promise<boolean> {
  const file = configPath(env);
  const existed = (await readLogin(env)) !== null;
  await rm(file, { force: true });
  return existed;
}

/** Resolves the hub and credential for a command (see the file's comment for the order). */
export async function resolveSession(urlFlag: string | undefined, env: Env = process.env): Promise<Session> {
  const saved = await readLogin(env);
  const url = urlFlag ?? env.MAILLAGE_URL ?? saved?.url;
  if (!url) {
    throw new UsageError(
      'No hub given: log in first (maillage login --url https://hub.example --token …), or set MAILLAGE_URL or --url.',
    );
  }
  const endpoint = endpointOf(url);
  if (env.MAILLAGE_TOKEN && env.MAILLAGE_API_KEY) {
    throw new UsageError('Set MAILLAGE_TOKEN or MAILLAGE_API_KEY, not both.');
  }
  if (env.MAILLAGE_TOKEN) return { url, token: env.MAILLAGE_TOKEN, source: 'MAILLAGE_TOKEN' };
  if (env.MAILLAGE_API_KEY) return { url, apiKey: env.MAILLAGE_API_KEY, source: 'MAILLAGE_API_KEY' };
  if (saved && endpointOf(saved.url) === endpoint && (saved.token || saved.apiKey)) {
    const current = await refreshedLogin(saved, env);
    return { url, token: current.token, apiKey: current.apiKey, source: configPath(env) };
  }
  return { url, source: null };
}

/** The hub's GraphQL endpoint, or a usage error for a malformed URL. */
export function endpointOf(url: string): string {
  try {
    return graphqlEndpoint(url);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A saved session whose token expires within a minute, refreshed and saved again (the refresh
 * token is single use: the new one must be kept). Other logins are returned as they are.
 */
async function refreshedLogin(saved: SavedLogin, env: Env): Promise<SavedLogin> {
  if (!saved.refreshToken || !saved.tokenExpiresAt) return saved;
  if (Date.parse(saved.tokenExpiresAt) - Date.now() > REFRESH_MARGIN_MS) return saved;
  const client = createMaillageClient({ url: saved.url });
  try {
    const next = unwrap(
      (await client.request(RefreshSessionDocument, { input: { refreshToken: saved.refreshToken } }))
        .refreshSession,
    );
    const login = { url: saved.url, ...sessionLogin(next) };
    await saveLogin(login, env);
    return login;
  } catch (error) {
    // Another command refreshed it a moment ago and saved the new pair: use that.
    if (error instanceof MaillageOperationError && error.code === 'accounts/session_refreshed') {
      const latest = await readLogin(env);
      if (latest?.refreshToken && latest.refreshToken !== saved.refreshToken) return latest;
    }
    if (error instanceof MaillageOperationError && error.code === 'accounts/session_ended') {
      throw new UsageError(`${error.message} Run: maillage login --url ${saved.url} --email <your address>`);
    }
    throw error;
  }
}

/** What to save of a session the hub started (signIn, refreshSession). */
export function sessionLogin(session: HubSessionFieldsFragment): Omit<SavedLogin, 'url'> {
  return {
    token: session.token,
    refreshToken: session.refreshToken,
    tokenExpiresAt: String(session.tokenExpiresAt),
  };
}
