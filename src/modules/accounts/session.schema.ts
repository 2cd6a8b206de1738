/**
 * Signing in without a partner identity provider: one-time codes by e-mail, sessions with
 * rotating refresh tokens, signing out (session.service.ts says how).
 */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { InvalidInputError, InvalidTransitionError, NotFoundError } from '../../shared/errors.ts';
import { SessionEndedError, SessionRefreshedError, SignInByProviderError } from './accounts.errors.ts';
import { normaliseEmail } from './user.service.ts';
import {
  refreshSession,
  requestSignInCode,
  signIn,
  signOut,
  SIGN_IN_CODE_TTL_MS,
  type SessionTokens,
} from './session.service.ts';

export const HubSession = builder.objectRef<SessionTokens>('HubSession').implement({
  description:
    'A session with the hub: send `token` as "Authorization: Bearer <token>"; before `tokenExpiresAt`, trade `refreshToken` for the next pair (refreshSession). Keep the refresh token as secret as a password.',
  authScopes: { public: true },
  fields: (t) => ({
    token: t.string({ resolve: (s) => s.access.token }),
    tokenExpiresAt: t.field({ type: 'DateTime', resolve: (s) => s.access.expiresAt }),
    refreshToken: t.string({
      description: 'Single use: refreshing gives a new one. Using a spent one again ends the session.',
      resolve: (s) => s.refreshToken,
    }),
    refreshTokenExpiresAt: t.field({ type: 'DateTime', resolve: (s) => s.refreshExpiresAt }),
  }),
});

const secretInput = (description: string) => ({
  required: true as const,
  description,
  validate: z.string().trim().min(1).max(200),
});

builder.mutationFields((t) => ({
  requestSignInCode: t.field({
    type: builder.objectRef<{ email: string; expiresAt: Date }>('RequestSignInCodePayload').implement({
      authScopes: { public: true },
      fields: (f) => ({
        email: f.exposeString('email'),
        codeExpiresAt: f.field({
          type: 'DateTime',
          description: 'Until when a code sent now is valid.',
          resolve: (p) => p.expiresAt,
        }),
        message: f.string({
          resolve: () =>
            `If this address belongs to an active account, a sign-in code valid for ${SIGN_IN_CODE_TTL_MS / 60_000} minutes is on its way.`,
        }),
      }),
    }),
    description:
      'Mails a one-time sign-in code (valid 15 minutes) to the address, if an active account has it. The answer is the same either way. Without a partner identity provider only.',
    authScopes: { public: true },
    errors: { types: [InvalidInputError, SignInByProviderError] },
    args: {
      input: t.arg({
        type: builder.inputType('RequestSignInCodeInput', {
          fields: (f) => ({
            email: f.string({ required: true, validate: z.string().trim().email().max(320) }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => ({
      email: normaliseEmail(input.email),
      ...(await requestSignInCode(ctx.prisma, ctx.accounts, ctx.logger, input.email)),
    }),
  }),
  signIn: t.field({
    type: HubSession,
    description: 'Signs in with a code from requestSignInCode (once): a session with the hub.',
    authScopes: { public: true },
    errors: {
      types: [
        InvalidInputError,
        NotFoundError,
        InvalidTransitionError,
        SessionEndedError,
        SignInByProviderError,
      ],
    },
    args: {
      input: t.arg({
        type: builder.inputType('SignInInput', {
          fields: (f) => ({ code: f.string(secretInput('The code from the sign-in e-mail.')) }),
        }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) => signIn(ctx.prisma, ctx.accounts, input),
  }),
  refreshSession: t.field({
    type: HubSession,
    description:
      'Trades a refresh token for a new access token and a new refresh token (the old one is spent). Needs no Authorization header.',
    authScopes: { public: true },
    errors: { types: [InvalidInputError, SessionEndedError, SessionRefreshedError, SignInByProviderError] },
    args: {
      input: t.arg({
        type: builder.inputType('RefreshSessionInput', {
          fields: (f) => ({ refreshToken: f.string(secretInput('The current refresh token.')) }),
        }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) => refreshSession(ctx.prisma, ctx.accounts, input.refreshToken),
  }),
  signOut: t.field({
    type: builder.objectRef<{ sessionsEnded: number }>('SignOutPayload').implement({
      authScopes: { public: true },
      fields: (f) => ({
        sessionsEnded: f.exposeInt('sessionsEnded', {
          description: 'How many sessions ended now (0: it was already over).',
        }),
      }),
    }),
    description:
      "Ends the refresh token's session (or, with `everywhere`, every session of the account): their tokens stop working at once.",
    authScopes: { public: true },
    errors: { types: [InvalidInputError, SessionEndedError, SignInByProviderError] },
    args: {
      input: t.arg({
        type: builder.inputType('SignOutInput', {
          fields: (f) => ({
            refreshToken: f.string(secretInput('The refresh token of the session to end.')),
            everywhere: f.boolean({ defaultValue: false, description: "End all of the account's sessions." }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) =>
      signOut(ctx.prisma, ctx.accounts, {
        refreshToken: input.refreshToken,
        everywhere: input.everywhere ?? false,
      }),
  }),
}));
