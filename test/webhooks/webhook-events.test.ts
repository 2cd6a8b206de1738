/** What a webhook sends and to whom, without a database: event types, visibility, body, signature. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OfferStatus } from '../../src/generated/prisma/enums.ts';
import { offerVisibility } from '../../src/modules/catalogue/catalogue.access.ts';
import {
  heardBy,
  recipients,
  webhookBody,
  webhookEventType,
  webhookSignature,
  WEBHOOK_EVENT_TYPE_NAMES,
  type OutboxRow,
} from '../../src/modules/webhooks/webhook-events.ts';
import { retryDelayMs } from '../../src/modules/webhooks/webhook-worker.ts';

const ALPHA = '00000000-0000-7000-8000-00000000000a';
const BETA = '00000000-0000-7000-8000-00000000000b';
const GAMMA = '00000000-0000-7000-8000-00000000000c';

/** An event of a referral from beta to alpha, sent or still a draft (the trigger routes both to both sides). */
const referralRow = (type: string, sent = true, seq = '10'): OutboxRow => ({
  seq,
  type: 'REFERRAL_EVENT',
  organisationIds: [BETA, ALPHA],
  payload: {
    event: { type },
    referral: {
      id: 'r',
      status: sent ? 'SENT' : 'DRAFT',
      senderOrganisationId: BETA,
      receiverOrganisationId: ALPHA,
      sentAt: sent ? '2026-11-22T09:00:00.000+00:00' : null,
    },
  },
  at: new Date('2026-11-22T10:00:00.000Z'),
});

const OFFER = '00000000-0000-7000-8000-0000000000f1';

/** A change of an offer of alpha, from one status to another; 3 places free of 10. */
const offerRow = (previousStatus: OfferStatus, status: OfferStatus): OutboxRow => ({
  seq: '5',
  type: 'OFFER_CHANGED',
  organisationIds: [ALPHA],
  payload: {
    offer: {
      id: OFFER,
      organisationId: ALPHA,
      status,
      previousStatus,
      capacityPlaces: 10,
      capacityFree: 3,
      previousCapacityFree: 3,
      waitlist: false,
      acceptsReferrals: true,
      themePath: ['housing'],
      communes: ['Luxembourg'],
      version: 2,
    },
  },
  at: new Date('2026-11-22T10:00:00.000Z'),
});

describe('event types', () => {
  it('maps every referral event type, offer changes and guide alerts; access changes and unknown types are never sent', () => {
    const mapped = Object.fromEntries(
      ['CREATED', 'UPDATED', 'STATUS_CHANGED', 'ASSIGNED', 'UNASSIGNED', 'MESSAGE', 'CONSENT_WITHDRAWN'].map(
        (t) => [t, webhookEventType(referralRow(t))],
      ),
    );
    expect(mapped).toEqual({
      CREATED: 'referral.created',
      UPDATED: 'referral.updated',
      STATUS_CHANGED: 'referral.status_changed',
      ASSIGNED: 'referral.assigned',
      UNASSIGNED: 'referral.unassigned',
      MESSAGE: 'referral.message_posted',
      CONSENT_WITHDRAWN: 'referral.consent_withdrawn',
    });
    expect(webhookEventType({ type: 'OFFER_CHANGED', payload: { offer: {} } })).toBe('offer.changed');
    expect(webhookEventType({ type: 'ACCESS_CHANGED', payload: { userId: 'u' } })).toBeNull();
    expect(webhookEventType(referralRow('SOMETHING_NEW'))).toBeNull();
    expect(webhookEventType({ type: 'REFERRAL_EVENT', payload: null })).toBeNull();
    expect(webhookEventType({ type: 'GUIDE_ALERT', payload: { alert: {} } })).toBe('guide.alert');
    expect(new Set([...Object.values(mapped), 'offer.changed', 'guide.alert'])).toEqual(
      new Set(WEBHOOK_EVENT_TYPE_NAMES),
    );
  });
});

