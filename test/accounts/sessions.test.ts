/**
 * Signing in again without a partner identity provider, as people do over HTTP: a one-time code
 * by e-mail, a session whose refresh token is traded for the next access token, signing out. A
 * replayed refresh token ends the session; an ended session's access tokens stop at once; a
 * disabled account cannot sign in or refresh; the answer to a code request never tells whether
 * an account exists.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  AcceptInvitationDocument,
  DisableMembershipDocument,
  InviteMemberDocument,
  RefreshSessionDocument,
  RequestSignInCodeDocument,
  SignInDocument,
  SignOutDocument,
  ViewerDocument,
} from '../../clients/generated/graphql.ts';
import { pruneSessions, REFRESH_RACE_GRACE_MS } from '../../src/modules/accounts/session.service.ts';
import { pruneKeptMail } from '../../src/modules/mail/mail-retention.ts';
import { seedScenario, type Person, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { failed, keptCode, ok } from './helpers.ts';

const SIGN_IN_CODE = /sin_[A-Za-z0-9_-]{43}/;

let t: TestHub;
let s: Scenario;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
});
afterAll(() => t.close());

async function as(person: Person) {
  return t.client(await s.token(person));
}

/** Invites `email` to alpha as a case worker and accepts: the session it starts. */
async function join(email: string) {
  ok(
    (
      await (
        await as('alice')
      ).request(InviteMemberDocument, {
        input: { organisationId: s.org.alpha.globalId, roles: ['CASE_WORKER'], email, name: 'Zoé' },
      })
    ).inviteMember,
  );
  const code = await keptCode(t.db.prisma, email);
  const accepted = ok(
    (await t.client().request(AcceptInvitationDocument, { input: { code } })).acceptInvitation,
  );
  expect(accepted.token).toBe(accepted.session!.token);
  return accepted.session!;
}

/** Who the token is, or the HTTP status when it is refused. */
async function whoIs(token: string): Promise<string | number> {
  const res = await t.send(ViewerDocument, {}, { token });
  return res.status === 200 ? (res.body.data?.viewer?.email ?? 'anonymous') : res.status;
}

async function refresh(refreshToken: string) {
  return (await t.client().request(RefreshSessionDocument, { input: { refreshToken } })).refreshSession;
}

async function requestCode(email: string) {
  return ok((await t.client().request(RequestSignInCodeDocument, { input: { email } })).requestSignInCode);
}

