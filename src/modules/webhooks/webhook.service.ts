/**
 * Webhook endpoints: registered, changed and removed by an organisation's admins or by its API
 * client holding WEBHOOKS_MANAGE (and, for referral events, REFERRALS_READ or REFERRALS_WRITE: to
 * create one, and to change, rotate, redeliver, delete or read the log of one). The signing secret
 * is returned once, at creation (and at each rotation), and sealed at rest (shared/secrets.ts).
 * Anyone else gets "not found" for an endpoint or a delivery, like an unknown ID.
 */
import type { Prisma, PrismaClient, WebhookEndpoint } from '../../generated/prisma/client.ts';
import { type FieldProblem, ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { asUuid, uuidv7 } from '../../shared/ids.ts';
import { secretPlace, secrets } from '../../shared/secrets.ts';
import { hasRole, type Viewer } from '../accounts/viewer.ts';
import {
  generateWebhookSecret,
  isWebhookEventType,
  WEBHOOK_EVENT_SCOPES,
  WEBHOOK_EVENT_TYPE_NAMES,
  type WebhookEventType,
} from './webhook-events.ts';
import { currentWebhookAddressPolicy, webhookUrlProblem } from './webhook-url.ts';

/** May the viewer manage (and read) the webhooks of `organisationId`? */
export function managesWebhooks(viewer: Viewer | null, organisationId: string): boolean {
  if (viewer?.kind === 'user') return hasRole(viewer, organisationId, ['ORG_ADMIN']);
  return (
    viewer?.kind === 'apiClient' &&
    viewer.organisationId === organisationId &&
    viewer.scopes.has('WEBHOOKS_MANAGE')
  );
}

/** Organisations whose webhooks the viewer manages. */
export function webhookOrganisationIds(viewer: Viewer | null): string[] {
  if (viewer?.kind === 'user') {
    return [...viewer.roles].filter(([, roles]) => roles.has('ORG_ADMIN')).map(([id]) => id);
  }
  return viewer && managesWebhooks(viewer, viewer.organisationId) ? [viewer.organisationId] : [];
}

export function visibleEndpointsWhere(viewer: Viewer | null): Prisma.WebhookEndpointWhereInput {
  return { organisationId: { in: webhookOrganisationIds(viewer) } };
}

/** A read scope, or the write scope that implies it (as for reads through GraphQL). */
const IMPLIED_BY: Record<string, string> = {
  REFERRALS_READ: 'REFERRALS_WRITE',
  CATALOGUE_READ: 'CATALOGUE_WRITE',
};

function holdsScopeFor(viewer: Viewer | null, eventType: string): boolean {
  if (viewer?.kind !== 'apiClient') return true;
  const needed = WEBHOOK_EVENT_SCOPES[eventType as WebhookEventType] as string | undefined;
  if (!needed) return false;
  const scopes = viewer.scopes as ReadonlySet<string>;
  return scopes.has(needed) || (IMPLIED_BY[needed] !== undefined && scopes.has(IMPLIED_BY[needed]));
}

/**
 * Does the viewer hold the scopes that webhooks of these event types need? What `createWebhook`
 * asks, and so what changing one, rotating its secret, redelivering and reading its log ask: an
 * API client needs each event type's read scope (`WEBHOOK_EVENT_SCOPES`: REFERRALS_READ for
 * referral events, CATALOGUE_READ for offer changes, which carry unpublished offers of its own
 * organisation), or the write scope that implies it.
 */
export function mayHandleEventTypes(viewer: Viewer | null, eventTypes: readonly string[]): boolean {
  return eventTypes.every((t) => holdsScopeFor(viewer, t));
}

/** Deliveries the viewer may read and redeliver: of endpoints it manages and may handle. */
export function visibleDeliveriesWhere(viewer: Viewer | null): {
  endpoint: Prisma.WebhookEndpointWhereInput;
} {
  const endpoint = visibleEndpointsWhere(viewer);
  const refused = WEBHOOK_EVENT_TYPE_NAMES.filter((t) => !holdsScopeFor(viewer, t));
  if (refused.length > 0) endpoint.NOT = { eventTypes: { hasSome: refused } };
  return { endpoint };
}

export interface WebhookFields {
  url?: string | null | undefined;
  /** null clears it. */
  description?: string | null | undefined;
  eventTypes?: string[] | null | undefined;
  active?: boolean | null | undefined;
}

/** Characters in an endpoint's description. */
export const DESCRIPTION_MAX_LENGTH = 500;

/**
 * Checks the fields given, all of them (every problem is answered at once); an API client asking
 * for referral events needs a referral scope; the URL must reach a public host (webhook-url.ts).
 */
async function checkFields(viewer: Viewer | null, fields: WebhookFields): Promise<void> {
  const problems: FieldProblem[] = [];
  const invalid = (field: string, message: string, why: Pick<FieldProblem, 'reason' | 'limit'> = {}) =>
    problems.push({ path: ['input', field], message, ...why });
  if (fields.url != null) {
    const problem = await webhookUrlProblem(fields.url, currentWebhookAddressPolicy());
    if (problem) invalid('url', problem.message, { reason: problem.reason });
  }
  if (fields.eventTypes != null) {
    const unknown = fields.eventTypes.filter((t) => !isWebhookEventType(t));
    if (fields.eventTypes.length === 0) {
      invalid('eventTypes', 'must name at least one event type', { reason: 'REQUIRED' });
    } else if (unknown.length > 0) invalid('eventTypes', `unknown event types: ${unknown.join(', ')}`);
  }
  if (fields.description != null && fields.description.length > DESCRIPTION_MAX_LENGTH) {
    invalid('description', `must be at most ${DESCRIPTION_MAX_LENGTH} characters`, {
      reason: 'TOO_LONG',
      limit: DESCRIPTION_MAX_LENGTH,
    });
  }
  if (problems.length > 0) throw new InvalidInputError(null, problems);
  if (fields.eventTypes != null && !mayHandleEventTypes(viewer, fields.eventTypes)) {
    throw new ForbiddenError(
      'receive these events without the scopes they need (REFERRALS_READ, CATALOGUE_READ)',
    );
  }
}

const unique = (types: string[]) => [...new Set(types)] as WebhookEventType[];

/**
 * Registers an endpoint for an organisation the viewer manages. It receives the events committed
 * after its creation: `startSeq` is read while holding the fan-out cursor (FOR SHARE), so that
 * no fan-out is between reading the outbox and seeing the new endpoint.
 */
export async function createWebhook(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: WebhookFields & { organisationId: string; url: string; eventTypes: string[] },
): Promise<{ webhook: WebhookEndpoint; secret: string }> {
  const organisation = await prisma.organisation.findUnique({
    where: { id: asUuid(input.organisationId) },
    select: { id: true },
  });
  if (!organisation) throw new NotFoundError('organisation');
  if (!viewer || !managesWebhooks(viewer, organisation.id)) {
    throw new ForbiddenError("manage this organisation's webhooks");
  }
  await checkFields(viewer, input);
  const secret = generateWebhookSecret();
  const id = uuidv7();
  const webhook = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`select 1 from "WebhookCursor" where id = 1 for share`;
    const [head] = await tx.$queryRaw<{ value: bigint }[]>`select value from "OutboxSequence" where id = 1`;
    return tx.webhookEndpoint.create({
      data: {
        id,
        organisationId: organisation.id,
        url: input.url,
        description: input.description ?? null,
        eventTypes: unique(input.eventTypes),
        active: input.active ?? true,
        secret: secrets().seal(secret, secretPlace.webhookSecret(id)),
        startSeq: head?.value ?? 0n,
        createdById: viewer.kind === 'user' ? viewer.userId : null,
        createdByApiClientId: viewer.kind === 'apiClient' ? viewer.apiClientId : null,
      },
    });
  });
  return { webhook, secret };
}

