/** `login`, `logout`, `whoami`: which hub, as whom. */
import { text } from 'node:stream/consumers';
import { unwrap } from '../errors.ts';
import { RequestSignInCodeDocument, SignInDocument, SignOutDocument } from '../generated/graphql.ts';
import { createMaillageClient, type MaillageClient } from '../sdk.ts';
import type { Command } from './command.ts';
import { endpointOf, forgetLogin, readLogin, saveLogin, sessionLogin, type SavedLogin } from './config.ts';
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
  usage: 'login --url <hub> (--token <jwt> | --api-key <key> | --email <address> | --code <code>)',
  summary: 'Check a credential against the hub and save it (mode 600)',
  details: [
    'Without a token: --email <address> has the hub mail you a one-time code (15 minutes), then',
    '--code <code> signs you in; the session renews its token by itself until you log out.',
    'Give `-` as the value to read it from standard input (it then stays out of the shell history).',
    'Saved in $XDG_CONFIG_HOME/maillage/config.json (~/.config/…; MAILLAGE_CONFIG names another file).',
  ],
  options: {
    token: { type: 'string' },
    'api-key': { type: 'string' },
    email: { type: 'string' },
    code: { type: 'string' },
  },
  async run(ctx) {
    const url = ctx.string('url') ?? process.env.MAILLAGE_URL;
    if (!url) throw new UsageError('Which hub? Give --url https://hub.example (or set MAILLAGE_URL).');
    endpointOf(url);
    const given = (['token', 'api-key', 'email', 'code'] as const).filter((o) => ctx.string(o) !== undefined);
    if (given.length !== 1) {
      throw new UsageError('Give one of --token <jwt>, --api-key <key>, --email <address> or --code <code>.');
    }
    const [kind] = given as [(typeof given)[number]];
    let value = ctx.string(kind)!;
    if (value === '-') value = (await text(process.stdin)).trim();
    if (!value) throw new UsageError(`The ${kind} is empty.`);
    const anonymous = createMaillageClient({ url });
    if (kind === 'email') {
      const asked = unwrap(
        (await anonymous.request(RequestSignInCodeDocument, { input: { email: value } })).requestSignInCode,
      );
      if (ctx.json) return printJson(asked);
      process.stdout.write(`${asked.message}\nThen run: maillage login --url ${url} --code <code>\n`);
      return;
    }
    let credential: Omit<SavedLogin, 'url'>;
    if (kind === 'code') {
      credential = sessionLogin(
        unwrap((await anonymous.request(SignInDocument, { input: { code: value } })).signIn),
      );
    } else {
      credential = kind === 'token' ? { token: value } : { apiKey: value };
    }
    const who = await describeCaller(createMaillageClient({ url, ...credential }));
    if (who.anonymous)
      throw new Error('The hub accepted the credential but sees nobody behind it: not saved.');
    const file = await saveLogin({ url, ...credential });
    if (ctx.json) return printJson({ url, file, ...(who.data as object) });
    process.stdout.write(`Logged in to ${url} as ${who.line}.\nSaved in ${file}.\n`);
  },
};

export const logout: Command = {
  usage: 'logout',
  summary: 'Forget the saved credential (and end its session on the hub)',
  async run() {
    const saved = await readLogin();
    if (saved?.refreshToken) {
      // Ends the session on the hub too: its tokens stop working at once.
      const client = createMaillageClient({ url: saved.url });
      await client
        .request(SignOutDocument, { input: { refreshToken: saved.refreshToken } })
        .catch((error: unknown) =>
          process.stderr.write(`Could not end the session on the hub: ${String(error)}\n`),
        );
    }
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
