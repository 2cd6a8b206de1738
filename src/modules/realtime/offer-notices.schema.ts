/**
 * `offerCapacityChanged`: notices of offers' places, status and openness to referrals, fed by the
 * outbox like every subscription (resumable with `after`).
 *
 * A notice carries only what `node` would show the subscriber now, by the catalogue's one rule
 * (`offerChangeView`, catalogue.access.ts, which webhooks call too):
 * - a change the subscriber could see when it happened (the offer was visible to them before or
 *   after it) and of an offer they may still see is an `OfferChangeNotice`;
 * - one of an offer they may no longer see (paused, withdrawn, deleted, or their access went) is
 *   an `OfferUnavailableNotice`: the offer's id and "no longer available", nothing else — a
 *   public map learns that a pin must go, and nothing of what happened to the offer since;
 * - one they could never see (a draft's places, a paused offer's changes) is not sent at all.
 *
 * "Now": a live row carries the offer's state as of its commit (a later change is the next row);
 * a replayed row is judged by the offer's current state, read once per replayed batch.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import type { OfferStatus } from '../../generated/prisma/enums.ts';
import { asUuid } from '../../shared/ids.ts';
import { offerChangeView, visibleOffersWhere } from '../catalogue/catalogue.access.ts';
import { OfferStatusEnum } from '../catalogue/offer.schema.ts';
import { outboxStream, parseCursor, type StreamItem } from './outbox-stream.ts';
import type { OutboxRow } from './outbox-tail.ts';
import { realtimeOf } from './realtime.schema.ts';

/** What the outbox trigger (migration `outbox`) writes for an offer change. */
interface OfferPayload {
  offer: {
    id: string;
    organisationId: string;
    status: OfferStatus;
    previousStatus: OfferStatus;
    capacityPlaces: number | null;
    capacityFree: number | null;
    previousCapacityFree: number | null;
    waitlist: boolean;
    acceptsReferrals: boolean;
    themePath: string[];
    communes: string[];
  };
}

const offerOf = (row: OutboxRow) => (row.payload as unknown as OfferPayload).offer;

/** One notice: the outbox row, and whether its offer is still visible to the subscriber. */
interface OfferNoticeItem {
  row: OutboxRow;
  available: boolean;
}

const OfferNotice = builder.interfaceRef<OfferNoticeItem>('OfferNotice').implement({
  description:
    'A notice about an offer: what changed (`OfferChangeNotice`), or that an offer you could see is no longer available to you (`OfferUnavailableNotice`).',
  authScopes: { public: true },
  resolveType: (notice) => (notice.available ? 'OfferChangeNotice' : 'OfferUnavailableNotice'),
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass it as `after` when subscribing again to receive what follows.',
      resolve: (n) => n.row.seq.toString(),
    }),
    at: t.field({ type: 'DateTime', resolve: (n) => n.row.at }),
    offerId: t.id({ resolve: (n) => encodeGlobalID('Offer', offerOf(n.row).id) }),
  }),
});

builder.objectRef<OfferNoticeItem>('OfferChangeNotice').implement({
  description: 'An offer’s free places, status or openness to referrals changed.',
  interfaces: [OfferNotice],
  authScopes: { public: true },
  fields: (t) => ({
    status: t.field({ type: OfferStatusEnum, resolve: (n) => offerOf(n.row).status }),
    previousStatus: t.field({ type: OfferStatusEnum, resolve: (n) => offerOf(n.row).previousStatus }),
    capacityPlaces: t.int({ nullable: true, resolve: (n) => offerOf(n.row).capacityPlaces }),
    capacityFree: t.int({ nullable: true, resolve: (n) => offerOf(n.row).capacityFree }),
    previousCapacityFree: t.int({ nullable: true, resolve: (n) => offerOf(n.row).previousCapacityFree }),
    waitlist: t.boolean({ resolve: (n) => offerOf(n.row).waitlist }),
    acceptsReferrals: t.boolean({ resolve: (n) => offerOf(n.row).acceptsReferrals }),
    offer: t.prismaField({
      type: 'Offer',
      nullable: true,
      description:
        'The offer as it is now, as `node` shows it to you (one query; null once you may no longer see it).',
      resolve: (query, n, _args, ctx) =>
        ctx.prisma.offer.findFirst({
          ...query,
          where: { id: offerOf(n.row).id, AND: [visibleOffersWhere(ctx.viewer)] },
        }),
    }),
  }),
});