async function keptSignInCodes(to: string): Promise<string[]> {
  const mails = await t.db.prisma.mailMessage.findMany({
    where: { to, kind: 'sign-in' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return mails.map((m) => SIGN_IN_CODE.exec(m.text)![0]);
}

describe('sessions', () => {
  it('accepting an invitation starts a session; refreshing rotates the refresh token and keeps the person signed in', async () => {
    const first = await join('zoe@example.org');
    expect(await whoIs(first.token)).toBe('zoe@example.org');
    expect(new Date(first.refreshTokenExpiresAt).getTime()).toBeGreaterThan(
      Date.now() + 29 * 24 * 3600 * 1000,
    );

    const second = ok(await refresh(first.refreshToken));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await whoIs(second.token)).toBe('zoe@example.org');
    // Only hashes are stored.
    const rows = await t.db.prisma.session.findMany({ where: { user: { email: 'zoe@example.org' } } });
    expect(JSON.stringify(rows)).not.toContain(second.refreshToken.slice(3));

    const third = ok(await refresh(second.refreshToken));
    expect(await whoIs(third.token)).toBe('zoe@example.org');
  });

  it('a spent refresh token used again ends the session: every token of it stops working', async () => {
    const first = await join('yann@example.org');
    const second = ok(await refresh(first.refreshToken));
    // Used again at once: a race between two requests of the client, the session goes on.
    failed(await refresh(first.refreshToken), 'SessionRefreshedError');
    expect(await whoIs(second.token)).toBe('yann@example.org');
    // Used again later: a copy. The whole session ends.
    await t.db.prisma.session.updateMany({
      where: { user: { email: 'yann@example.org' } },
      data: { refreshedAt: new Date(Date.now() - REFRESH_RACE_GRACE_MS - 1000) },
    });
    expect(failed(await refresh(first.refreshToken), 'SessionEndedError').reason).toBe('REPLAYED');
    expect(await whoIs(second.token)).toBe(401);
    expect(failed(await refresh(second.refreshToken), 'SessionEndedError').reason).toBe('REPLAYED');
  });

  it('two refreshes of one token at once: one succeeds, the other is told, and the session goes on', async () => {
    const first = await join('xavier@example.org');
    const results = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);
    expect(results.map((r) => r.__typename).sort()).toEqual([
      'MutationRefreshSessionSuccess',
      'SessionRefreshedError',
    ]);
    const won = results.find((r) => r.__typename === 'MutationRefreshSessionSuccess')!;
    const next = ok(await refresh(ok(won).refreshToken));
    expect(await whoIs(next.token)).toBe('xavier@example.org');
  });

  it('signing out ends the session and its access tokens at once; everywhere ends every session', async () => {
    const a = await join('wanda@example.org');
    await requestCode('wanda@example.org');
    const [code] = await keptSignInCodes('wanda@example.org');
    const b = ok((await t.client().request(SignInDocument, { input: { code: code! } })).signIn);
    // Used before: the hub has verified its signature and knows it (auth.service.ts).
    expect(await whoIs(a.token)).toBe('wanda@example.org');

    const out = ok(
      (await t.client().request(SignOutDocument, { input: { refreshToken: a.refreshToken } })).signOut,
    );
    expect(out.sessionsEnded).toBe(1);
    expect(await whoIs(a.token)).toBe(401);
    expect(failed(await refresh(a.refreshToken), 'SessionEndedError').reason).toBe('SIGNED_OUT');
    expect(await whoIs(b.token)).toBe('wanda@example.org');
    // Signing out twice is done, not an error.
    expect(
      ok((await t.client().request(SignOutDocument, { input: { refreshToken: a.refreshToken } })).signOut)
        .sessionsEnded,
    ).toBe(0);

    const c = ok(await refresh(b.refreshToken));
    const all = ok(
      (
        await t.client().request(SignOutDocument, {
          input: { refreshToken: c.refreshToken, everywhere: true },
        })
      ).signOut,
    );
    expect(all.sessionsEnded).toBe(1);
    expect(await whoIs(c.token)).toBe(401);
  });

  it('an expired session cannot be refreshed', async () => {
    const first = await join('victor@example.org');
    await t.db.prisma.session.updateMany({
      where: { user: { email: 'victor@example.org' } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(failed(await refresh(first.refreshToken), 'SessionEndedError').reason).toBe('EXPIRED');
    expect(await whoIs(first.token)).toBe(401);
    expect(failed(await refresh('rt_not-a-token'), 'SessionEndedError').reason).toBe('UNKNOWN');
  });
});

describe('signing in with a code by e-mail', () => {
  it('mails a single-use code to an active account; the answer is the same for an unknown address', async () => {
    const known = await requestCode('Bob@Beta.example');
    const unknown = await requestCode('nobody@example.org');
    expect(known.message).toBe(unknown.message);
    expect(Object.keys(known).sort()).toEqual(Object.keys(unknown).sort());
    expect(await t.db.prisma.mailMessage.count({ where: { to: 'nobody@example.org' } })).toBe(0);

    const [code] = await keptSignInCodes('bob@beta.example');
    expect(code).toBeDefined();
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({
      where: { to: 'bob@beta.example', kind: 'sign-in' },
    });
    expect(mail.subject).toContain('Votre code de connexion');
    // Only a hash of the code is stored.
    const rows = await t.db.prisma.signInCode.findMany({ where: { user: { email: 'bob@beta.example' } } });
    expect(JSON.stringify(rows)).not.toContain(code!.slice(4));

    const session = ok((await t.client().request(SignInDocument, { input: { code: code! } })).signIn);
    expect(await whoIs(session.token)).toBe('bob@beta.example');
    const again = (await t.client().request(SignInDocument, { input: { code: code! } })).signIn;
    expect(failed(again, 'InvalidTransitionError').status).toBe('USED');
    expect((await t.client().request(SignInDocument, { input: { code: 'sin_x' } })).signIn).toMatchObject({
      __typename: 'NotFoundError',
    });
  });

  it('an expired code is refused', async () => {
    await requestCode('carol@alpha.example');
    const [code] = await keptSignInCodes('carol@alpha.example');
    await t.db.prisma.signInCode.updateMany({
      where: { user: { email: 'carol@alpha.example' } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const res = (await t.client().request(SignInDocument, { input: { code: code! } })).signIn;
    expect(failed(res, 'InvalidTransitionError').status).toBe('EXPIRED');
  });

  it('at most five codes an hour per account: more requests get the same answer and no mail', async () => {
    const email = 'hugo@hub.example';
    for (let i = 0; i < 7; i++) await requestCode(email);
    expect(await keptSignInCodes(email)).toHaveLength(5);
  });

  it('a disabled membership: no code, and its session cannot be refreshed', async () => {
    const session = await join('ursula@example.org');
    const membership = await t.db.prisma.membership.findFirstOrThrow({
      where: { user: { email: 'ursula@example.org' } },
    });
    ok(
      (
        await (
          await as('alice')
        ).request(DisableMembershipDocument, {
          input: { membershipId: encodeGlobalID('Membership', membership.id) },
        })
      ).disableMembership,
    );
    expect(failed(await refresh(session.refreshToken), 'SessionEndedError').reason).toBe('ACCOUNT_DISABLED');
    await requestCode('ursula@example.org');
    expect(await keptSignInCodes('ursula@example.org')).toEqual([]);
    // A disabled account (dora) gets no code either.
    await requestCode('dora@alpha.example');
    expect(await keptSignInCodes('dora@alpha.example')).toEqual([]);
    expect(
      (await t.client().request(SignInDocument, { input: { code: 'not a code' } })).signIn,
    ).toMatchObject({
      __typename: 'NotFoundError',
    });
  });
});

describe('retention', () => {
  it('a used sign-in code’s mail is deleted at once; sessions and codes over for a day are deleted', async () => {
    const email = 'zoe@example.org';
    await requestCode(email);
    const [code] = (await keptSignInCodes(email)).slice(-1);
    const unused = await t.db.prisma.mailMessage.count({ where: { to: email, kind: 'sign-in' } });
    ok((await t.client().request(SignInDocument, { input: { code: code! } })).signIn);
    await pruneKeptMail(t.db.prisma, { days: 30 });
    expect(await t.db.prisma.mailMessage.count({ where: { to: email, kind: 'sign-in' } })).toBe(unused - 1);

    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email } });
    const longAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await t.db.prisma.session.updateMany({ where: { userId: user.id }, data: { expiresAt: longAgo } });
    await t.db.prisma.signInCode.updateMany({ where: { userId: user.id }, data: { expiresAt: longAgo } });
    expect(await pruneSessions(t.db.prisma)).toBeGreaterThan(0);
    expect(await t.db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.prisma.signInCode.count({ where: { userId: user.id } })).toBe(0);
  });
});
