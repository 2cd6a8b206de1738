/**
 * `npm run token -- <email>` prints a bearer token for a user, alone on its last line;
 * `npm run token -- --list` lists the active users (email, organisation, roles of each active
 * membership). A disabled account, or one with no active membership, gets no token. Works while
 * the hub runs on the same data folder (it connects through the hub's embedded database port).
 */
import { signUserToken } from '../modules/accounts/signing-keys.service.ts';
import { withCliDatabase } from './cli-database.ts';

const arg = process.argv[2];
if (!arg || arg === '--help') {
  console.error('usage: npm run token -- <email>   |   npm run token -- --list');
  process.exit(2);
}

await withCliDatabase(async ({ prisma }, config) => {
  if (arg === '--list') {
    // Active accounts and memberships only: a disabled one gives no access (auth.service.ts).
    const users = await prisma.user.findMany({
      where: { disabledAt: null },
      orderBy: { email: 'asc' },
      include: {
        memberships: {
          where: { disabledAt: null },
          include: { organisation: { select: { slug: true } } },
          orderBy: { organisation: { slug: 'asc' } },
        },
      },
    });
    const rows = users.flatMap((u) =>
      u.memberships.map((m) => [u.email, m.organisation.slug, m.roles.join(',')]),
    );
    if (rows.length === 0) {
      throw new Error(
        (await prisma.user.count()) === 0
          ? 'No users yet: start the hub once (npm start) or run npm run db:seed.'
          : 'No active user with an active membership.',
      );
    }
    const width = (i: number) => Math.max(...rows.map((r) => r[i]?.length ?? 0));
    for (const r of [['EMAIL', 'ORGANISATION', 'ROLES'], ...rows]) {
      console.log(`${r[0]!.padEnd(width(0))}  ${r[1]!.padEnd(width(1))}  ${r[2]}`);
    }
    return;
  }
  if (config.AUTH_JWKS_URL) {
    throw new Error('AUTH_JWKS_URL is set: tokens come from your identity provider, not from the hub.');
  }
  const user = await prisma.user.findUnique({
    where: { email: arg.toLowerCase() },
    include: { memberships: { where: { disabledAt: null }, select: { id: true } } },
  });
  if (!user || user.disabledAt)
    throw new Error(`No active user with e-mail ${arg}. See: npm run token -- --list`);
  // A token without an active membership gives no access at all. Hub admins are no exception to
  // make: the hub admin role is held through an active membership too (auth.service.ts).
  if (user.memberships.length === 0)
    throw new Error(
      `${user.email} has no active membership: a token would give no access. See: npm run token -- --list`,
    );
  const token = await signUserToken(prisma, user, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ttlSeconds: config.AUTH_TOKEN_TTL,
  });
  console.error(`Bearer token for ${user.email}, valid ${Math.round(config.AUTH_TOKEN_TTL / 3600)} h:`);
  console.log(token);
});
