/**
 * Who acted on a referral, as both sides read it: a person's name, or an API client's (a partner
 * system), and the organisation they acted for. A name only: never the account, its e-mail or
 * roles (as `assigneeName`). Events record all three ids; a message, a consent or its withdrawal
 * by an API client records no user, so its actor is read from the event written with it, at the
 * same instant (`appendEvent`'s `at`), by the same organisation.
 *
 * Names are looked up in batches per request (DataLoader, no cache: a WebSocket connection lives
 * long and a name may change).
 */
import DataLoader from 'dataloader';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { Organisation as OrganisationRow } from '../../generated/prisma/client.ts';
import { Organisation } from '../organisations/organisation.schema.ts';

/** Who acted: a user or an API client (one of the two), for an organisation. */
export interface ActorIds {
  userId: string | null;
  apiClientId: string | null;
  organisationId: string | null;
}

/** A row written with an event of the referral (message, consent…): which event to read. */
export interface RecordedWith {
  referralId: string;
  at: Date;
  types: string[];
  organisationId: string | null;
}

interface Loaders {
  userNames: DataLoader<string, string | null>;
  clientNames: DataLoader<string, string | null>;
  organisations: DataLoader<string, OrganisationRow | null>;
  events: DataLoader<string, ActorIds | null>;
  recordedWith: DataLoader<RecordedWith, ActorIds | null>;
}

const loaders = new WeakMap<Context, Loaders>();

function byId<T extends { id: string }, R>(
  rows: T[],
  ids: readonly string[],
  pick: (row: T) => R,
): (R | null)[] {
  const found = new Map(rows.map((r) => [r.id, pick(r)]));
  return ids.map((id) => found.get(id) ?? null);
}

function loadersOf(ctx: Context): Loaders {
  let l = loaders.get(ctx);
  if (l) return l;
  const options = { cache: false };
  l = {
    userNames: new DataLoader(async (ids) => {
      const rows = await ctx.prisma.user.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, name: true },
      });
      return byId(rows, ids, (u) => u.name);
    }, options),
    clientNames: new DataLoader(async (ids) => {
      const rows = await ctx.prisma.apiClient.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, name: true },
      });
      return byId(rows, ids, (c) => c.name);
    }, options),
    organisations: new DataLoader(async (ids) => {
      const rows = await ctx.prisma.organisation.findMany({ where: { id: { in: [...ids] } } });
      return byId(rows, ids, (o) => o);
    }, options),
    events: new DataLoader(async (ids) => {
      const rows = await ctx.prisma.referralEvent.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, actorUserId: true, actorApiClientId: true, actorOrganisationId: true },
      });
      return byId(rows, ids, actorOfEvent);
    }, options),
    recordedWith: new DataLoader(async (keys) => {
      // The event of those types nearest in time (the same instant since `appendEvent` takes `at`).
      const rows = await ctx.prisma.$queryRaw<(ActorIds & { i: bigint })[]>`
        select k.i, e."actorUserId" as "userId", e."actorApiClientId" as "apiClientId",
               e."actorOrganisationId" as "organisationId"
        from unnest(${keys.map((k) => k.referralId)}::uuid[], ${keys.map((k) => k.at)}::timestamptz[],
                    ${keys.map((k) => k.types.join(','))}::text[], ${keys.map((k) => k.organisationId)}::uuid[])
             with ordinality as k(referral_id, at, types, organisation_id, i)
        cross join lateral (
          select * from "ReferralEvent" e
          where e."referralId" = k.referral_id and e.type = any(string_to_array(k.types, ','))
            and (k.organisation_id is null or e."actorOrganisationId" = k.organisation_id)
          order by abs(extract(epoch from e.at - k.at)), e.id
          limit 1) e`;
      const found = new Map(rows.map(({ i, ...actor }) => [Number(i) - 1, actor]));
      return keys.map((_k, i) => found.get(i) ?? null);
    }, options),
  };
  loaders.set(ctx, l);
  return l;
}

/** The actor an event records, or null for an event nobody made. */
export function actorOfEvent(e: {
  actorUserId: string | null;
  actorApiClientId: string | null;
  actorOrganisationId: string | null;
}): ActorIds | null {
  if (!e.actorUserId && !e.actorApiClientId) return null;
  return { userId: e.actorUserId, apiClientId: e.actorApiClientId, organisationId: e.actorOrganisationId };
}

/** Who made the event with this (raw) id: for live notices, which carry the event id only. */
export function actorOfEventId(ctx: Context, eventId: string): Promise<ActorIds | null> {
  return loadersOf(ctx).events.load(eventId);
}

/**
 * Who wrote a row that records a user but no API client (a message, a consent): that user when
 * known, else whoever made the event written with it.
 */
export async function actorOfRow(
  ctx: Context,
  userId: string | null,
  organisationId: string | null,
  recordedWith: Omit<RecordedWith, 'organisationId'>,
): Promise<ActorIds | null> {
  if (userId) return { userId, apiClientId: null, organisationId };
  return loadersOf(ctx).recordedWith.load({ ...recordedWith, organisationId });
}

/** An organisation by id, batched: for recipients and actors. */
export function organisationById(ctx: Context, id: string): Promise<OrganisationRow | null> {
  return loadersOf(ctx).organisations.load(id);
}

const ActorKindEnum = builder.enumType('ActorKind', {
  values: {
    PERSON: { description: 'A person, by their name.' },
    API_CLIENT: { description: "An organisation's partner system (API client), by its name." },
  } as const,
});

export const ActorRef = builder.objectRef<ActorIds>('Actor').implement({
  description:
    'Who acted, as both sides of a referral read it: a name and the organisation acted for; never an account, an e-mail or roles.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    kind: t.field({ type: ActorKindEnum, resolve: (a) => (a.userId ? 'PERSON' : 'API_CLIENT') }),
    name: t.string({
      description: "The person's name, or the API client's.",
      resolve: async (a, _args, ctx) => {
        const l = loadersOf(ctx);
        if (a.userId) return (await l.userNames.load(a.userId)) ?? 'a deleted account';
        return (a.apiClientId && (await l.clientNames.load(a.apiClientId))) || 'a deleted API client';
      },
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation they acted for.',
      resolve: (a, _args, ctx) => (a.organisationId ? organisationById(ctx, a.organisationId) : null),
    }),
  }),
});
