/**
 * Invitations, as people use them over HTTP: an admin invites by e-mail with roles, the code goes
 * by mail only (kept in the database without SMTP_URL), the person accepts it once without a
 * token and gets the hub's token; expired, revoked, replaced and used codes are typed errors that
 * change nothing; every step is in the audit log.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AcceptInvitationDocument,
  InvitationByCodeDocument,
  InvitationsDocument,
  InviteMemberDocument,
  MailMessagesDocument,
  MembersDocument,
  OrganisationAuditLogDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  ViewerDocument,
  type InviteMemberInput,
} from '../../clients/generated/graphql.ts';
import { seedScenario, type Person, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { CODE, failed, keptCode, ok } from './helpers.ts';

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

async function invite(person: Person, input: Partial<InviteMemberInput> & { email: string }) {
  const res = await (
    await as(person)
  ).request(InviteMemberDocument, {
    input: { organisationId: s.org.alpha.globalId, roles: ['CASE_WORKER'], ...input },
  });
  return res.inviteMember;
}

async function accept(code: string, token?: string, extra: { name?: string; locale?: string } = {}) {
  return (await t.client(token).request(AcceptInvitationDocument, { input: { code, ...extra } }))
    .acceptInvitation;
}

async function preview(code: string) {
  return (await t.client().request(InvitationByCodeDocument, { code })).invitationByCode;
}

async function memberCount(person: Person = 'alice') {
  const data = await (await as(person)).request(MembersDocument, { slug: 'alpha' });
  return data.organisation!.members.totalCount;
}

describe('inviting and accepting', () => {
  it('an admin invites; the code is mailed, only its hash stored; accepting it without a token gives an account and a token', async () => {
    const before = await memberCount();
    const sent = ok(await invite('alice', { email: 'Nina@Example.org', name: 'Nina', locale: 'de' }));
    expect(sent.mailDelivery).toBe('KEPT');
    expect(sent.invitation).toMatchObject({
      email: 'nina@example.org',
      roles: ['CASE_WORKER'],
      status: 'PENDING',
      invitedBy: { email: 'alice@alpha.example' },
    });

    // The hub admin reads the kept mail: French first, then German (the invitee's language).
    const hugo = await as('hugo');
    const mails = (await hugo.request(MailMessagesDocument, { to: 'nina@example.org' })).mailMessages;
    expect(mails.totalCount).toBe(1);
    const mail = mails.edges[0]!.node;
    expect(mail.subject).toBe(
      'Invitation à rejoindre Organisation alpha sur Maillage / Einladung zu Organisation alpha auf Maillage',
    );
    expect(mail.text.indexOf('Bonjour Nina')).toBeLessThan(mail.text.indexOf('Guten Tag Nina'));
    expect(mail.text).toContain('Alice vous invite à rejoindre Organisation alpha');
    expect(mail.kind).toBe('invitation');
    const code = CODE.exec(mail.text)![0];
    // Only a hash of the code is in the invitation.
    const row = await t.db.prisma.invitation.findFirstOrThrow({ where: { email: 'nina@example.org' } });
    expect(row.codeHash).toBe(createHash('sha256').update(code).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(code.slice(4));

    const accepted = ok(await accept(code));
    expect(accepted).toMatchObject({
      email: 'nina@example.org',
      roles: ['CASE_WORKER'],
      organisation: { slug: 'alpha' },
    });
    expect(accepted.token).toBeTruthy();
    const viewer = await t.client(accepted.token!).request(ViewerDocument);
    expect(viewer.viewer).toMatchObject({
      email: 'nina@example.org',
      name: 'Nina',
      locale: 'de',
      memberships: [{ roles: ['CASE_WORKER'], organisation: { slug: 'alpha' } }],
    });
    expect(await memberCount()).toBe(before + 1);

    // Single use.
    const again = failed(await accept(code), 'InvalidTransitionError');
    expect(again).toMatchObject({ code: 'common/invalid_transition', status: 'ACCEPTED' });

    const log = (
      await (await as('alice')).request(OrganisationAuditLogDocument, { slug: 'alpha' })
    ).organisation!.auditLog.edges.map((e) => e.node);
    expect(log.slice(0, 2)).toMatchObject([
      {
        action: 'INVITATION_ACCEPTED',
        actor: { email: 'nina@example.org' },
        subject: { email: 'nina@example.org' },
        email: 'nina@example.org',
        rolesBefore: [],
        rolesAfter: ['CASE_WORKER'],
      },
      {
        action: 'INVITATION_SENT',
        actor: { email: 'alice@alpha.example' },
        email: 'nina@example.org',
        rolesAfter: ['CASE_WORKER'],
      },
    ]);
  });

  it('the mail is in French only without a known language, with English or German after it otherwise', async () => {
    for (const [email, locale, second] of [
      ['fr-only@example.org', undefined, null],
      ['en@example.org', 'en', 'Hello,'],
      ['lb@example.org', 'lb', 'Guten Tag,'],
    ] as const) {
      ok(await invite('alice', { email, ...(locale ? { locale } : {}) }));
      const mail = await t.db.prisma.mailMessage.findFirstOrThrow({ where: { to: email } });
      expect(mail.text.startsWith('Bonjour,')).toBe(true);
      if (second) expect(mail.text).toContain(`---\n\n${second}`);
      else expect(mail.text).not.toContain('---');
    }
  });

  it('an existing account accepts without a token: the membership and the token are that account’s', async () => {
    ok(await invite('alice', { email: 'bob@beta.example', roles: ['CASE_WORKER'] }));
    const accepted = ok(await accept(await keptCode(t.db.prisma, 'bob@beta.example')));
    const viewer = await t.client(accepted.token!).request(ViewerDocument);
    expect(viewer.viewer?.id).toBe(s.user.bob.globalId);
    expect(viewer.viewer?.memberships.map((m) => m.organisation.slug).sort()).toEqual(['alpha', 'beta']);
    // The mail greeted him by his account's name.
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({ where: { to: 'bob@beta.example' } });
    expect(mail.text).toContain('Bonjour Bob,');
  });

  it('signed in, one accepts for oneself; an invitation to another account’s address is refused', async () => {
    ok(await invite('alice', { email: 'carol.private@example.org', roles: ['CATALOGUE_EDITOR'] }));
    const code = await keptCode(t.db.prisma, 'carol.private@example.org');
    // Carol is signed in; the address belongs to nobody: she may take it (the code is the proof).
    // She keeps her session: the hub starts no other one.
    const sessions = await t.db.prisma.session.count();
    const accepted = ok(await accept(code, await s.token('carol')));
    expect(accepted.session).toBeNull();
    expect(accepted.token).toBeNull();
    expect(await t.db.prisma.session.count()).toBe(sessions);
    const carol = await t.client(await s.token('carol')).request(ViewerDocument);
    expect(carol.viewer?.memberships).toEqual([
      {
        roles: ['CATALOGUE_EDITOR', 'CASE_WORKER'],
        organisation: expect.objectContaining({ slug: 'alpha' }),
      },
    ]);

    ok(
      await (
        await as('bob')
      )
        .request(InviteMemberDocument, {
          input: {
            organisationId: s.org.beta.globalId,
            email: 'alice@alpha.example',
            roles: ['CASE_WORKER'],
          },
        })
        .then((r) => r.inviteMember),
    );
    const forAlice = await keptCode(t.db.prisma, 'alice@alpha.example');
    const refused = failed(
      await accept(forAlice, await s.token('carol')),
      'InvitationForAnotherAccountError',
    );
    expect(refused.code).toBe('accounts/invitation_for_another_account');
    // Nothing changed: Alice accepts it herself.
    ok(await accept(forAlice, await s.token('alice')));
  });
});

describe('codes that cannot be used', () => {
  it('unknown or malformed codes are not found', async () => {
    for (const code of ['inv_' + 'A'.repeat(43), 'nonsense', ' ']) {
      const res = await accept(code);
      expect(res.__typename).toBe(code.trim() ? 'NotFoundError' : 'InvalidInputError');
      expect(await preview(code)).toBeNull();
    }
  });

  it('an expired code is refused; resending gives a new code and the old one stops working', async () => {
    const sent = ok(await invite('alice', { email: 'late@example.org' }));
    const first = await keptCode(t.db.prisma, 'late@example.org');
    await t.db.prisma.invitation.updateMany({
      where: { email: 'late@example.org' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(failed(await accept(first), 'InvalidTransitionError').status).toBe('EXPIRED');
    expect((await preview(first))?.status).toBe('EXPIRED');
    expect(await t.db.prisma.user.count({ where: { email: 'late@example.org' } })).toBe(0);
    const listed = await (
      await as('alice')
    ).request(InvitationsDocument, { slug: 'alpha', status: 'EXPIRED' });
    expect(listed.organisation!.invitations.edges.map((e) => e.node.email)).toContain('late@example.org');

    const resent = ok(
      (
        await (
          await as('alice')
        ).request(ResendInvitationDocument, { input: { invitationId: sent.invitation.id } })
      ).resendInvitation,
    );
    expect(resent.invitation.status).toBe('PENDING');
    const second = await keptCode(t.db.prisma, 'late@example.org');
    expect(second).not.toBe(first);
    expect((await accept(first)).__typename).toBe('NotFoundError');
    expect(await preview(first)).toBeNull();
    // Read with the code, without a token, before accepting: what it invites to.
    expect(await preview(` ${second} `)).toEqual({
      organisation: { id: s.org.alpha.globalId, name: expect.any(String) },
      email: 'late@example.org',
      name: null,
      roles: ['CASE_WORKER'],
      status: 'PENDING',
      expiresAt: expect.any(String),
    });
    ok(await accept(second));
    expect((await preview(second))?.status).toBe('ACCEPTED');
  });

  it('a revoked code is refused; revoking twice changes nothing; an accepted one cannot be revoked or resent', async () => {
    const alice = await as('alice');
    const sent = ok(await invite('alice', { email: 'withdrawn@example.org' }));
    const code = await keptCode(t.db.prisma, 'withdrawn@example.org');
    const revoke = async () =>
      (await alice.request(RevokeInvitationDocument, { input: { invitationId: sent.invitation.id } }))
        .revokeInvitation;
    expect(ok(await revoke()).invitation.status).toBe('REVOKED');
    expect(ok(await revoke()).invitation.status).toBe('REVOKED');
    expect(failed(await accept(code), 'InvalidTransitionError').status).toBe('REVOKED');
    const resend = (
      await alice.request(ResendInvitationDocument, { input: { invitationId: sent.invitation.id } })
    ).resendInvitation;
    expect(failed(resend, 'InvalidTransitionError').status).toBe('REVOKED');
    const audit = await t.db.prisma.auditLogEntry.findMany({ where: { email: 'withdrawn@example.org' } });
    expect(audit.map((a) => a.action).sort()).toEqual(['INVITATION_REVOKED', 'INVITATION_SENT']);

    const used = ok(await invite('alice', { email: 'used@example.org' }));
    ok(await accept(await keptCode(t.db.prisma, 'used@example.org')));
    const late = (
      await alice.request(RevokeInvitationDocument, { input: { invitationId: used.invitation.id } })
    ).revokeInvitation;
    expect(failed(late, 'InvalidTransitionError').status).toBe('ACCEPTED');
  });

  it('two people accepting the same code at once: one account, one membership, one success', async () => {
    ok(await invite('alice', { email: 'race@example.org' }));
    const code = await keptCode(t.db.prisma, 'race@example.org');
    const results = await Promise.all([accept(code), accept(code), accept(code)]);
    expect(results.map((r) => r.__typename).sort()).toEqual([
      'InvalidTransitionError',
      'InvalidTransitionError',
      'MutationAcceptInvitationSuccess',
    ]);
    expect(await t.db.prisma.user.count({ where: { email: 'race@example.org' } })).toBe(1);
    const audit = await t.db.prisma.auditLogEntry.count({
      where: { email: 'race@example.org', action: 'INVITATION_ACCEPTED' },
    });
    expect(audit).toBe(1);
  });
});

describe('who may invite, and what', () => {
  it('refusals are typed, change nothing and send nothing', async () => {
    const counts = async () => [
      await t.db.prisma.invitation.count(),
      await t.db.prisma.mailMessage.count(),
      await t.db.prisma.auditLogEntry.count(),
    ];
    const before = await counts();
    expect((await invite('carol', { email: 'x1@example.org' })).__typename).toBe('ForbiddenError');
    expect((await invite('bob', { email: 'x2@example.org' })).__typename).toBe('ForbiddenError');
    expect(await invite('alice', { email: 'x3@example.org', roles: ['HUB_ADMIN'] })).toMatchObject({
      __typename: 'ForbiddenError',
      requiredRole: 'HUB_ADMIN',
    });
    // The network's statistics are a hub admin's to give.
    expect(
      (await invite('alice', { email: 'x5@example.org', roles: ['CASE_WORKER', 'NETWORK_COORDINATOR'] }))
        .__typename,
    ).toBe('ForbiddenError');
    const invalid = failed(
      await invite('alice', { email: 'not an address', roles: [] }),
      'InvalidInputError',
    );
    expect(invalid.fields.map((f) => f.path.join('.')).sort()).toEqual(['input.email', 'input.roles']);
    expect((await invite('alice', { email: 'carol@alpha.example' })).__typename).toBe('AlreadyMemberError');
    const anonymous = await t.send(InviteMemberDocument, {
      input: { organisationId: s.org.alpha.globalId, email: 'x4@example.org', roles: ['CASE_WORKER'] },
    });
    expect(anonymous.body.data?.inviteMember ?? null).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('a second invitation to an open one is refused, naming it; a hub admin may invite anywhere, hub admins too', async () => {
    const first = ok(await invite('alice', { email: 'twice@example.org' }));
    const second = failed(await invite('alice', { email: 'TWICE@example.org' }), 'InvitationPendingError');
    expect(second.invitation?.id).toBe(first.invitation.id);
    const hub = ok(await invite('hugo', { email: 'new-hub-admin@example.org', roles: ['HUB_ADMIN'] }));
    expect(hub.invitation.roles).toEqual(['HUB_ADMIN']);
    const coordinator = ok(
      await invite('hugo', { email: 'coordination@example.org', roles: ['NETWORK_COORDINATOR'] }),
    );
    expect(coordinator.invitation.roles).toEqual(['NETWORK_COORDINATOR']);
  });

  it('invitations are listed to the organisation’s admins only', async () => {
    const list = async (person: Person) =>
      t.send(InvitationsDocument, { slug: 'alpha' }, { token: await s.token(person) });
    const alice = await list('alice');
    expect(alice.body.data?.organisation?.invitations.totalCount).toBeGreaterThan(0);
    for (const person of ['carol', 'bob'] as const) {
      const res = await list(person);
      expect(res.body.data?.organisation ?? null).toBeNull();
      expect(res.body.errors?.[0]?.message).toBeTruthy();
    }
    // Mail kept is the hub admins' to read.
    const mail = await t.send(MailMessagesDocument, {}, { token: await s.token('alice') });
    expect(mail.body.data?.mailMessages ?? null).toBeNull();
  });
});

describe('a disabled membership', () => {
  it('is enabled again, with the invited roles, when the person accepts a new invitation', async () => {
    const m = await t.db.prisma.membership.create({
      data: {
        user: { create: { email: 'back@example.org', name: 'Back' } },
        organisation: { connect: { id: s.org.alpha.id } },
        roles: ['ORG_ADMIN'],
        disabledAt: new Date(),
      },
    });
    ok(await invite('alice', { email: 'back@example.org', roles: ['CASE_WORKER'] }));
    const accepted = ok(await accept(await keptCode(t.db.prisma, 'back@example.org')));
    expect(accepted.roles).toEqual(['CASE_WORKER']);
    const row = await t.db.prisma.membership.findUniqueOrThrow({ where: { id: m.id } });
    expect(row).toMatchObject({ roles: ['CASE_WORKER'], disabledAt: null });
  });
});
