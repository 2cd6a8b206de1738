/**
 * Webhook endpoints and their delivery log, managed by an organisation's admins and by its API
 * client with WEBHOOKS_MANAGE. Anyone else gets "not found" (or an unauthorised field error on
 * `Organisation.webhooks`). What is sent and how to verify it: webhook-events.ts.
 */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { WebhookDelivery, WebhookEndpoint } from '../../generated/prisma/client.ts';
import { WebhookDeliveryStatus } from '../../generated/prisma/enums.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { WEBHOOK_EVENT_TYPE_NAMES, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-events.ts';
import { DELIVERY_ERRORS, legacyErrorClass, type DeliveryError } from './webhook-worker.ts';
import {
  createWebhook,
  deleteWebhook,
  DESCRIPTION_MAX_LENGTH,
  managesWebhooks,
  mayHandleEventTypes,
  redeliverWebhookDelivery,
  rotateWebhookSecret,
  updateWebhook,
  visibleDeliveriesWhere,
  visibleEndpointsWhere,
} from './webhook.service.ts';

/** `referral.status_changed` is REFERRAL_STATUS_CHANGED in GraphQL. */
const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  description:
    'An event an endpoint may receive. The body\'s `type` is the dotted name given in each value\'s description (e.g. REFERRAL_STATUS_CHANGED is sent as "referral.status_changed").',
  values: Object.fromEntries(
    WEBHOOK_EVENT_TYPE_NAMES.map((name) => [
      name.toUpperCase().replace('.', '_'),
      { value: name, description: `\`${name}\`: ${WEBHOOK_EVENT_TYPES[name]}` },
    ]),
  ),
});

const WebhookDeliveryStatusEnum = builder.enumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: waiting for an attempt; DELIVERED: the receiver answered 2xx; FAILED: retries gave up.',
});

const WebhookDeliveryErrorEnum = builder.enumType('WebhookDeliveryError', {
  description: 'Why a delivery attempt failed.',
  values: Object.fromEntries(
    Object.entries(DELIVERY_ERRORS).map(([name, description]) => [name, { value: name, description }]),
  ) as { [K in DeliveryError]: { value: K; description: string } },
});

const eventTypesInput = z.array(z.string()).min(1, 'must name at least one event type');
/** Checked further by the service (webhook-url.ts: scheme, port, address). */
const urlInput = z.string().trim().max(2000);
const descriptionInput = z.string().trim().max(DESCRIPTION_MAX_LENGTH);

export const WebhookEndpointNode = builder.prismaNode('WebhookEndpoint', {
  description:
    'A partner system\'s endpoint. For each event of `eventTypes` its organisation may see, the hub POSTs the JSON `{ id, type, createdAt, data }` with the headers `Maillage-Event-Id` (the same at every attempt: de-duplicate by it), `Maillage-Event-Type`, `Maillage-Timestamp` and `Maillage-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. A 2xx answer within the time limit is a delivery; anything else is retried with exponential back-off for up to 72 hours (WEBHOOK_MAX_AGE_HOURS) after the first attempt. Event ids increase in commit order; deliveries may arrive out of order.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleEndpointsWhere(ctx.viewer)] }),
  // Loading applies the rule (the organisation's admins, its API client with WEBHOOKS_MANAGE).
  authScopes: { authenticated: true },
  fields: (t) => ({
    organisation: t.relation('organisation'),
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    eventTypes: t.field({
      type: [WebhookEventTypeEnum],
      resolve: (w) => w.eventTypes as WebhookEventType[],
    }),
    active: t.exposeBoolean('active', { description: 'Inactive: no new deliveries; pending ones wait.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      description:
        'The delivery log, newest event first. A delivered or failed delivery is kept as long as its event (OUTBOX_RETENTION_DAYS, 30 days by default; a failed one also as long after its last attempt). An API client reads the log of referral events only with REFERRALS_READ (or REFERRALS_WRITE), as for creating the endpoint.',
      authScopes: (endpoint, _args, ctx) => mayHandleEventTypes(ctx.viewer, endpoint.eventTypes),
      args: { status: t.arg({ type: WebhookDeliveryStatusEnum, required: false }) },
      totalCount: true,
      query: (args) => ({
        where: args.status ? { status: args.status } : {},
        orderBy: [{ seq: 'desc' }, { id: 'desc' }],
      }),
    }),
  }),
});

const WebhookDeliveryNode = builder.prismaNode('WebhookDelivery', {
  description: 'One event sent to one endpoint: where it stands, attempts, the last answer or error.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), ...visibleDeliveriesWhere(ctx.viewer) }),
  authScopes: { authenticated: true },
  fields: (t) => ({
    endpoint: t.relation('endpoint'),
    eventId: t.string({
      description: 'The event id (header `Maillage-Event-Id`, body `id`): the same at every attempt.',
      resolve: (d) => d.seq.toString(),
    }),
    eventType: t.field({ type: WebhookEventTypeEnum, resolve: (d) => d.eventType as WebhookEventType }),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    attempts: t.exposeInt('attempts', { description: 'Attempts since creation or the last redelivery.' }),
    nextAttemptAt: t.expose('nextAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due (PENDING only).',
    }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    lastStatusCode: t.exposeInt('lastStatusCode', {
      nullable: true,
      description: "The receiver's HTTP status at the last attempt (null: no answer).",
    }),
    lastError: t.field({
      type: WebhookDeliveryErrorEnum,
      nullable: true,
      description:
        "Why the last attempt failed, as a class (the status code is in `lastStatusCode`). The receiver's answer is never kept.",
      resolve: (d) => (d.lastError === null ? null : legacyErrorClass(d.lastError)),
    }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields('Organisation', (t) => ({
  webhooks: t.relatedConnection('webhookEndpoints', {
    cursor: 'id',
    description: "The organisation's webhook endpoints (its admins and its API client with WEBHOOKS_MANAGE).",
    authScopes: (org, _args, ctx) => managesWebhooks(ctx.viewer, org.id),
    query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  }),
}));

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    organisationId: t.globalID({ required: true, for: [Organisation] }),
    url: t.string({
      required: true,
      description:
        'https://… to a public host: loopback, private, link-local, multicast and other internal addresses are refused (here and at each delivery), and ports of other protocols. Plain http:// only outside production, to localhost when the hub allows loopback (WEBHOOK_ALLOW_LOOPBACK).',
      validate: urlInput,
    }),
    eventTypes: t.field({ type: [WebhookEventTypeEnum], required: true, validate: eventTypesInput }),
    description: t.string({ validate: descriptionInput }),
    active: t.boolean({ description: 'Default true.' }),
  }),
});

const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  description: 'Fields left out stay as they are; `description: null` clears it.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: [WebhookEndpointNode] }),
    url: t.string({ validate: urlInput }),
    eventTypes: t.field({ type: [WebhookEventTypeEnum], validate: eventTypesInput }),
    description: t.string({ validate: descriptionInput }),
    active: t.boolean(),
  }),
});

