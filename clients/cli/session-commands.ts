/** `login`, `logout`, `whoami`: which hub, as whom. */
import { text } from 'node:stream/consumers';
import { createMaillageClient, type MaillageClient } from '../sdk.ts';
import type { Command } from './command.ts';
import { endpointOf, forgetLogin, readLogin, saveLogin } from './config.ts';
import { printJson, UsageError } from './output.ts';

/** "Carol <carol@…> (alpha: CASE_WORKER)" or "API client Sync (alpha: REFERRALS_READ)". */
async function describeCaller(
  client: MaillageClient,
): Promise<{ line: string; anonymous: boolean; data: unknown }> {
  const data = await client.whoAmI();
  if (data.viewer) {
    const orgs = data.viewer.memberships.map((m) => `${m.organisation.slug}: ${m.roles.join(', ')}`);
    return {
      line: `${data.viewer.name} <${data.viewer.email}>${orgs.length ? ` (${orgs.join('; ')})` : ''}`,
      anonymous: false,
      data,
    };
  }
  if (data.viewerApiClient) {
    const c = data.viewerApiClient;
    return {
      line: `API client ${c.name} of ${c.organisation.slug} (${c.scopes.join(', ') || 'no scopes'})`,
      anonymous: false,
      data,
    };
  }
  return { line: 'nobody (anonymous: the public catalogue only)', anonymous: true, data };
}

export const login: Command = {
  usage: 'login --url <hub> (--token <jwt> | --api-key <key>)',
  summary: 'Check a credential against the hub and save it (mode 600)',
  details: [
    'Give `-` as the value to read it from standard input (it then stays out of the shell history).',
    'Saved in $XDG_CONFIG_HOME/maillage/config.json (~/.config/…; MAILLAGE_CONFIG names another file).',
  ],
  options: { token: { type: 'string' }, 'api-key': { type: 'string' } },
  async run(ctx) {
    const url = ctx.string('url') ?? process.env.MAILLAGE_URL;
    if (!url) throw new UsageError('Which hub? Give --url https://hub.example (or set MAILLAGE_URL).');
    endpointOf(url);
    let token = ctx.string('token');
    let apiKey = ctx.string('api-key');
    if (token === undefined && apiKey === undefined)
      throw new UsageError('Give --token <jwt> or --api-key <key>.');
    if (token !== undefined && apiKey !== undefined)
      throw new UsageError('Give --token or --api-key, not both.');
    if (token === '-') token = (await text(process.stdin)).trim();
    if (apiKey === '-') apiKey = (await text(process.stdin)).trim();
    if (!token && !apiKey) throw new UsageError('The credential is empty.');
    const who = await describeCaller(createMaillageClient({ url, token, apiKey }));
    if (who.anonymous)
      throw new Error('The hub accepted the credential but sees nobody behind it: not saved.');
    const file = await saveLogin({ url, ...(token ? { token } : { apiKey }) });
    if (ctx.json) return printJson({ url, file, ...(who.data as object) });
    process.stdout.write(`Logged in to ${url} as ${who.line}.\nSaved in ${file}.\n`);
  },
};

export const logout: Command = {
  usage: 'logout',
  summary: 'Forget the saved credential',
  async run() {
    const saved = await readLogin();
    const removed = await forgetLogin();
    process.stdout.write(removed ? `Logged out of ${saved?.url}.\n` : 'No saved login.\n');
  },
};

export const whoami: Command = {
  usage: 'whoami',
  summary: 'The hub, and whom it sees behind the credential',
  async run(ctx) {
    const session = await ctx.session();
    const who = await describeCaller(await ctx.client());
    if (ctx.json)
      return printJson({ url: session.url, credentialFrom: session.source, ...(who.data as object) });
    process.stdout.write(
      `${session.url}: ${who.line}${session.source ? ` [credential from ${session.source}]` : ''}\n`,
    );
  },
};
