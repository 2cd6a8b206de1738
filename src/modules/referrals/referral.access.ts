/**
 * Who may see and act on referrals: the one place that decides it. Case workers and admins of the
 * sending organisation, and of the receiving organisation once the referral is sent (a draft stays
 * with its sender); those organisations' API clients with the referral scopes. Nobody else, hub
 * admins included (they see counts in statistics, never referrals).
 *
 * The rule is `referralSides`; `visibleReferralsWhere` (Prisma) and `visibleReferralsSql` (the
 * locking statement) are the same rule for the database, and `referralEventAudience` applies it to
 * an outbox row (subscriptions, webhooks). `test/referrals/referral-access.test.ts` checks that
 * they agree. Every path calls one of them: GraphQL fields, node/nodes, the access log, mutations,
 * subscriptions and the webhook fan-out. The outbox trigger only records the routing (both sides
 * and `sentAt`), never who may hear.
 */
import { Prisma } from '../../generated/prisma/client.ts';
import { hasRole, type Viewer } from '../accounts/viewer.ts';
import type { Side } from './referral-status.ts';

export const REFERRAL_ROLES = ['CASE_WORKER', 'ORG_ADMIN'] as const;

/** Who acts, for which organisation: a person or an API client (one of the two ids is set). */
export interface Actor {
  organisationId: string;
  userId: string | null;
  apiClientId: string | null;
}

/** The viewer acting for `organisationId` on referrals (`read` or `write`), or null. */
export function actorFor(
  viewer: Viewer | null,
  organisationId: string,
  access: 'read' | 'write',
): Actor | null {
  if (viewer?.kind === 'user') {
    return hasRole(viewer, organisationId, REFERRAL_ROLES)
      ? { organisationId, userId: viewer.userId, apiClientId: null }
      : null;
  }
  if (viewer?.kind === 'apiClient' && viewer.organisationId === organisationId) {
    const allowed =
      viewer.scopes.has('REFERRALS_WRITE') || (access === 'read' && viewer.scopes.has('REFERRALS_READ'));
    return allowed ? { organisationId, userId: null, apiClientId: viewer.apiClientId } : null;
  }
  return null;
}

/** What decides who sees a referral: its two sides, and whether (when) it was sent. */
export interface ReferralRouting {
  senderOrganisationId: string;
  receiverOrganisationId: string;
  sentAt: Date | string | null;
}

/** The columns of a referral that `referralSides` reads: what an authorisation by the rule reads of a row. */
export const ROUTING_COLUMNS = [
  'senderOrganisationId',
  'receiverOrganisationId',
  'sentAt',
] as const satisfies readonly (keyof ReferralRouting)[];

/** `ROUTING_COLUMNS` as a Prisma `select`: what a field that applies the rule adds to its own `select`. */
export const ROUTING_SELECT = Object.fromEntries(ROUTING_COLUMNS.map((c) => [c, true])) as {
  readonly [K in (typeof ROUTING_COLUMNS)[number]]: true;
};

/**
 * THE RULE: who sees a referral, as which side. Its sender; its receiver once it is sent (a draft
 * stays with its sender, and a sent referral never goes back to draft).
 */
export function referralSides(r: ReferralRouting): { organisationId: string; side: Side }[] {
  const sender = { organisationId: r.senderOrganisationId, side: 'SENDER' as const };
  return r.sentAt ? [sender, { organisationId: r.receiverOrganisationId, side: 'RECEIVER' }] : [sender];
}

/** The organisations that see a referral (by the rule). */
export function referralAudience(r: ReferralRouting): string[] {
  return referralSides(r).map((s) => s.organisationId);
}

/** True when the viewer may see this referral (`read`) or act on it (`write`). */
export function viewerSeesReferral(
  viewer: Viewer | null,
  r: ReferralRouting,
  access: 'read' | 'write' = 'read',
): boolean {
  return viewerSides(viewer, r, access).length > 0;
}

/** The sides the viewer sees this referral as, each with who acts (sender first; both for a member of the two). */
export function viewerSides(
  viewer: Viewer | null,
  r: ReferralRouting,
  access: 'read' | 'write' = 'read',
): (Actor & { side: Side })[] {
  const sides: (Actor & { side: Side })[] = [];
  for (const { organisationId, side } of referralSides(r)) {
    const actor = actorFor(viewer, organisationId, access);
    if (actor) sides.push({ ...actor, side });
  }
  return sides;
}

/** The side the viewer may act for on this referral (sender first), or null. */
export function actingSide(viewer: Viewer | null, r: ReferralRouting): (Actor & { side: Side }) | null {
  return viewerSides(viewer, r, 'write')[0] ?? null;
}

/**
 * Who reads the person data and the needs of a referral, for the access log: the sending side;
 * the receiving side while the referral is visible to it and the person's consent stands (once
 * withdrawn, the receiver no longer sees the person nor what was written about them). Null when
 * the viewer may not read them.
 */
export function personDataReader(
  viewer: Viewer | null,
  r: ReferralRouting & { consents: { withdrawnAt: Date | null }[] },
): (Actor & { side: Side }) | null {
  const consented = r.consents.some((c) => !c.withdrawnAt);
  return viewerSides(viewer, r, 'read').find((s) => s.side === 'SENDER' || consented) ?? null;
}