const WebhookIdInput = builder.inputType('WebhookIdInput', {
  fields: (t) => ({ id: t.globalID({ required: true, for: [WebhookEndpointNode] }) }),
});

const RedeliverWebhookDeliveryInput = builder.inputType('RedeliverWebhookDeliveryInput', {
  fields: (t) => ({ id: t.globalID({ required: true, for: [WebhookDeliveryNode] }) }),
});

const WebhookSecretPayload = builder
  .objectRef<{ webhook: WebhookEndpoint; secret: string }>('WebhookSecretPayload')
  .implement({
    description: 'An endpoint with its signing secret, shown only now.',
    authScopes: { authenticated: true },
    fields: (t) => ({
      webhook: t.field({ type: WebhookEndpointNode, resolve: (p) => p.webhook }),
      secret: t.exposeString('secret', {
        description: 'The HMAC-SHA256 signing secret. Shown only now: store it safely.',
      }),
    }),
  });

const WebhookPayload = builder.objectRef<{ webhook: WebhookEndpoint }>('WebhookPayload').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({ webhook: t.field({ type: WebhookEndpointNode, resolve: (p) => p.webhook }) }),
});

const DeleteWebhookPayload = builder.objectRef<{ id: string }>('DeleteWebhookPayload').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({
    deletedWebhookId: t.globalID({ resolve: (p) => ({ type: 'WebhookEndpoint', id: p.id }) }),
  }),
});

const WebhookDeliveryPayload = builder
  .objectRef<{ delivery: WebhookDelivery }>('WebhookDeliveryPayload')
  .implement({
    authScopes: { authenticated: true },
    fields: (t) => ({ delivery: t.field({ type: WebhookDeliveryNode, resolve: (p) => p.delivery }) }),
  });

const manageErrors = [InvalidInputError, NotFoundError, ForbiddenError] as const;

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: WebhookSecretPayload,
    description:
      'Registers an endpoint for an organisation you administer (or, as its API client, with WEBHOOKS_MANAGE). It receives events from now on; the secret is shown only in this answer.',
    authScopes: { authenticated: true },
    errors: { types: [...manageErrors] },
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createWebhook(ctx.prisma, ctx.viewer, {
        organisationId: input.organisationId.id,
        url: input.url.trim(),
        eventTypes: input.eventTypes,
        description: input.description?.trim() || null,
        active: input.active ?? true,
      }),
  }),
  updateWebhook: t.field({
    type: WebhookPayload,
    description: 'Changes an endpoint: URL, event types, description, active. Applies to events from now on.',
    authScopes: { authenticated: true },
    errors: { types: [...manageErrors] },
    args: { input: t.arg({ type: UpdateWebhookInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      webhook: await updateWebhook(ctx.prisma, ctx.viewer, input.id.id, {
        url: input.url?.trim(),
        eventTypes: input.eventTypes,
        description: input.description === undefined ? undefined : input.description?.trim() || null,
        active: input.active,
      }),
    }),
  }),
  deleteWebhook: t.field({
    type: DeleteWebhookPayload,
    description: 'Deletes an endpoint with its delivery log; pending deliveries are dropped.',
    authScopes: { authenticated: true },
    errors: { types: [...manageErrors] },
    args: { input: t.arg({ type: WebhookIdInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      id: await deleteWebhook(ctx.prisma, ctx.viewer, input.id.id),
    }),
  }),
  rotateWebhookSecret: t.field({
    type: WebhookSecretPayload,
    description:
      'Replaces the signing secret (shown only in this answer); later deliveries are signed with it.',
    authScopes: { authenticated: true },
    errors: { types: [...manageErrors] },
    args: { input: t.arg({ type: WebhookIdInput, required: true }) },
    resolve: (_root, { input }, ctx) => rotateWebhookSecret(ctx.prisma, ctx.viewer, input.id.id),
  }),
  redeliverWebhookDelivery: t.field({
    type: WebhookDeliveryPayload,
    description:
      'Sends a delivery again, whatever its status: a new series of attempts starts now, with the same event id. An event older than the outbox keeps (OUTBOX_RETENTION_DAYS) fails at once.',
    authScopes: { authenticated: true },
    errors: { types: [...manageErrors] },
    args: { input: t.arg({ type: RedeliverWebhookDeliveryInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      delivery: await redeliverWebhookDelivery(ctx.prisma, ctx.viewer, input.id.id),
    }),
  }),
}));