describe('recipients', () => {
  const endpoint = (organisationId: string, eventTypes: string[], startSeq = 0n) => ({
    organisationId,
    eventTypes,
    startSeq,
  });

  it('a referral event goes to the two sides only, for the types they asked, after their start', () => {
    const all = [...WEBHOOK_EVENT_TYPE_NAMES];
    const endpoints = [
      endpoint(ALPHA, all),
      endpoint(BETA, ['referral.status_changed']),
      endpoint(BETA, ['offer.changed']),
      endpoint(GAMMA, all),
      endpoint(ALPHA, all, 10n),
    ];
    expect(recipients(referralRow('STATUS_CHANGED'), endpoints).map((r) => r.endpoint)).toEqual([
      endpoints[0],
      endpoints[1],
    ]);
    // A draft's events stay with the sender: the referral rule decides, not the routing.
    expect(recipients(referralRow('CREATED', false), endpoints)).toEqual([]);
    expect(recipients(referralRow('MESSAGE', false), [endpoint(BETA, all)])).toHaveLength(1);
    // A row whose routing cannot be read goes nowhere.
    const unreadable = { ...referralRow('MESSAGE'), payload: { event: { type: 'MESSAGE' } } };
    expect(recipients(unreadable, [endpoint(BETA, all), endpoint(ALPHA, all)])).toEqual([]);
  });

  it('an offer change goes where the catalogue rule lets the organisation see the offer, before or after it', () => {
    const endpoints = [endpoint(ALPHA, ['offer.changed']), endpoint(GAMMA, ['offer.changed'])];
    const heard = (previousStatus: OfferStatus, status: OfferStatus) =>
      recipients(offerRow(previousStatus, status), endpoints).map((r) => r.endpoint.organisationId);
    // Its own organisation's webhook (CATALOGUE_READ, as offer.changed stands for) hears of every one.
    expect(heard('DRAFT', 'DRAFT')).toEqual([ALPHA]);
    expect(heard('PAUSED', 'PAUSED')).toEqual([ALPHA]);
    expect(heard('PAUSED', 'WITHDRAWN')).toEqual([ALPHA]);
    // Anyone else's, of what was or is published.
    expect(heard('PUBLISHED', 'PUBLISHED')).toEqual([ALPHA, GAMMA]);
    expect(heard('DRAFT', 'PUBLISHED')).toEqual([ALPHA, GAMMA]);
    expect(heard('PUBLISHED', 'PAUSED')).toEqual([ALPHA, GAMMA]);
    // A row whose offer cannot be read goes nowhere.
    const unreadable = { ...offerRow('PUBLISHED', 'PUBLISHED'), payload: { offer: { id: 'o' } } };
    expect(recipients(unreadable, endpoints)).toEqual([]);
  });

  it('agrees with the catalogue rule for an API client with CATALOGUE_READ, for every status change', () => {
    const statuses: OfferStatus[] = ['DRAFT', 'PUBLISHED', 'PAUSED', 'WITHDRAWN'];
    for (const organisationId of [ALPHA, GAMMA]) {
      const sees = offerVisibility({
        kind: 'apiClient',
        apiClientId: '00000000-0000-7000-8000-0000000000c1',
        organisationId,
        scopes: new Set(['CATALOGUE_READ']),
      });
      for (const previousStatus of statuses) {
        for (const status of statuses) {
          const before = sees({ organisationId: ALPHA, status: previousStatus });
          const after = sees({ organisationId: ALPHA, status });
          const expected = after ? 'EVENT' : before ? 'OFFER_UNAVAILABLE' : null;
          const got = heardBy(offerRow(previousStatus, status), organisationId);
          expect([organisationId, previousStatus, status, got]).toEqual([
            organisationId,
            previousStatus,
            status,
            expected,
          ]);
        }
      }
    }
  });
});