/**
 * The endpoint, if the viewer manages its organisation (else "not found") and holds the scopes its
 * event types need (else forbidden).
 */
async function manageable(
  prisma: PrismaClient | Prisma.TransactionClient,
  viewer: Viewer | null,
  id: string,
) {
  const webhook = await prisma.webhookEndpoint.findFirst({
    where: { id: asUuid(id), ...visibleEndpointsWhere(viewer) },
  });
  if (!webhook) throw new NotFoundError('webhook');
  if (!mayHandleEventTypes(viewer, webhook.eventTypes)) throw forbiddenReferralWebhook();
  return webhook;
}

const forbiddenReferralWebhook = () =>
  new ForbiddenError(
    'manage a webhook of these events without the scopes they need (REFERRALS_READ, CATALOGUE_READ)',
  );

/** Changes an endpoint. New event types and reactivation apply to events fanned out from now on. */
export async function updateWebhook(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  changes: WebhookFields,
): Promise<WebhookEndpoint> {
  const webhook = await manageable(prisma, viewer, id);
  await checkFields(viewer, changes);
  const data: Prisma.WebhookEndpointUpdateInput = {};
  if (changes.url != null) data.url = changes.url;
  if (changes.description !== undefined) data.description = changes.description;
  if (changes.eventTypes != null) data.eventTypes = unique(changes.eventTypes);
  if (changes.active != null) data.active = changes.active;
  return prisma.webhookEndpoint.update({ where: { id: webhook.id }, data });
}

