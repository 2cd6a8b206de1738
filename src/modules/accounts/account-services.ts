/**
 * What the accounts module needs from the running hub, built once per hub and handed to every
 * request's context: the mailer, how long invitations last, and whether the hub issues tokens
 * itself (no partner identity provider) or binds people to their provider's subject.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import { signUserToken } from './signing-keys.service.ts';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export interface AccountServices {
  mailer: Mailer;
  /** The hub's public address, for links in mail (no trailing slash). */
  publicUrl: string;
  invitationTtlDays: number;
  /** How long a session lasts after its last refresh (no partner identity provider). */
  sessionTtlDays: number;
  /** A partner identity provider signs people in (AUTH_JWKS_URL): accepting binds its subject. */
  identityProvider: boolean;
  /**
   * Signs an access token with the hub's key, for a session (session.service.ts); null when
   * AUTH_JWKS_URL names the identity provider.
   */
  issueToken:
    ((user: { id: string; email: string }, session: { sessionId: string }) => Promise<IssuedToken>) | null;
}

export function accountServices(config: Config, prisma: PrismaClient, logger: Logger): AccountServices {
  return {
    mailer: createMailer(config, prisma, logger),
    publicUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ''),
    invitationTtlDays: config.INVITATION_TTL_DAYS,
    sessionTtlDays: config.SESSION_TTL_DAYS,
    identityProvider: !!config.AUTH_JWKS_URL,
    issueToken: config.AUTH_JWKS_URL
      ? null
      : async (user, { sessionId }) => ({
          token: await signUserToken(prisma, user, {
            issuer: config.AUTH_ISSUER,
            audience: config.AUTH_AUDIENCE,
            ttlSeconds: config.AUTH_TOKEN_TTL,
            sessionId,
          }),
          expiresAt: new Date(Date.now() + config.AUTH_TOKEN_TTL * 1000),
        }),
  };
}
