/**
 * Webhook endpoints: registered, changed and removed by an organisation's admins or by its API
 * client holding WEBHOOKS_MANAGE. The signing secret is returned once, at creation (and at each
 * rotation). Anyone else gets "not found" for an endpoint or a delivery, like an unknown ID.
 */
import type { Prisma, PrismaClient, WebhookEndpoint } from '../../generated/prisma/client.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { hasRole, type Viewer } from '../accounts/viewer.ts';
import {
  generateWebhookSecret,
  isWebhookEventType,
  webhookUrlProblem,
  type WebhookEventType,
} from './webhook-events.ts';

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

export interface WebhookFields {
  url?: string | null | undefined;
  /** null clears it. */
  description?: string | null | undefined;
  eventTypes?: string[] | null | undefined;
  active?: boolean | null | undefined;
}

function invalid(field: string, message: string): InvalidInputError {
  return new InvalidInputError('Some fields are invalid.', [{ path: ['input', field], message }]);
}

/** Checks the fields given; an API client asking for referral events needs a referral scope. */
function checkFields(viewer: Viewer | null, fields: WebhookFields): void {
  if (fields.url != null) {
    const problem = webhookUrlProblem(fields.url);
    if (problem) throw invalid('url', problem);
  }
  if (fields.eventTypes != null) {
    if (fields.eventTypes.length === 0) throw invalid('eventTypes', 'must name at least one event type');
    const unknown = fields.eventTypes.filter((t) => !isWebhookEventType(t));
    if (unknown.length > 0) throw invalid('eventTypes', `unknown event types: ${unknown.join(', ')}`);
    const wantsReferrals = fields.eventTypes.some((t) => t.startsWith('referral.'));
    if (
      wantsReferrals &&
      viewer?.kind === 'apiClient' &&
      !viewer.scopes.has('REFERRALS_READ') &&
      !viewer.scopes.has('REFERRALS_WRITE')
    ) {
      throw new ForbiddenError('receive referral events without the REFERRALS_READ scope');
    }
  }
  if (fields.description != null && fields.description.length > 500) {
    throw invalid('description', 'must be at most 500 characters');
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
  checkFields(viewer, input);
  const secret = generateWebhookSecret();
  const webhook = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`select 1 from "WebhookCursor" where id = 1 for share`;
    const [head] = await tx.$queryRaw<{ value: bigint }[]>`select value from "OutboxSequence" where id = 1`;
    return tx.webhookEndpoint.create({
      data: {
        organisationId: organisation.id,
        url: input.url,
        description: input.description ?? null,
        eventTypes: unique(input.eventTypes),
        active: input.active ?? true,
        secret,
        startSeq: head?.value ?? 0n,
        createdById: viewer.kind === 'user' ? viewer.userId : null,
        createdByApiClientId: viewer.kind === 'apiClient' ? viewer.apiClientId : null,
      },
    });
  });
  return { webhook, secret };
}

/** The endpoint, if the viewer manages its organisation; else "not found". */
async function manageable(
  prisma: PrismaClient | Prisma.TransactionClient,
  viewer: Viewer | null,
  id: string,
) {
  const webhook = await prisma.webhookEndpoint.findFirst({
    where: { id: asUuid(id), ...visibleEndpointsWhere(viewer) },
  });
  if (!webhook) throw new NotFoundError('webhook');
  return webhook;
}

/** Changes an endpoint. New event types and reactivation apply to events fanned out from now on. */
export async function updateWebhook(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  changes: WebhookFields,
): Promise<WebhookEndpoint> {
  const webhook = await manageable(prisma, viewer, id);
  checkFields(viewer, changes);
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
  return {
    webhook: await prisma.webhookEndpoint.update({ where: { id: webhook.id }, data: { secret } }),
    secret,
  };
}

/**
 * Sends a delivery again, whatever its status: a fresh series of attempts starts now (the same
 * event id and body; the receiver de-duplicates). An inactive endpoint's delivery waits for it.
 */
export async function redeliverWebhookDelivery(prisma: PrismaClient, viewer: Viewer | null, id: string) {
  const delivery = await prisma.webhookDelivery.findFirst({
    where: { id: asUuid(id), endpoint: visibleEndpointsWhere(viewer) },
    select: { id: true },
  });
  if (!delivery) throw new NotFoundError('webhook delivery');
  // The database's clock, like every due time the worker compares.
  await prisma.$executeRaw`
    update "WebhookDelivery"
    set status = 'PENDING', attempts = 0, "nextAttemptAt" = now(), "firstAttemptAt" = null, "leasedUntil" = null
    where id = ${delivery.id}::uuid`;
  return prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
}