/** Deletes an endpoint and its delivery log. Pending deliveries are dropped. */
export async function deleteWebhook(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
): Promise<string> {
  const webhook = await manageable(prisma, viewer, id);
  await prisma.$transaction(async (tx) => {
    // Not while a fan-out is inserting deliveries for it (its foreign key would fail).
    await tx.$queryRaw`select 1 from "WebhookCursor" where id = 1 for share`;
    await tx.webhookEndpoint.deleteMany({ where: { id: webhook.id } });
  });
  return webhook.id;
}

/** A new signing secret, returned once; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
): Promise<{ webhook: WebhookEndpoint; secret: string }> {
  const webhook = await manageable(prisma, viewer, id);
  const secret = generateWebhookSecret();
  const sealed = secrets().seal(secret, secretPlace.webhookSecret(webhook.id));
  return {
    webhook: await prisma.webhookEndpoint.update({ where: { id: webhook.id }, data: { secret: sealed } }),
    secret,
  };
}

/**
 * Sends a delivery again, whatever its status: a fresh series of attempts starts now (the same
 * event id and body; the receiver de-duplicates). An inactive endpoint's delivery waits for it. An
 * event no longer in the outbox fails at once (EVENT_GONE).
 */
export async function redeliverWebhookDelivery(prisma: PrismaClient, viewer: Viewer | null, id: string) {
  const delivery = await prisma.webhookDelivery.findFirst({
    where: { id: asUuid(id), endpoint: visibleEndpointsWhere(viewer) },
    select: { id: true, endpoint: { select: { eventTypes: true } } },
  });
  if (!delivery) throw new NotFoundError('webhook delivery');
  if (!mayHandleEventTypes(viewer, delivery.endpoint.eventTypes)) throw forbiddenReferralWebhook();
  // The database's clock, like every due time the worker compares. `npm run retention` may have
  // deleted the log row since it was read: then it is not found, as for any other missing id.
  const changed = await prisma.$executeRaw`
    update "WebhookDelivery"
    set status = 'PENDING', attempts = 0, "nextAttemptAt" = now(), "firstAttemptAt" = null, "leasedUntil" = null
    where id = ${delivery.id}::uuid`;
  const redelivered =
    changed === 1 && (await prisma.webhookDelivery.findUnique({ where: { id: delivery.id } }));
  if (!redelivered) throw new NotFoundError('webhook delivery');
  return redelivered;
}
