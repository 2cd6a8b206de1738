/**
 * Invitations: an organisation's admins (or hub admins) invite a person by e-mail with roles; the
 * person accepts with the code the mail carries. Accepting binds the invitation to an account:
 * the caller's own (signed in), the one with the invited address, or a new one; with a partner
 * identity provider the account is bound to the caller's token subject, otherwise the hub issues
 * the person's token. Every step is audited; mail goes out after the transaction commits.
 */
import type {
  Invitation,
  Membership,
  Organisation,
  Prisma,
  PrismaClient,
  User,
} from '../../generated/prisma/client.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { MailStatus } from '../mail/mailer.ts';
import type { AccountServices } from './account-services.ts';
import {
  AlreadyMemberError,
  IdentityRequiredError,
  InvitationForAnotherAccountError,
  InvitationPendingError,
} from './accounts.errors.ts';
import { recordAudit } from './audit-log.service.ts';
import { generateSecret, hashSecret, isSecret } from './secret-codes.ts';
import { invitationMail, joinLink } from './invitation-mail.ts';
import {
  lockOrganisationMembers,
  managedOrganisationsWhere,
  mayManageMembers,
  memberManager,
  normaliseRoles,
  grantsNetworkRole,
  networkRoleRefusal,
} from './members.access.ts';
import type { UserViewer, Viewer } from './viewer.ts';
import { normaliseEmail } from './user.service.ts';
import { startSession, type SessionTokens } from './session.service.ts';

const MANAGE = "manage this organisation's invitations";

export interface InviteInput {
  organisationId: string;
  email: string;
  roles: readonly Role[];
  name?: string | null;
  locale?: string | null;
}

export interface InvitationSent {
  invitation: Invitation;
  mail: MailStatus;
}

export type InvitationStatus = 'PENDING' | 'ACCEPTED' | 'EXPIRED' | 'REVOKED';

/** Where an invitation stands now. */
export function invitationState(inv: Invitation, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return 'ACCEPTED';
  if (inv.revokedAt) return 'REVOKED';
  return inv.expiresAt <= now ? 'EXPIRED' : 'PENDING';
}

/**
 * What an invitation code invites to, for the person holding it (the join page shows it before
 * they accept): null for a code that is not, or no longer, an invitation's (a resent invitation
 * has a new code). The code is the proof, as for accepting it: 256 random bits, not guessed.
 */
export async function invitationByCode(
  prisma: PrismaClient,
  code: string,
): Promise<(Invitation & { organisation: Organisation }) | null> {
  if (!isSecret('inv', code)) return null;
  return prisma.invitation.findUnique({
    where: { codeHash: hashSecret(code) },
    include: { organisation: true },
  });
}

/** Invites a person to an organisation the viewer administers (hub admins: any). */
export async function inviteMember(
  prisma: PrismaClient,
  services: AccountServices,
  viewer: Viewer | null,
  input: InviteInput,
): Promise<InvitationSent> {
  const actor = memberManager(viewer, MANAGE);
  const organisationId = asUuid(input.organisationId);
  if (!mayManageMembers(actor, organisationId)) throw new ForbiddenError(MANAGE);
  const roles = normaliseRoles(input.roles);
  if (grantsNetworkRole(roles) && !actor.hubAdmin) throw networkRoleRefusal(roles);
  const organisation = await prisma.organisation.findUnique({
    where: { id: organisationId },
    select: { id: true, name: true },
  });
  if (!organisation) throw new NotFoundError('organisation');
  const { code, hash } = generateSecret('inv');
  const invitation = await prisma.$transaction(async (tx) => {
    const rights = await lockOrganisationMembers(tx, actor, organisation.id, MANAGE);
    if (grantsNetworkRole(roles) && !rights.hubAdmin) throw networkRoleRefusal(roles);
    return createInvitation(tx, services, actor, {
      ...input,
      organisationId: organisation.id,
      roles,
      codeHash: hash,
    });
  });
  return { invitation, mail: await sendInvitationMail(prisma, services, invitation, code) };
}