builder.objectRef<OfferNoticeItem>('OfferUnavailableNotice').implement({
  description:
    'An offer you could see is no longer available to you (paused, withdrawn or deleted): remove it. Nothing else is told about it.',
  interfaces: [OfferNotice],
  authScopes: { public: true },
  fields: (t) => ({
    message: t.string({ resolve: () => 'This offer is no longer available.' }),
  }),
});

const OfferChangeFilter = builder.inputType('OfferChangeFilter', {
  fields: (t) => ({
    organisationId: t.globalID({ description: 'Offers of this organisation.' }),
    offerIds: t.globalIDList({ description: 'These offers only.' }),
    themes: t.stringList({ description: 'Offers with one of these themes (or a sub-theme).' }),
    communes: t.stringList({
      description: 'Offers at a site or with a service area in one of these communes.',
    }),
  }),
});

type Filter = {
  organisationId?: { id: string } | null;
  offerIds?: { id: string }[] | null;
  themes?: string[] | null;
  communes?: string[] | null;
} | null;

/** The subscription's filter, on what a row says of its offer. */
function matches(f: Filter): (o: OfferPayload['offer']) => boolean {
  const organisationId = f?.organisationId ? asUuid(f.organisationId.id) : null;
  const offerIds = f?.offerIds?.length ? new Set(f.offerIds.map((g) => asUuid(g.id))) : null;
  const themes = f?.themes?.length ? f.themes : null;
  const communes = f?.communes?.length ? new Set(f.communes) : null;
  return (o) =>
    (!organisationId || o.organisationId === organisationId) &&
    (!offerIds || offerIds.has(o.id)) &&
    (!themes || themes.some((th) => o.themePath.includes(th))) &&
    (!communes || o.communes.some((c) => communes.has(c)));
}

/** The stream's rows as notices; the error that ends a stream passes through. */
function noticesOf(
  stream: AsyncIterableIterator<StreamItem>,
  toNotice: (row: OutboxRow) => OfferNoticeItem,
): AsyncIterableIterator<OfferNoticeItem | Extract<StreamItem, { end: unknown }>> {
  // A plain iterator, not a generator: return() goes straight to the stream, whatever this waits on.
  const iterator: AsyncIterableIterator<OfferNoticeItem | Extract<StreamItem, { end: unknown }>> = {
    async next() {
      const step = await stream.next();
      if (step.done) return step;
      return { done: false, value: 'end' in step.value ? step.value : toNotice(step.value) };
    },
    return: async () => {
      await stream.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

builder.subscriptionFields((t) => ({
  offerCapacityChanged: t.field({
    type: OfferNotice,
    description:
      'Free places, status or openness to referrals of the offers you may see (published ones; your organisations’ too), as they change. With `after`, what you missed first. An offer you may no longer see comes as an `OfferUnavailableNotice`.',
    authScopes: { public: true },
    args: { filter: t.arg({ type: OfferChangeFilter }), after: t.arg.string() },
    subscribe: (_root, args, ctx) => {
      const view = offerChangeView(ctx.viewer);
      const wanted = matches(args.filter ?? null);
      /** The offers of the batch being replayed as they are now, and its last sequence number. */
      const current = new Map<string, { organisationId: string; status: OfferStatus }>();
      let replayedUpTo = 0n;
      const stream = outboxStream(realtimeOf(ctx), ctx.viewer, {
        after: parseCursor(args.after),
        accepts: (row) => {
          if (row.type !== 'OFFER_CHANGED') return false;
          const o = offerOf(row);
          // Could the subscriber see the offer when this happened (before or after the change)?
          return view(o) !== null && wanted(o);
        },
        beforeReplay: async (rows) => {
          current.clear();
          const ids = [...new Set(rows.map((row) => offerOf(row).id))];
          const now = await ctx.prisma.offer.findMany({
            where: { id: { in: ids } },
            select: { id: true, organisationId: true, status: true },
          });
          for (const o of now) current.set(o.id, o);
          replayedUpTo = rows[rows.length - 1]!.seq;
        },
      });
      return noticesOf(stream, (row) => {
        const o = offerOf(row);
        // Live: the state this row carries is the offer's now. Replayed: as read (gone if deleted).
        const now = row.seq <= replayedUpTo ? (current.get(o.id) ?? null) : o;
        return { row, available: view(o, now) === 'CHANGED' };
      });
    },
    resolve: (item) => {
      if ('end' in item) throw item.end;
      return item;
    },
  }),
}));
