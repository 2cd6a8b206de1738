/**
 * Subscriptions over graphql-ws, fed by the outbox (see outbox-tail.ts and outbox-stream.ts).
 * Every notice carries its `cursor`; subscribing again with `after: <last cursor>` replays what was
 * missed, then goes live: in order, no gap, no duplicate. A notice carries what changed (never
 * person data); `referral` / `offer` load the object itself, with the usual visibility rules.
 * Offer notices: offer-notices.schema.ts.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { type ReferralStatus, type ReferralUrgency } from '../../generated/prisma/enums.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import {
  referralEventAudience,
  referralOrganisationIds,
  visibleReferralsWhere,
} from '../referrals/referral.access.ts';
import { ActorRef, actorOfEventId } from '../referrals/referral-actor.schema.ts';
import { ReferralNode, ReferralStatusEnum, ReferralUrgencyEnum } from '../referrals/referral.schema.ts';
import { outboxStream, parseCursor, type StreamItem } from './outbox-stream.ts';
import type { OutboxRow } from './outbox-tail.ts';

interface ReferralPayload {
  event: {
    id: string;
    type: string;
    fromStatus: ReferralStatus | null;
    toStatus: ReferralStatus | null;
    at: string;
    actorOrganisationId: string | null;
  };
  referral: {
    id: string;
    reference: string;
    status: ReferralStatus;
    version: number;
    urgency: ReferralUrgency;
    senderOrganisationId: string;
    receiverOrganisationId: string;
    offerId: string;
    assigneeUserId: string | null;
    dueAt: string | null;
    /** Routing: with the two sides, what `referralEventAudience` decides who hears from. */
    sentAt: string | null;
  };
}

const referralOf = (row: OutboxRow) => row.payload as unknown as ReferralPayload;

export const ReferralEventNotice = builder.objectRef<OutboxRow>('ReferralEventNotice').implement({
  description: 'Something happened to a referral you may see: a status change, an assignment, a message…',
  authScopes: { authenticated: true },
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass it as `after` when subscribing again to receive what follows.',
      resolve: (row) => row.seq.toString(),
    }),
    type: t.string({
      description: 'CREATED, UPDATED, STATUS_CHANGED, ASSIGNED, UNASSIGNED, MESSAGE or CONSENT_WITHDRAWN.',
      resolve: (row) => referralOf(row).event.type,
    }),
    eventId: t.id({
      description: 'The event’s global ID, as in `Referral.events` and webhooks.',
      resolve: (row) => encodeGlobalID('ReferralEvent', referralOf(row).event.id),
    }),
    actor: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who acted (a person or an API client), for which organisation.',
      resolve: (row, _args, ctx) => actorOfEventId(ctx, referralOf(row).event.id),
    }),
    at: t.field({ type: 'DateTime', resolve: (row) => referralOf(row).event.at }),
    fromStatus: t.field({
      type: ReferralStatusEnum,
      nullable: true,
      resolve: (row) => referralOf(row).event.fromStatus,
    }),
    toStatus: t.field({
      type: ReferralStatusEnum,
      nullable: true,
      resolve: (row) => referralOf(row).event.toStatus,
    }),
    referralId: t.id({ resolve: (row) => encodeGlobalID('Referral', referralOf(row).referral.id) }),
    reference: t.string({ resolve: (row) => referralOf(row).referral.reference }),
    status: t.field({
      type: ReferralStatusEnum,
      description: 'The referral’s status after this event.',
      resolve: (row) => referralOf(row).referral.status,
    }),
    version: t.int({
      description: 'The referral’s version after this event.',
      resolve: (row) => referralOf(row).referral.version,
    }),
    urgency: t.field({ type: ReferralUrgencyEnum, resolve: (row) => referralOf(row).referral.urgency }),
    senderOrganisationId: t.id({
      resolve: (row) => encodeGlobalID('Organisation', referralOf(row).referral.senderOrganisationId),
    }),
    receiverOrganisationId: t.id({
      resolve: (row) => encodeGlobalID('Organisation', referralOf(row).referral.receiverOrganisationId),
    }),
    referral: t.prismaField({
      type: 'Referral',
      nullable: true,
      description: 'The referral as it is now (one query; null if you may no longer see it).',
      resolve: (query, row, _args, ctx) =>
        ctx.prisma.referral.findFirst({
          ...query,
          where: { id: referralOf(row).referral.id, AND: [visibleReferralsWhere(ctx.viewer)] },
        }),
    }),
  }),
});

/** This process's outbox tail, or a clear error where the hub runs none. */
export function realtimeOf(ctx: Context) {
  if (!ctx.realtime)
    throw new GraphQLError('Subscriptions are not available here.', { extensions: { code: 'UNAVAILABLE' } });
  return ctx.realtime;
}

/** Resolves a stream item: a row as is, or the error that ends the stream. */
function itemOf(item: StreamItem): OutboxRow {
  if ('end' in item) throw item.end;
  return item;
}

/** A referral row the viewer may hear of, by the referral rule (a draft's events stay with its sender). */
function referralAccepts(ctx: Context): (row: OutboxRow) => boolean {
  const orgs = new Set(referralOrganisationIds(ctx.viewer));
  return (row) =>
    row.type === 'REFERRAL_EVENT' && referralEventAudience(row.payload).some((o) => orgs.has(o));
}

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  referralEvents: t.field({
    type: ReferralEventNotice,
    description: 'Every event of every referral you may see, in order. With `after`, what you missed first.',
    authScopes: { authenticated: true },
    args: { after: t.arg.string({ description: 'The `cursor` of the last notice you received.' }) },
    subscribe: (_root, args, ctx) =>
      outboxStream(realtimeOf(ctx), ctx.viewer, {
        after: parseCursor(args.after),
        accepts: referralAccepts(ctx),
        organisationIds: referralOrganisationIds(ctx.viewer),
      }),
    resolve: itemOf,
  }),
  referralUpdated: t.field({
    type: ReferralEventNotice,
    description: 'The events of one referral, in order.',
    authScopes: { authenticated: true },
    args: {
      id: t.arg.globalID({ required: true, for: [ReferralNode] }),
      after: t.arg.string(),
    },
    subscribe: async (_root, args, ctx) => {
      const id = asUuid(args.id.id);
      const visible = await ctx.prisma.referral.count({
        where: { id, AND: [visibleReferralsWhere(ctx.viewer)] },
      });
      // The code every domain answers for an unknown or hidden object.
      if (!visible) throw new NotFoundError('referral');
      const accepts = referralAccepts(ctx);
      return outboxStream(realtimeOf(ctx), ctx.viewer, {
        after: parseCursor(args.after),
        accepts: (row) => row.referralId === id && accepts(row),
        organisationIds: referralOrganisationIds(ctx.viewer),
      });
    },
    resolve: itemOf,
  }),
  incomingReferrals: t.field({
    type: ReferralEventNotice,
    description: 'Referrals sent to your organisations, as they arrive.',
    authScopes: { authenticated: true },
    args: { after: t.arg.string() },
    subscribe: (_root, args, ctx) => {
      const orgs = new Set(referralOrganisationIds(ctx.viewer));
      const accepts = referralAccepts(ctx);
      return outboxStream(realtimeOf(ctx), ctx.viewer, {
        after: parseCursor(args.after),
        accepts: (row) =>
          accepts(row) &&
          referralOf(row).event.toStatus === 'SENT' &&
          orgs.has(referralOf(row).referral.receiverOrganisationId),
        organisationIds: [...orgs],
      });
    },
    resolve: itemOf,
  }),
}));