/**
 * Writes an invitation and its audit entry; the caller holds the organisation's lock (see
 * lockOrganisationMembers) and has checked the actor's right. Used by createOrganisation too.
 */
export async function createInvitation(
  tx: Prisma.TransactionClient,
  services: AccountServices,
  actor: UserViewer,
  input: InviteInput & { codeHash: string },
): Promise<Invitation> {
  const email = normaliseEmail(input.email);
  const member = await tx.membership.findFirst({
    where: { organisationId: input.organisationId, disabledAt: null, user: { email } },
    select: { id: true },
  });
  if (member) throw new AlreadyMemberError();
  const pending = await tx.invitation.findFirst({
    where: {
      organisationId: input.organisationId,
      email,
      acceptedAt: null,
      revokedAt: null,
      expiresAt: { gt: new Date() },
    },
    select: { id: true },
  });
  if (pending) throw new InvitationPendingError(pending.id);
  // Someone with an account already: greet them by name, in their language.
  const known = await tx.user.findUnique({ where: { email }, select: { name: true, locale: true } });
  const invitation = await tx.invitation.create({
    data: {
      organisationId: input.organisationId,
      email,
      name: input.name?.trim() || known?.name || null,
      locale: input.locale?.toLowerCase() ?? known?.locale ?? null,
      roles: normaliseRoles(input.roles),
      codeHash: input.codeHash,
      invitedById: actor.userId,
      expiresAt: expiry(services),
    },
  });
  await recordAudit(tx, {
    organisationId: invitation.organisationId,
    action: 'INVITATION_SENT',
    actorUserId: actor.userId,
    invitationId: invitation.id,
    email,
    rolesAfter: invitation.roles,
  });
  return invitation;
}

/** Sends the invitation again with a new code (the old one stops working) and a new expiry. */
export async function resendInvitation(
  prisma: PrismaClient,
  services: AccountServices,
  viewer: Viewer | null,
  invitationId: string,
): Promise<InvitationSent> {
  const actor = memberManager(viewer, MANAGE);
  const found = await findManageable(prisma, actor, invitationId);
  const { code, hash } = generateSecret('inv');
  const invitation = await prisma.$transaction(async (tx) => {
    const current = await lockInvitation(tx, actor, found);
    const state = invitationState(current);
    if (state === 'ACCEPTED' || state === 'REVOKED') throw unusable(state);
    const updated = await tx.invitation.update({
      where: { id: current.id },
      data: { codeHash: hash, sentAt: new Date(), expiresAt: expiry(services) },
    });
    await recordAudit(tx, {
      organisationId: current.organisationId,
      action: 'INVITATION_RESENT',
      actorUserId: actor.userId,
      invitationId: current.id,
      email: current.email,
      rolesAfter: current.roles,
    });
    return updated;
  });
  return { invitation, mail: await sendInvitationMail(prisma, services, invitation, code) };
}

/** Withdraws an open invitation: its code stops working. Revoking twice changes nothing. */
export async function revokeInvitation(
  prisma: PrismaClient,
  viewer: Viewer | null,
  invitationId: string,
): Promise<Invitation> {
  const actor = memberManager(viewer, MANAGE);
  const found = await findManageable(prisma, actor, invitationId);
  return prisma.$transaction(async (tx) => {
    const current = await lockInvitation(tx, actor, found);
    if (current.acceptedAt) throw unusable('ACCEPTED');
    if (current.revokedAt) return current;
    const updated = await tx.invitation.update({
      where: { id: current.id },
      data: { revokedAt: new Date() },
    });
    await recordAudit(tx, {
      organisationId: current.organisationId,
      action: 'INVITATION_REVOKED',
      actorUserId: actor.userId,
      invitationId: current.id,
      email: current.email,
      rolesBefore: current.roles,
    });
    return updated;
  });
}