describe('body and signature', () => {
  it('wraps the payload in an envelope carrying the event id; HMAC-SHA256 over "timestamp.body"', () => {
    const row = referralRow('MESSAGE', true, '42');
    const body = webhookBody(row, 'referral.message_posted', ALPHA, null);
    expect(JSON.parse(body)).toMatchObject({
      id: '42',
      type: 'referral.message_posted',
      createdAt: '2026-11-22T10:00:00.000Z',
    });
    const expected = createHmac('sha256', 'whsec_test').update(`1700000000.${body}`).digest('hex');
    expect(webhookSignature('whsec_test', 1700000000, body)).toBe(`v1=${expected}`);
  });

  it('names objects as GraphQL does: global IDs, the raw id beside each object’s own', () => {
    const EVENT = '00000000-0000-7000-8000-0000000000e1';
    const REFERRAL = '00000000-0000-7000-8000-0000000000a1';
    const USER = '00000000-0000-7000-8000-0000000000b1';
    const row: OutboxRow = {
      ...referralRow('ASSIGNED'),
      payload: {
        event: { id: EVENT, type: 'ASSIGNED', fromStatus: null, toStatus: null, actorOrganisationId: ALPHA },
        referral: {
          id: REFERRAL,
          reference: 'REF-2026-000001',
          status: 'RECEIVED',
          senderOrganisationId: BETA,
          receiverOrganisationId: ALPHA,
          offerId: OFFER,
          assigneeUserId: USER,
          dueAt: null,
          sentAt: '2026-11-22T09:00:00.000+00:00',
        },
      },
    };
    const global = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
    const carol = {
      kind: 'PERSON',
      name: 'Carol',
      organisation: { id: ALPHA, name: 'Organisation alpha' },
    } as const;
    expect(JSON.parse(webhookBody(row, 'referral.assigned', ALPHA, carol))).toMatchObject({
      data: {
        event: {
          id: global('ReferralEvent', EVENT),
          rawId: EVENT,
          type: 'ASSIGNED',
          actorOrganisationId: global('Organisation', ALPHA),
          actor: {
            name: 'Carol',
            kind: 'PERSON',
            organisation: { id: global('Organisation', ALPHA), name: 'Organisation alpha' },
          },
        },
        referral: {
          id: global('Referral', REFERRAL),
          rawId: REFERRAL,
          reference: 'REF-2026-000001',
          senderOrganisationId: global('Organisation', BETA),
          receiverOrganisationId: global('Organisation', ALPHA),
          offerId: global('Offer', OFFER),
          assigneeUserId: global('User', USER),
          dueAt: null,
          sentAt: '2026-11-22T09:00:00.000+00:00',
        },
      },
    });
  });

  it('names who made a referral event, null when nobody did; an offer change has no actor', () => {
    const event = (body: string) =>
      (JSON.parse(body) as { data: { event: Record<string, unknown> } }).data.event;
    const crm = { kind: 'API_CLIENT', name: 'Alpha CRM', organisation: null } as const;
    expect(event(webhookBody(referralRow('MESSAGE'), 'referral.message_posted', BETA, crm)).actor).toEqual({
      name: 'Alpha CRM',
      kind: 'API_CLIENT',
      organisation: null,
    });
    const bySystem = event(webhookBody(referralRow('STATUS_CHANGED'), 'referral.status_changed', BETA, null));
    expect(bySystem).toHaveProperty('actor', null);
    const offer = webhookBody(offerRow('PUBLISHED', 'PUBLISHED'), 'offer.changed', ALPHA, crm);
    expect(offer).not.toContain('actor');
  });

  it('tells of an offer an organisation could see but no longer may only its id and "not available"', () => {
    const global = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
    const paused = offerRow('PUBLISHED', 'PAUSED');
    const data = (organisationId: string) =>
      (JSON.parse(webhookBody(paused, 'offer.changed', organisationId, null)) as { data: unknown }).data;
    const { offer } = paused.payload as { offer: Record<string, unknown> };
    expect(data(ALPHA)).toEqual({
      offer: {
        ...offer,
        id: global('Offer', OFFER),
        rawId: OFFER,
        organisationId: global('Organisation', ALPHA),
      },
    });
    expect(data(GAMMA)).toEqual({ offer: { id: global('Offer', OFFER), rawId: OFFER, available: false } });
    const published = offerRow('PAUSED', 'PUBLISHED');
    expect(JSON.parse(webhookBody(published, 'offer.changed', GAMMA, null))).toMatchObject({
      data: { offer: { status: 'PUBLISHED', capacityFree: 3, rawId: OFFER } },
    });
  });
});

describe('retry delays', () => {
  it('double from the base, with ±10 % jitter, and never exceed an hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(30_000, n, 0.5))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30_000, 1, 0)).toBe(27_000);
    expect(retryDelayMs(30_000, 1, 1)).toBe(33_000);
    expect(retryDelayMs(30_000, 9, 1)).toBe(3_600_000);
    expect(retryDelayMs(30_000, 500, 0.5)).toBe(3_600_000);
  });

  it('keep retrying for at least 24 hours with the defaults (30 s base, capped at 1 h)', () => {
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 24 * 3_600_000) elapsed += retryDelayMs(30_000, ++attempts, 0);
    // About 7 doublings to reach the hour, then hourly: a few dozen attempts, not thousands.
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
  });
});