/** Organisations whose referrals the viewer may read (`read`) or act on (`write`). */
export function referralOrganisationIds(viewer: Viewer | null, access: 'read' | 'write' = 'read'): string[] {
  if (viewer?.kind === 'user') {
    return [...viewer.roles]
      .filter(([, roles]) => REFERRAL_ROLES.some((r) => roles.has(r)))
      .map(([id]) => id);
  }
  return actorFor(viewer, viewer?.organisationId ?? '', access) ? [viewer!.organisationId] : [];
}

/** Referrals these organisations sent (drafts included): their outgoing box. */
export function outgoingWhere(organisationIds: string[]): Prisma.ReferralWhereInput {
  return { senderOrganisationId: { in: organisationIds } };
}

/** Referrals these organisations received: sent to them (never a draft). Their incoming box. */
export function incomingWhere(organisationIds: string[]): Prisma.ReferralWhereInput {
  return { receiverOrganisationId: { in: organisationIds }, sentAt: { not: null } };
}

/**
 * `column` is one of `ids`. One id is written `= $1`: PostgreSQL 15 reads an index in order for
 * `=` but not for `= any(array)`, and the inbox's page is the newest rows of one organisation.
 */
function oneOf(column: string, ids: string[]): Prisma.Sql {
  return ids.length === 1
    ? Prisma.sql`${Prisma.raw(column)} = ${ids[0]}::uuid`
    : Prisma.sql`${Prisma.raw(column)} = any(${ids}::uuid[])`;
}

/** `outgoingWhere` as SQL on "Referral" aliased `alias` (hand-written reads, `referral.sql.ts`). */
export function outgoingSql(organisationIds: string[], alias = 'r'): Prisma.Sql {
  return oneOf(`${alias}."senderOrganisationId"`, organisationIds);
}

/** `incomingWhere` as SQL on "Referral" aliased `alias`: sent to them, never a draft. */
export function incomingSql(organisationIds: string[], alias = 'r'): Prisma.Sql {
  return Prisma.sql`(${oneOf(`${alias}."receiverOrganisationId"`, organisationIds)} and ${Prisma.raw(alias)}."sentAt" is not null)`;
}

/** The rule as a Prisma filter: referrals that one of `organisationIds` sees. */
export function referralsSeenByWhere(organisationIds: string[]): Prisma.ReferralWhereInput {
  return { OR: [outgoingWhere(organisationIds), incomingWhere(organisationIds)] };
}

/** The rule as a Prisma filter: referrals the viewer may see. */
export function visibleReferralsWhere(viewer: Viewer | null): Prisma.ReferralWhereInput {
  return referralsSeenByWhere(referralOrganisationIds(viewer));
}

/**
 * The rule as an SQL condition on "Referral", for statements Prisma cannot write: the locking
 * `SELECT … FOR UPDATE` puts it in its WHERE, so that a referral the viewer may not act on is
 * never locked and reads exactly like an unknown one.
 */
export function visibleReferralsSql(viewer: Viewer | null, access: 'read' | 'write' = 'read'): Prisma.Sql {
  const orgs = referralOrganisationIds(viewer, access);
  return Prisma.sql`(${outgoingSql(orgs, '"Referral"')} or ${incomingSql(orgs, '"Referral"')})`;
}

/**
 * `actingSide` as an SQL expression on "Referral": 'SENDER' or 'RECEIVER' (sender first), NULL
 * when the viewer may not act on it. For a step written in one statement (`writeStep`).
 */
export function actingSideSql(viewer: Viewer | null, alias = '"Referral"'): Prisma.Sql {
  const orgs = referralOrganisationIds(viewer, 'write');
  return Prisma.sql`(case when ${outgoingSql(orgs, alias)} then 'SENDER' when ${incomingSql(orgs, alias)} then 'RECEIVER' end)`;
}

/**
 * The organisations that may hear of an outbox REFERRAL_EVENT, by the rule, from the routing the
 * trigger records with the referral as it was after the event (`payload.referral`). A row whose
 * routing cannot be read reaches nobody.
 */
export function referralEventAudience(payload: unknown): string[] {
  const r = (payload as { referral?: Partial<Record<keyof ReferralRouting, unknown>> } | null)?.referral;
  if (typeof r?.senderOrganisationId !== 'string' || typeof r.receiverOrganisationId !== 'string') return [];
  const sentAt = typeof r.sentAt === 'string' ? r.sentAt : null;
  return referralAudience({
    senderOrganisationId: r.senderOrganisationId,
    receiverOrganisationId: r.receiverOrganisationId,
    sentAt,
  });
}

/** True when the viewer administers an organisation that sees the referral (may read its access log). */
export function administersSide(viewer: Viewer | null, r: ReferralRouting): boolean {
  return referralAudience(r).some((o) => hasRole(viewer, o, ['ORG_ADMIN']));
}

/**
 * The access-log rows an organisation's admin reads: reads of the person data of referrals that
 * organisation sees (a draft's reads stay with its sender). Anyone else reads none.
 */
export function accessLogWhere(
  viewer: Viewer | null,
  organisationId: string,
): Prisma.PersonDataAccessWhereInput {
  if (!hasRole(viewer, organisationId, ['ORG_ADMIN'])) return { id: { in: [] } };
  return { referral: referralsSeenByWhere([organisationId]) };
}