/** Who accepts: the request's viewer, or the subject of a partner provider's token not yet bound. */
export interface AcceptingCaller {
  viewer: Viewer | null;
  unboundSubject: string | null;
}

export interface AcceptInput {
  code: string;
  /** The account's name when one is created (default: the invitation's, else the address). */
  name?: string | null;
  locale?: string | null;
}

export interface InvitationAccepted {
  user: User;
  membership: Membership;
  organisation: Organisation;
  /**
   * The hub's session for the person (access and refresh tokens); null with a partner identity
   * provider, and for someone who accepted signed in (they have a session already).
   */
  session: SessionTokens | null;
}

/**
 * Accepts an invitation once: binds it to an account and gives that account the invited roles in
 * the organisation (added to an active membership's, or enabling a disabled one).
 */
export async function acceptInvitation(
  prisma: PrismaClient,
  services: AccountServices,
  caller: AcceptingCaller,
  input: AcceptInput,
): Promise<InvitationAccepted> {
  const { viewer } = caller;
  if (viewer?.kind === 'apiClient') throw new ForbiddenError('accept an invitation with an API key');
  const { identityProvider } = services;
  const subject = identityProvider && viewer === null ? caller.unboundSubject : null;
  if (identityProvider && viewer === null && !subject) throw new IdentityRequiredError();
  if (!isSecret('inv', input.code)) throw new NotFoundError('invitation');
  const codeHash = hashSecret(input.code);
  const found = await prisma.invitation.findUnique({
    where: { codeHash },
    select: { id: true, organisationId: true },
  });
  if (!found) throw new NotFoundError('invitation');
  const accepted = await prisma.$transaction(async (tx) => {
    await lockOrganisationMembers(tx, null, found.organisationId, 'accept this invitation');
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      select id from "Invitation" where id = ${found.id}::uuid and "codeHash" = ${codeHash} for update`;
    // Resent meanwhile: the code in hand is not the current one.
    if (!locked) throw new NotFoundError('invitation');
    const invitation = await tx.invitation.findUniqueOrThrow({ where: { id: locked.id } });
    const state = invitationState(invitation);
    if (state !== 'PENDING') throw unusable(state);
    const user = await bindAccount(tx, viewer?.kind === 'user' ? viewer : null, subject, invitation, input);
    const { membership, before } = await grantRoles(tx, user.id, invitation);
    await tx.invitation.update({
      where: { id: invitation.id },
      data: { acceptedAt: new Date(), acceptedById: user.id },
    });
    await recordAudit(tx, {
      organisationId: invitation.organisationId,
      action: 'INVITATION_ACCEPTED',
      actorUserId: user.id,
      subjectUserId: user.id,
      invitationId: invitation.id,
      membershipId: membership.id,
      email: invitation.email,
      rolesBefore: before,
      rolesAfter: membership.roles,
    });
    const organisation = await tx.organisation.findUniqueOrThrow({
      where: { id: invitation.organisationId },
    });
    return { user, membership, organisation };
  });
  const signedIn = viewer?.kind === 'user';
  const session =
    services.identityProvider || signedIn ? null : await startSession(prisma, services, accepted.user.id);
  return { ...accepted, session };
}

/** The account the invitation goes to; see acceptInvitation. */
async function bindAccount(
  tx: Prisma.TransactionClient,
  signedIn: UserViewer | null,
  subject: string | null,
  invitation: Invitation,
  input: AcceptInput,
): Promise<User> {
  // One account per address and per subject, even when two invitations are accepted at once.
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`maillage:account:${invitation.email}`}::text, 0))`;
  const holder = await tx.user.findUnique({ where: { email: invitation.email } });
  if (signedIn) {
    if (holder && holder.id !== signedIn.userId) throw new InvitationForAnotherAccountError();
    return tx.user.findUniqueOrThrow({ where: { id: signedIn.userId } });
  }
  if (holder) {
    if (holder.disabledAt) throw new ForbiddenError('accept an invitation for a disabled account');
    if (!subject) return holder;
    if (holder.subject && holder.subject !== subject) throw new InvitationForAnotherAccountError();
    return tx.user.update({ where: { id: holder.id }, data: { subject } });
  }
  return tx.user.create({
    data: {
      email: invitation.email,
      name: input.name?.trim() || invitation.name || invitation.email.split('@')[0]!,
      locale: input.locale?.toLowerCase() ?? invitation.locale ?? 'fr',
      subject,
    },
  });
}

/** Gives the invited roles: a new membership, a disabled one enabled, or more roles on an active one. */
async function grantRoles(tx: Prisma.TransactionClient, userId: string, invitation: Invitation) {
  const existing = await tx.membership.findUnique({
    where: { userId_organisationId: { userId, organisationId: invitation.organisationId } },
  });
  if (!existing) {
    const membership = await tx.membership.create({
      data: { userId, organisationId: invitation.organisationId, roles: normaliseRoles(invitation.roles) },
    });
    return { membership, before: [] as Role[] };
  }
  const before = existing.disabledAt ? [] : normaliseRoles(existing.roles);
  const membership = await tx.membership.update({
    where: { id: existing.id },
    data: { roles: normaliseRoles([...before, ...invitation.roles]), disabledAt: null },
  });
  return { membership, before };
}

/** The invitation, if the actor may manage it (the rule is in the query); else not found. */
async function findManageable(prisma: PrismaClient, actor: UserViewer, invitationId: string) {
  const found = await prisma.invitation.findFirst({
    where: { id: asUuid(invitationId), ...managedOrganisationsWhere(actor) },
    select: { id: true, organisationId: true },
  });
  if (!found) throw new NotFoundError('invitation');
  return found;
}

async function lockInvitation(
  tx: Prisma.TransactionClient,
  actor: UserViewer,
  found: { id: string; organisationId: string },
): Promise<Invitation> {
  await lockOrganisationMembers(tx, actor, found.organisationId, MANAGE);
  await tx.$queryRaw`select id from "Invitation" where id = ${found.id}::uuid for update`;
  return tx.invitation.findUniqueOrThrow({ where: { id: found.id } });
}

/** A used, revoked or expired invitation: its status does not allow the step. */
function unusable(status: Exclude<InvitationStatus, 'PENDING'>): InvalidTransitionError {
  return new InvalidTransitionError(
    {
      EXPIRED: 'This invitation has expired: ask the organisation to send it again.',
      ACCEPTED: 'This invitation was already accepted: a code can be used once.',
      REVOKED: 'This invitation was withdrawn by the organisation.',
    }[status],
    status,
  );
}

function expiry(services: AccountServices): Date {
  return new Date(Date.now() + services.invitationTtlDays * 24 * 3600 * 1000);
}

/** Mails the invitation with its code (after the transaction that wrote it). */
export async function sendInvitationMail(
  prisma: PrismaClient,
  services: AccountServices,
  invitation: Invitation,
  code: string,
): Promise<MailStatus> {
  const [organisation, inviter] = await Promise.all([
    prisma.organisation.findUniqueOrThrow({
      where: { id: invitation.organisationId },
      select: { name: true },
    }),
    invitation.invitedById
      ? prisma.user.findUnique({ where: { id: invitation.invitedById }, select: { name: true } })
      : null,
  ]);
  return services.mailer.send(
    invitationMail({
      invitationId: invitation.id,
      organisationId: invitation.organisationId,
      to: invitation.email,
      inviteeName: invitation.name,
      inviterName: inviter?.name ?? null,
      organisationName: organisation.name,
      roles: invitation.roles,
      code,
      joinUrl: joinLink(services.publicUrl, code),
      expiresAt: invitation.expiresAt,
      locale: invitation.locale,
      identityProvider: services.identityProvider,
    }),
  );
}
