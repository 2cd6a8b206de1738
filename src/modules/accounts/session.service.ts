/**
 * Signing in without a partner identity provider (no AUTH_JWKS_URL): the hub is then its own
 * identity provider, passwordless.
 *
 * - `requestSignInCode(email)` mails a one-time code (15 minutes) to an active account, and
 *   answers the same whether the address has one or not (at most 5 codes an hour per account).
 * - `signIn(code)`, and `acceptInvitation`, start a session: a short access token (AUTH_TOKEN_TTL,
 *   carrying the session's id as `sid`) and a refresh token (SESSION_TTL_DAYS from its last use).
 * - `refreshSession(refreshToken)` rotates the refresh token and issues a new access token; the
 *   token it replaced, presented again, ends the session (someone copied it) — except within 10 s
 *   of its use, when it is a race between two requests of the same client (SessionRefreshedError).
 * - `signOut(refreshToken)` ends the session, or every session of the account; access tokens of
 *   an ended session stop working at once (the authenticator checks `sid`).
 *
 * A disabled account, or one without an active membership (hub admins aside), cannot sign in or
 * refresh. With a partner identity provider all of this is its job: SignInByProviderError.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../shared/logger.ts';
import { InvalidTransitionError, NotFoundError } from '../../shared/errors.ts';
import { normaliseEmail } from './user.service.ts';
import type { AccountServices, IssuedToken } from './account-services.ts';
import {
  SessionEndedError,
  SessionRefreshedError,
  SignInByProviderError,
  type SessionEndReason,
} from './accounts.errors.ts';
import { generateSecret, hashSecret, isSecret } from './secret-codes.ts';
import { signInMail } from './sign-in-mail.ts';

/** How long a sign-in code stays valid. */
export const SIGN_IN_CODE_TTL_MS = 15 * 60 * 1000;
/** At most this many sign-in codes per account per hour (more requests are answered, not sent). */
export const SIGN_IN_CODES_PER_HOUR = 5;

/** What signing in gives: the access token and the refresh token, with their expiries. */
export interface SessionTokens {
  access: IssuedToken;
  refreshToken: string;
  refreshExpiresAt: Date;
  userId: string;
}

/** Who may sign in: an active account with an active membership (or a hub admin's). */
const activeAccount = {
  disabledAt: null,
  memberships: { some: { disabledAt: null, roles: { isEmpty: false } } },
} satisfies Prisma.UserWhereInput;

function hubIssuer(services: AccountServices): NonNullable<AccountServices['issueToken']> {
  if (!services.issueToken) throw new SignInByProviderError();
  return services.issueToken;
}

function sessionExpiry(services: AccountServices): Date {
  return new Date(Date.now() + services.sessionTtlDays * 24 * 3600 * 1000);
}

/**
 * Mails a sign-in code to `email` if an active account has that address. The answer never says
 * whether it does, and the mail is sent after the answer, so that timing does not say it either.
 */
export async function requestSignInCode(
  prisma: PrismaClient,
  services: AccountServices,
  logger: Logger,
  email: string,
): Promise<{ expiresAt: Date }> {
  hubIssuer(services);
  const expiresAt = new Date(Date.now() + SIGN_IN_CODE_TTL_MS);
  const user = await prisma.user.findFirst({
    where: { email: normaliseEmail(email), ...activeAccount },
    select: { id: true, email: true, name: true, locale: true },
  });
  if (!user) return { expiresAt };
  const recent = await prisma.signInCode.count({
    where: { userId: user.id, createdAt: { gt: new Date(Date.now() - 3600 * 1000) } },
  });
  if (recent >= SIGN_IN_CODES_PER_HOUR) {
    logger.info({ userId: user.id }, 'sign-in code not sent: too many requests this hour');
    return { expiresAt };
  }
  const { code, hash } = generateSecret('sin');
  const row = await prisma.signInCode.create({ data: { userId: user.id, codeHash: hash, expiresAt } });
  const sending = services.mailer.send(
    signInMail({
      signInCodeId: row.id,
      to: user.email,
      name: user.name,
      code,
      expiresAt,
      locale: user.locale,
    }),
  );
  // Over SMTP the answer does not wait for the mail server (its delay would tell that the account
  // exists); kept mail is one insert, awaited so that it is listed when the answer arrives.
  if (services.mailer.transport === 'kept') await sending;
  return { expiresAt };
}

/** Uses a sign-in code once and starts a session. */
export async function signIn(
  prisma: PrismaClient,
  services: AccountServices,
  input: { code: string },
): Promise<SessionTokens> {
  hubIssuer(services);
  if (!isSecret('sin', input.code)) throw new NotFoundError('sign-in code');
  const codeHash = hashSecret(input.code);
  const userId = await prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string; userId: string; expiresAt: Date; usedAt: Date | null }[]>`
      select id, "userId", "expiresAt", "usedAt" from "SignInCode" where "codeHash" = ${codeHash} for update`;
    if (!row) throw new NotFoundError('sign-in code');
    if (row.usedAt) {
      throw new InvalidTransitionError(
        'This sign-in code was already used: a code can be used once.',
        'USED',
      );
    }
    if (row.expiresAt <= new Date()) {
      throw new InvalidTransitionError('This sign-in code has expired: ask for a new one.', 'EXPIRED');
    }
    await tx.signInCode.update({ where: { id: row.id }, data: { usedAt: new Date() } });
    return row.userId;
  });
  return startSession(prisma, services, userId);
}

