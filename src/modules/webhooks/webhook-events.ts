/**
 * What webhooks send: the event types offered, how an outbox row maps to one, who may receive it,
 * the body, and its signature. Pure functions (no database), shared by the worker and the schema.
 *
 * A delivery is an HTTP POST with a JSON body
 *
 *     { "id": "<outbox seq>", "type": "referral.status_changed", "createdAt": "<ISO 8601>", "data": {…} }
 *
 * where `data` is the outbox payload (never person data: see the `outbox` migration) with its ids
 * named as GraphQL names them: each object's `id` is its global ID (`Referral:<uuid>` in base64,
 * what `node(id:)` and `referral(id:)` take), its raw UUID beside it as `rawId`, and every other
 * id is a global ID (`senderOrganisationId`, `offerId`, `assigneeUserId`, …) —
 *
 *     { "event": { "id": "<ReferralEvent global ID>", "rawId": "<uuid>", "type": "STATUS_CHANGED", …,
 *                  "actorOrganisationId": "<Organisation global ID>",
 *                  "actor": { "name": "Alpha CRM", "kind": "API_CLIENT",
 *                             "organisation": { "id": "<Organisation global ID>", "name": "…" } } },
 *       "referral": { "id": "<Referral global ID>", "rawId": "<uuid>", "reference": "REF-…", …,
 *                     "senderOrganisationId": "<Organisation global ID>", "offerId": "<Offer global ID>" } }
 *
 * A `guide.alert` carries ids and a code only:
 *
 *     { "alert": { "id": "<GuideAlert global ID>", "rawId": "<uuid>", "kind": "OFFER_PAUSED",
 *                  "guideId": "<Guide global ID>", "guideItemId": "<GuideItem global ID>",
 *                  "offerId": "<Offer global ID>", "at": "<ISO 8601>" } }
 *
 * to the guide's organisation and the shelter's operator and partners (welcome.access.ts).
 *
 * — except for an offer the endpoint's organisation could see before the change but not after it
 * (paused, withdrawn): then `data` is only `{ "offer": { "id": "<global ID>", "rawId": "<uuid>",
 * "available": false } }`, as an `offerCapacityChanged` subscriber gets an
 * `OfferUnavailableNotice` — and the headers
 *
 *     Maillage-Event-Id: <outbox seq>          the same for every attempt: de-duplicate by it
 *     Maillage-Event-Type: referral.status_changed
 *     Maillage-Timestamp: <unix seconds of this attempt>
 *     Maillage-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *     Maillage-Delivery-Attempt: <1, 2, …>
 *
 * Event ids are increasing in the order the changes were committed, so a receiver can also order
 * by them; deliveries themselves may arrive out of order (retries, concurrency).
 *
 * `event.actor` is who acted, as GraphQL's `ReferralEvent.actor` tells both sides (the rule is
 * referral-actor.ts): a person's name (`"kind": "PERSON"`) or an API client's (`"API_CLIENT"`)
 * and the organisation acted for (null if deleted since); never an account, an e-mail or roles.
 * It is null for an event the hub made itself. The worker reads the names when it sends, one
 * statement per batch of deliveries: a name changed between two attempts shows in the later one.
 *
 * Verifying a delivery on the receiving side (Node.js; the raw body, before any JSON parsing):
 *
 *     import { createHmac, timingSafeEqual } from 'node:crypto';
 *
 *     function verifyMaillageWebhook(secret: string, headers: Record<string, string>, rawBody: string) {
 *       const timestamp = headers['maillage-timestamp'] ?? '';
 *       const given = (headers['maillage-signature'] ?? '').replace(/^v1=/, '');
 *       const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
 *       const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300; // refuse replays
 *       return fresh && given.length === expected.length &&
 *         timingSafeEqual(Buffer.from(given), Buffer.from(expected));
 *     }
 *
 * then answer 2xx quickly (within WEBHOOK_TIMEOUT_MS, 10 s by default) and skip an event id already
 * processed. Anything but 2xx (redirects included), a timeout or a connection error is retried.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ApiScope } from '../../generated/prisma/enums.ts';
import type { ApiClientViewer } from '../accounts/viewer.ts';
import { offerChangeView, type OfferChange } from '../catalogue/catalogue.access.ts';
import type { PublicActor } from '../referrals/referral-actor.ts';
import { referralEventAudience } from '../referrals/referral.access.ts';
import { guideAlertAudience } from '../welcome/welcome.access.ts';

/** Every event type an endpoint may ask for, with what it means. */
export const WEBHOOK_EVENT_TYPES = {
  'referral.created': 'A referral was drafted.',
  'referral.updated': 'A draft referral was edited.',
  'referral.status_changed':
    'A referral took a step: sent, received, accepted, declined, started, held, resumed, completed, cancelled.',
  'referral.assigned': 'The receiving side put one of its case workers in charge of a referral.',
  'referral.unassigned': 'The receiving side left a referral without anyone in charge.',
  'referral.message_posted': 'One side posted a message on a referral (the text is not sent).',
  'referral.consent_withdrawn': 'The person withdrew their consent (an open referral is cancelled).',
  'offer.changed': "An offer's status, places, waiting list or openness to referrals changed.",
  'guide.alert':
    'An offer in one of your guides (or a guide of a shelter you operate or work at) was paused, withdrawn, became full, or changed its schedule or sites.',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;

export const WEBHOOK_EVENT_TYPE_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventType[];

export function isWebhookEventType(name: string): name is WebhookEventType {
  return Object.hasOwn(WEBHOOK_EVENT_TYPES, name);
}

/**
 * The scope an API client needs to see, of each event type, more than the public does. A webhook
 * stands for an API client of its organisation holding the scope of the event type it delivers:
 * the access rules decide what it hears as they decide for that client (`webhookReader`).
 */
export const WEBHOOK_EVENT_SCOPES = {
  'referral.created': 'REFERRALS_READ',
  'referral.updated': 'REFERRALS_READ',
  'referral.status_changed': 'REFERRALS_READ',
  'referral.assigned': 'REFERRALS_READ',
  'referral.unassigned': 'REFERRALS_READ',
  'referral.message_posted': 'REFERRALS_READ',
  'referral.consent_withdrawn': 'REFERRALS_READ',
  'offer.changed': 'CATALOGUE_READ',
  'guide.alert': 'GUIDES_READ',
} as const satisfies Record<WebhookEventType, ApiScope>;

/**
 * A webhook of `organisationId` delivering `eventType`, as the access rules see it: an API client
 * of its organisation holding that event type's scope. It acts for no client: its id is no UUID.
 */
export function webhookReader(organisationId: string, eventType: WebhookEventType): ApiClientViewer {
  return {
    kind: 'apiClient',
    apiClientId: `webhook:${organisationId}`,
    organisationId,
    scopes: new Set<ApiScope>([WEBHOOK_EVENT_SCOPES[eventType]]),
  };
}

/** ReferralEvent.type (in the outbox payload) → webhook event type. */
const REFERRAL_EVENT_TYPES: Record<string, WebhookEventType> = {
  CREATED: 'referral.created',
  UPDATED: 'referral.updated',
  STATUS_CHANGED: 'referral.status_changed',
  ASSIGNED: 'referral.assigned',
  UNASSIGNED: 'referral.unassigned',
  MESSAGE: 'referral.message_posted',
  CONSENT_WITHDRAWN: 'referral.consent_withdrawn',
};

/** The outbox columns the webhooks read. */
export interface OutboxRow {
  seq: string;
  type: string;
  organisationIds: string[];
  payload: unknown;
  at: Date;
}

/**
 * The webhook event type of an outbox row, or null for rows never delivered: ACCESS_CHANGED
 * (internal), and anything unknown (a newer trigger than this code).
 */
export function webhookEventType(row: Pick<OutboxRow, 'type' | 'payload'>): WebhookEventType | null {
  if (row.type === 'OFFER_CHANGED') return 'offer.changed';
  if (row.type === 'GUIDE_ALERT') return 'guide.alert';
  if (row.type !== 'REFERRAL_EVENT') return null;
  const event = (row.payload as { event?: { type?: unknown } } | null)?.event;
  return typeof event?.type === 'string' ? (REFERRAL_EVENT_TYPES[event.type] ?? null) : null;
}

/** The offer and its change, from an OFFER_CHANGED payload (migration `outbox`); null if unreadable. */
function offerChangeOf(payload: unknown): (OfferChange & { id: string }) | null {
  const offer = (payload as { offer?: Record<string, unknown> } | null)?.offer;
  const fields = ['id', 'organisationId', 'status', 'previousStatus'] as const;
  if (!offer || fields.some((f) => typeof offer[f] !== 'string')) return null;
  return offer as unknown as OfferChange & { id: string };
}

/**
 * What the webhooks of organisation `organisationId` hear of this row: the event (`'EVENT'`), only
 * that its offer is no longer available to them (`'OFFER_UNAVAILABLE'`), or nothing (null). The
 * domain's rule decides: a referral event, `referralEventAudience` (a draft's events stay with its
 * sender); an offer change, `offerChangeView` for the webhook's reader (`webhookReader`), judged on
 * the state the row carries, as a live `offerCapacityChanged` notice is.
 */
export function heardBy(
  row: Pick<OutboxRow, 'type' | 'payload'> & { organisationIds?: string[] },
  organisationId: string,
): 'EVENT' | 'OFFER_UNAVAILABLE' | null {
  if (row.type === 'GUIDE_ALERT') {
    const routing = { organisationIds: row.organisationIds ?? [] };
    return guideAlertAudience(webhookReader(organisationId, 'guide.alert'), routing) ? 'EVENT' : null;
  }
  if (row.type === 'REFERRAL_EVENT') {
    return referralEventAudience(row.payload).includes(organisationId) ? 'EVENT' : null;
  }
  if (row.type !== 'OFFER_CHANGED') return null;
  const change = offerChangeOf(row.payload);
  if (!change) return null;
  const view = offerChangeView(webhookReader(organisationId, 'offer.changed'))(change);
  return view === 'CHANGED' ? 'EVENT' : view === 'UNAVAILABLE' ? 'OFFER_UNAVAILABLE' : null;
}

/** The endpoints (of those given) that get a delivery of `row`. */
export function recipients<E extends { organisationId: string; eventTypes: string[]; startSeq: bigint }>(
  row: OutboxRow,
  endpoints: E[],
): { endpoint: E; eventType: WebhookEventType }[] {
  const eventType = webhookEventType(row);
  if (!eventType) return [];
  const seq = BigInt(row.seq);
  return endpoints
    .filter((e) => seq > e.startSeq && e.eventTypes.includes(eventType) && heardBy(row, e.organisationId))
    .map((endpoint) => ({ endpoint, eventType }));
}

/**
 * The body of a delivery of an event to an endpoint of `organisationId`: the same bytes at each
 * attempt (unless an actor's name changed meanwhile). What it tells is what `heardBy` lets that
 * organisation hear (the fan-out made the delivery for the same reason): the payload, with who
 * made a referral event (`actor`: null for the hub's own), or only that an offer is no longer
 * available.
 */
export function webhookBody(
  row: Pick<OutboxRow, 'seq' | 'payload' | 'at'>,
  eventType: string,
  organisationId: string,
  actor: PublicActor | null,
): string {
  let data: unknown = row.payload;
  if (eventType === 'offer.changed') {
    const heard = heardBy({ type: 'OFFER_CHANGED', payload: row.payload }, organisationId);
    // (Never a delivery the fan-out did not make: no id of an offer the endpoint could never see.)
    const id = heard === 'OFFER_UNAVAILABLE' ? (offerChangeOf(row.payload)?.id ?? null) : null;
    if (heard !== 'EVENT') data = { offer: { id, available: false } };
  }
  data = globalIds(data);
  const event = (data as { event?: unknown } | null)?.event;
  if (eventType.startsWith('referral.') && event && typeof event === 'object') {
    data = { ...(data as object), event: { ...event, actor: actor && webhookActor(actor) } };
  }
  return JSON.stringify({ id: row.seq, type: eventType, createdAt: row.at.toISOString(), data });
}

/** An actor as the body names it: the organisation by its global ID, as GraphQL does. */
function webhookActor(a: PublicActor) {
  const organisation = a.organisation && {
    id: encodeGlobalID('Organisation', a.organisation.id),
    name: a.organisation.name,
  };
  return { name: a.name, kind: a.kind, organisation };
}

/** The GraphQL type of each object of a payload, by its key (`referral`: Referral). */
const OBJECT_TYPES: Record<string, string> = {
  event: 'ReferralEvent',
  referral: 'Referral',
  offer: 'Offer',
  alert: 'GuideAlert',
};

/** The GraphQL type each id field of a payload names. */
const ID_TYPES: Record<string, string> = {
  senderOrganisationId: 'Organisation',
  receiverOrganisationId: 'Organisation',
  actorOrganisationId: 'Organisation',
  organisationId: 'Organisation',
  offerId: 'Offer',
  assigneeUserId: 'User',
  guideId: 'Guide',
  guideItemId: 'GuideItem',
};

/**
 * A payload with its ids named as GraphQL names them: in each object (`event`, `referral`,
 * `offer`), `id` becomes the global ID with the raw UUID as `rawId`, and the id fields of
 * `ID_TYPES` global IDs. Anything else is kept as is.
 */
export function globalIds(data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>).map(([key, value]) => {
      const type = OBJECT_TYPES[key];
      if (!type || !value || typeof value !== 'object' || Array.isArray(value)) return [key, value];
      const fields: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        if (name === 'id' && typeof v === 'string') {
          fields.id = encodeGlobalID(type, v);
          fields.rawId = v;
        } else {
          const idType = ID_TYPES[name];
          fields[name] = idType && typeof v === 'string' ? encodeGlobalID(idType, v) : v;
        }
      }
      return [key, fields];
    }),
  );
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A new signing secret: `whsec_` and 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
