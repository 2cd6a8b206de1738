/**
 * `npm run token -- <email>` prints a bearer token for a user, alone on its last line;
 * `npm run token -- --list` lists the users (email, organisation, roles). Works while the hub runs
 * on the same data folder (it connects through the hub's embedded database port).
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
    const users = await prisma.user.findMany({
      orderBy: { email: 'asc' },
      include: { memberships: { include: { organisation: { select: { slug: true } } } } },
    });
    if (users.length === 0)
      throw new Error('No users yet: start the hub once (npm start) or run npm run db:seed.');
    const rows = users.flatMap((u) =>
      u.memberships.map((m) => [u.email, m.organisation.slug, m.roles.join(',')]),
    );
    const width = (i: number) => Math.max(...rows.map((r) => r[i]?.length ?? 0));
    for (const r of [['EMAIL', 'ORGANISATION', 'ROLES'], ...rows]) {
      console.log(`${r[0]!.padEnd(width(0))}  ${r[1]!.padEnd(width(1))}  ${r[2]}`);
    }
    return;
  }
  if (config.AUTH_JWKS_URL) {
    throw new Error('AUTH_JWKS_URL is set: tokens come from your identity provider, not from the hub.');
  }
  const user = await prisma.user.findUnique({ where: { email: arg.toLowerCase() } });
  if (!user || user.disabledAt)
    throw new Error(`No active user with e-mail ${arg}. See: npm run token -- --list`);
  const token = await signUserToken(prisma, user, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ttlSeconds: config.AUTH_TOKEN_TTL,
  });
  console.error(`Bearer token for ${user.email}, valid ${Math.round(config.AUTH_TOKEN_TTL / 3600)} h:`);
  console.log(token);
});
