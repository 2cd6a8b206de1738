/**
 * The hub's own token-signing key (EdDSA / Ed25519), kept in the database so that every hub
 * instance and the `npm run token` command share it. Partners' identity providers can be used
 * instead (AUTH_JWKS_URL).
 *
 * The private key is sealed at rest (src/shared/secrets.ts): a database dump alone cannot sign a
 * token. A retired key stays in the key set (JWKS) only while a token it signed can still be
 * valid: `retiredAt` + the longest token lifetime (AUTH_TOKEN_TTL).
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, SignJWT, type JWK } from 'jose';
import type { Prisma, PrismaClient, SigningKey } from '../../generated/prisma/client.ts';
import { isSealed, secretPlace, secrets } from '../../shared/secrets.ts';

const ALG = 'EdDSA';
/** The longest AUTH_TOKEN_TTL the configuration allows (config.ts): the default retirement window. */
export const LONGEST_TOKEN_TTL_S = 60 * 60 * 24 * 30;

const findCurrent = (prisma: PrismaClient) =>
  prisma.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });

/** The row with its private key opened (PKCS#8 PEM); an older clear one is sealed on the way. */
async function opened(prisma: PrismaClient, row: SigningKey): Promise<SigningKey> {
  const place = secretPlace.signingKey(row.kid);
  const privateKey = secrets().open(row.privateKey, place);
  if (!isSealed(row.privateKey)) {
    await prisma.signingKey.updateMany({
      where: { kid: row.kid, privateKey: row.privateKey },
      data: { privateKey: secrets().seal(privateKey, place) },
    });
  }
  return { ...row, privateKey };
}

/** Held while a key is made current: processes that race on first use or rotation take turns. */
const lockCurrentKey = (tx: Prisma.TransactionClient) =>
  tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended('maillage:signing-key', 0))`;

/**
 * Inserts a new current key unless there is one. Inside the caller's transaction, after
 * `lockCurrentKey`: the statement then sees a key committed by a process that raced it (without
 * the lock, two processes' `not exists` could both be true: two workers starting together).
 */
async function insertKey(prisma: Prisma.TransactionClient) {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  const sealed = secrets().seal(await exportPKCS8(privateKey), secretPlace.signingKey(kid));
  await lockCurrentKey(prisma);
  await prisma.$executeRaw`
    insert into "SigningKey" (kid, "privateKey", "publicJwk")
    select ${kid}, ${sealed}, ${JSON.stringify(publicJwk)}::jsonb
    where not exists (select 1 from "SigningKey" where "retiredAt" is null)`;
}

/** The current signing key (its private key opened), created on first use. */
export async function currentSigningKey(prisma: PrismaClient): Promise<SigningKey> {
  const existing = await findCurrent(prisma);
  if (existing) return opened(prisma, existing);
  // The loser of a race on first use reads the winner's key.
  await prisma.$transaction((tx) => insertKey(tx));
  const created = await findCurrent(prisma);
  if (!created) throw new Error('no current signing key');
  return opened(prisma, created);
}

/**
 * Retires the current key and makes a new one (tokens signed from now on use it). The retired key
 * stays in the JWKS until no token it signed can still be valid.
 */
export async function rotateSigningKey(prisma: PrismaClient): Promise<{ retired: string[]; kid: string }> {
  const retired = await prisma.$transaction(async (tx) => {
    await lockCurrentKey(tx);
    const rows = await tx.$queryRaw<{ kid: string }[]>`
      update "SigningKey" set "retiredAt" = now() where "retiredAt" is null returning kid`;
    await insertKey(tx);
    return rows.map((r) => r.kid);
  });
  const current = await findCurrent(prisma);
  return { retired, kid: current!.kid };
}

/**
 * Public keys (JWKS) for verification: the current key, and retired ones while a token they
 * signed can still be valid (retired less than `tokenTtlSeconds` ago; the database's clock).
 */
export async function publicKeySet(
  prisma: PrismaClient,
  tokenTtlSeconds: number = LONGEST_TOKEN_TTL_S,
): Promise<{ keys: JWK[] }> {
  const rows = await prisma.$queryRaw<{ publicJwk: JWK }[]>`
    select "publicJwk" from "SigningKey"
    where "retiredAt" is null or "retiredAt" > now() - make_interval(secs => ${tokenTtlSeconds}::int)
    order by "createdAt" desc`;
  return { keys: rows.map((r) => r.publicJwk) };
}

/** Signs a bearer token for a user with the hub's key. */
export async function signUserToken(
  prisma: PrismaClient,
  user: { id: string; email: string },
  opts: { issuer: string; audience: string; ttlSeconds: number; sessionId?: string },
): Promise<string> {
  const key = await currentSigningKey(prisma);
  // `sid`: the session it was issued for; ending the session ends the token (auth.service.ts).
  return new SignJWT(opts.sessionId ? { email: user.email, sid: opts.sessionId } : { email: user.email })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds}s`)
    .sign(await importPKCS8(key.privateKey, ALG));
}