/** Starts a session for an account that may sign in (after a code or an accepted invitation). */
export async function startSession(
  prisma: PrismaClient,
  services: AccountServices,
  userId: string,
): Promise<SessionTokens> {
  const issue = hubIssuer(services);
  const user = await prisma.user.findFirst({ where: { id: userId, ...activeAccount } });
  if (!user) throw new SessionEndedError('ACCOUNT_DISABLED');
  const { code, hash } = generateSecret('rt');
  const session = await prisma.session.create({
    data: { userId, tokenHash: hash, expiresAt: sessionExpiry(services) },
  });
  return {
    access: await issue(user, { sessionId: session.id }),
    refreshToken: code,
    refreshExpiresAt: session.expiresAt,
    userId,
  };
}

interface FoundSession {
  id: string;
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/**
 * Two requests of one client may refresh with the same token at once (two tabs): the one that
 * loses sees the token it holds as spent. Within this window that is a race, not a copy: the
 * session goes on. Later, a spent token is a copy, and it ends the session.
 */
export const REFRESH_RACE_GRACE_MS = 10_000;

/**
 * The session a refresh token names, and whether the token is its current one (else it was spent
 * within the grace window). A spent token used after the window ends its session.
 */
async function findSession(
  prisma: PrismaClient,
  refreshToken: string,
): Promise<{ session: FoundSession; current: boolean }> {
  if (!isSecret('rt', refreshToken)) throw new SessionEndedError('UNKNOWN');
  const hash = hashSecret(refreshToken);
  const replayed = await prisma.session.updateMany({
    where: {
      previousHash: hash,
      revokedAt: null,
      refreshedAt: { lt: new Date(Date.now() - REFRESH_RACE_GRACE_MS) },
    },
    data: { revokedAt: new Date(), revokedReason: 'REPLAYED' },
  });
  if (replayed.count > 0) throw new SessionEndedError('REPLAYED');
  const row = await prisma.session.findFirst({
    where: { OR: [{ tokenHash: hash }, { previousHash: hash }] },
    select: {
      id: true,
      userId: true,
      tokenHash: true,
      expiresAt: true,
      revokedAt: true,
      revokedReason: true,
    },
  });
  if (!row) throw new SessionEndedError('UNKNOWN');
  const { tokenHash, ...session } = row;
  return { session, current: tokenHash === hash };
}

function ended(session: FoundSession): SessionEndedError | null {
  if (session.revokedAt)
    return new SessionEndedError((session.revokedReason as SessionEndReason) ?? 'SIGNED_OUT');
  if (session.expiresAt <= new Date()) return new SessionEndedError('EXPIRED');
  return null;
}

/** A new access token and a new refresh token for a live session; the old refresh token is spent. */
export async function refreshSession(
  prisma: PrismaClient,
  services: AccountServices,
  refreshToken: string,
): Promise<SessionTokens> {
  const issue = hubIssuer(services);
  const hash = hashSecret(refreshToken);
  const { session, current } = await findSession(prisma, refreshToken);
  const over = ended(session);
  if (over) throw over;
  if (!current) throw new SessionRefreshedError();
  const user = await prisma.user.findFirst({ where: { id: session.userId, ...activeAccount } });
  if (!user) {
    await prisma.session.updateMany({
      where: { id: session.id, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: 'ACCOUNT_DISABLED' },
    });
    throw new SessionEndedError('ACCOUNT_DISABLED');
  }
  const next = generateSecret('rt');
  const expiresAt = sessionExpiry(services);
  // Only the holder of the current token rotates it: two refreshes at once, one wins.
  const rotated = await prisma.session.updateMany({
    where: { id: session.id, tokenHash: hash, revokedAt: null },
    data: { tokenHash: next.hash, previousHash: hash, refreshedAt: new Date(), expiresAt },
  });
  // Another request rotated it meanwhile (or ended the session).
  if (rotated.count === 0) throw new SessionRefreshedError();
  return {
    access: await issue(user, { sessionId: session.id }),
    refreshToken: next.code,
    refreshExpiresAt: expiresAt,
    userId: user.id,
  };
}

/** Ends the session of this refresh token, or every session of its account. Idempotent. */
export async function signOut(
  prisma: PrismaClient,
  services: AccountServices,
  input: { refreshToken: string; everywhere: boolean },
): Promise<{ sessionsEnded: number }> {
  hubIssuer(services);
  let session: FoundSession;
  try {
    ({ session } = await findSession(prisma, input.refreshToken));
  } catch (err) {
    // Signing out of a session that is already over is done.
    if (err instanceof SessionEndedError && err.reason !== 'UNKNOWN') return { sessionsEnded: 0 };
    throw err;
  }
  const res = await prisma.session.updateMany({
    where: input.everywhere
      ? { userId: session.userId, revokedAt: null }
      : { id: session.id, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: 'SIGNED_OUT' },
  });
  return { sessionsEnded: res.count };
}

/** Whether an access token's session (its `sid`) is still live, checked by the authenticator. */
export function liveSessionWhere(sessionId: string, now = new Date()): Prisma.SessionWhereInput {
  return { id: sessionId, revokedAt: null, expiresAt: { gt: now } };
}

/** `liveSessionWhere` as SQL on "Session" aliased `alias` (the token check, `accounts.sql.ts`). */
export function liveSessionSql(sessionId: string, alias: string, now = new Date()): Prisma.Sql {
  const s = Prisma.raw(alias);
  return Prisma.sql`(${s}.id = ${sessionId}::uuid and ${s}."revokedAt" is null and ${s}."expiresAt" > ${now})`;
}

/** Deletes sessions and sign-in codes over for more than a day (the retention job). */
export async function pruneSessions(prisma: PrismaClient | Prisma.TransactionClient): Promise<number> {
  const before = new Date(Date.now() - 24 * 3600 * 1000);
  const [sessions, codes] = await Promise.all([
    prisma.session.deleteMany({
      where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] },
    }),
    prisma.signInCode.deleteMany({ where: { expiresAt: { lt: before } } }),
  ]);
  return sessions.count + codes.count;
}
