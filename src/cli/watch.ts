/**
 * `npm run watch -- <email> [--url http://localhost:4000] [--after <cursor>]` prints a user's live
 * referral events as they happen: the simplest way to see the loop work. Start the hub
 * (`npm start`), run this in a second terminal, and act in GraphiQL as another demo user.
 *
 * It signs a token for the user with the hub's key (renewed before it expires), subscribes to
 * `referralEvents` with the resumable client of clients/realtime.ts, and resumes from its last
 * cursor whenever the connection drops (restart the hub: nothing is lost). Ctrl-C stops it.
 *
 * Every interruption is one line on stderr that says which kind it is: `interrupted … resuming`
 * (network, hub restart, hub not up yet: it keeps trying) or `fatal … not retrying` (the hub
 * refused the token or the request: it exits 1).
 */
import WebSocket from 'ws';
import { ReferralEventsWithOrganisationsDocument } from '../../clients/generated/graphql.ts';
import { resumableSubscription } from '../../clients/realtime.ts';
import { signUserToken } from '../modules/accounts/signing-keys.service.ts';
import { withCliDatabase } from './cli-database.ts';

const USAGE = 'usage: npm run watch -- <email> [--url http://localhost:4000] [--after <cursor>]';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

const argv = process.argv.slice(2);
const email = argv[0];
if (!email || email.startsWith('--')) {
  console.error(USAGE);
  process.exit(2);
}

await withCliDatabase(async ({ prisma }, config) => {
  if (config.AUTH_JWKS_URL) {
    throw new Error('AUTH_JWKS_URL is set: the hub does not sign tokens; use your identity provider.');
  }
  const user = await prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  if (!user || user.disabledAt)
    throw new Error(`No active user with e-mail ${email}. See: npm run token -- --list`);
  const base = flag(argv, '--url') ?? process.env.HUB_URL ?? `http://localhost:${config.PORT}`;
  const url = `${base.replace(/\/graphql$/, '').replace(/^http/, 'ws')}/graphql`;

  let token = { value: '', expiresAt: 0 };
  const freshToken = async () => {
    if (Date.now() > token.expiresAt - 60_000) {
      const ttlSeconds = config.AUTH_TOKEN_TTL;
      const value = await signUserToken(prisma, user, {
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        ttlSeconds,
      });
      token = { value, expiresAt: Date.now() + ttlSeconds * 1000 };
    }
    return token.value;
  };

  let connected = false;
  let interrupted = false;
  const hint = (reason: string) =>
    /4403/.test(reason)
      ? `. The token is signed for this database (${config.DATABASE_URL ? 'DATABASE_URL' : `DATA_DIR ${config.dataDir}`}): is ${url} the hub of this database?`
      : '';
  const time = (iso: string) => new Date(iso).toLocaleTimeString('fr-LU', { hour12: false });
  console.error(`Watching the referral events of ${user.email} on ${url} (Ctrl-C to stop)…`);
  const sub = resumableSubscription({
    url,
    token: freshToken,
    document: ReferralEventsWithOrganisationsDocument,
    variables: {},
    after: flag(argv, '--after') ?? null,
    webSocketImpl: WebSocket,
    cursorOf: (d) => d.referralEvents.cursor,
    onData: ({ referralEvents: n }) => {
      const step = n.fromStatus && n.toStatus ? `${n.fromStatus} → ${n.toStatus}` : (n.toStatus ?? '');
      const sides = n.referral
        ? `${n.referral.senderOrganisation.name} → ${n.referral.receiverOrganisation.name}`
        : '';
      console.log(
        [time(n.at), n.reference, n.type.padEnd(17), step.padEnd(24), sides, `#${n.cursor}`].join('  '),
      );
    },
    onConnected: () => {
      if (!connected) console.error('connected: new events appear below as they happen');
      else if (interrupted)
        console.error(`connected again: resumed ${sub.cursor ? `after #${sub.cursor}` : 'from now'}`);
      connected = true;
      interrupted = false;
    },
    onInterruption: (reason, willResume) => {
      if (willResume) {
        interrupted = true;
        const from = sub.cursor ? `after #${sub.cursor}` : 'from now';
        console.error(
          `interrupted, resuming ${from} (retrying until the hub answers; Ctrl-C stops): ${reason}`,
        );
      } else {
        console.error(`fatal, not retrying: ${reason}${hint(reason)}`);
      }
    },
  });
  const stop = () => void sub.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const failed = await sub.finished;
  if (failed) throw new Error(`Stopped: ${failed}`);
});
