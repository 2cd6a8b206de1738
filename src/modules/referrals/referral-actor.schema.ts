/**
 * Who acted on a referral, as both sides read it (`Actor`): a person's name, or an API client's
 * (a partner system), and the organisation they acted for. The rule, shared with webhook bodies,
 * is referral-actor.ts: a name only, never the account, its e-mail or roles.
 *
 * Names and organisations are looked up in batches per request (no cache: a WebSocket connection
 * lives long and a name may change).
 */
import DataLoader from 'dataloader';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { Organisation as OrganisationRow } from '../../generated/prisma/client.ts';
import { findManyByIdSql } from '../../shared/db/prisma-json.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { actorKind, actorOfEvent, publicActors, type ActorIds, type PublicActor } from './referral-actor.ts';

interface Loaders {
  actors: DataLoader<ActorIds, PublicActor>;
  organisations: DataLoader<string, OrganisationRow | null>;
  events: DataLoader<string, ActorIds | null>;
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
    actors: new DataLoader((actors) => publicActors(ctx.sql, actors), options),
    // Whole rows, one statement, without Prisma's client: it was 7 % of the SDK inbox page's hub
    // CPU (bench/referrals --profile), for one small read per page.
    organisations: new DataLoader(async (ids) => {
      const rows = await findManyByIdSql<OrganisationRow>(ctx.sql, 'Organisation', ids);
      return byId(rows, ids, (o) => o);
    }, options),
    events: new DataLoader(async (ids) => {
      const rows = await ctx.prisma.referralEvent.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, actorUserId: true, actorApiClientId: true, actorOrganisationId: true },
      });
      return byId(rows, ids, actorOfEvent);
    }, options),
  };
  loaders.set(ctx, l);
  return l;
}

/** Who made the event with this (raw) id: for live notices, which carry the event id only. */
export function actorOfEventId(ctx: Context, eventId: string): Promise<ActorIds | null> {
  return loadersOf(ctx).events.load(eventId);
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
    kind: t.field({ type: ActorKindEnum, resolve: (a) => actorKind(a) }),
    name: t.string({
      description: "The person's name, or the API client's.",
      resolve: async (a, _args, ctx) => (await loadersOf(ctx).actors.load(a)).name,
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation they acted for.',
      resolve: (a, _args, ctx) => (a.organisationId ? organisationById(ctx, a.organisationId) : null),
    }),
  }),
});
