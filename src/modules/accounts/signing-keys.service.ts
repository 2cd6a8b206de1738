/**
 * The hub's own token-signing key (EdDSA / Ed25519), kept in the database so that every hub
 * instance and the `npm run token` command share it. Partners' identity providers can be used
 * instead (AUTH_JWKS_URL).
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, SignJWT, type JWK } from 'jose';
import type { PrismaClient } from '../../generated/prisma/client.ts';

const ALG = 'EdDSA';

/** The current signing key, created on first use. */
export async function currentSigningKey(prisma: PrismaClient) {
  const existing = await prisma.signingKey.findFirst({
    where: { retiredAt: null },
    orderBy: { createdAt: 'desc' },
  });
  if (existing) return existing;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  // Two processes may race on first use: the loser's insert is a no-op and it reads the winner's key.
  await prisma.$executeRaw`
    insert into "SigningKey" (kid, "privateKey", "publicJwk")
    select ${kid}, ${await exportPKCS8(privateKey)}, ${JSON.stringify(publicJwk)}::jsonb
    where not exists (select 1 from "SigningKey" where "retiredAt" is null)`;
  return prisma.signingKey.findFirstOrThrow({
    where: { retiredAt: null },
    orderBy: { createdAt: 'desc' },
  });
}

/** Public keys (JWKS) of every signing key, current and retired, for verification. */
export async function publicKeySet(prisma: PrismaClient): Promise<{ keys: JWK[] }> {
  const rows = await prisma.signingKey.findMany({ select: { publicJwk: true } });
  return { keys: rows.map((r) => r.publicJwk as JWK) };
}

/** Signs a bearer token for a user with the hub's key. */
export async function signUserToken(
  prisma: PrismaClient,
  user: { id: string; email: string },
  opts: { issuer: string; audience: string; ttlSeconds: number },
): Promise<string> {
  const key = await currentSigningKey(prisma);
  return new SignJWT({ email: user.email })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds}s`)
    .sign(await importPKCS8(key.privateKey, ALG));
}
