/**
 * Who acted on a referral, as both sides read it: the one rule, for GraphQL's `Actor`
 * (referral-actor.schema.ts) and webhook bodies (`data.event.actor`). A person's name or an API
 * client's (a partner system), and the organisation they acted for: a name only, never the
 * account, its e-mail or roles (as `assigneeName`).
 *
 * Every row that records an act keeps who did it: events (`actorUserId`, `actorApiClientId`,
 * `actorOrganisationId`), messages (`authorUserId`, `authorApiClientId`), consents
 * (`recordedBy…`, `withdrawnBy…`, for the sending organisation).
 */
import { Prisma } from '../../generated/prisma/client.ts';
import type { SqlRunner } from '../../shared/db/client.ts';

/** Who acted: a user or an API client (one of the two), for an organisation. */
export interface ActorIds {
  userId: string | null;
  apiClientId: string | null;
  organisationId: string | null;
}

/** What an actor is, as GraphQL's `ActorKind` names it. */
export type ActorKind = 'PERSON' | 'API_CLIENT';

/** What anyone who sees the referral may know of who acted. */
export interface PublicActor {
  kind: ActorKind;
  /** The person's name, or the API client's. */
  name: string;
  organisation: { id: string; name: string } | null;
}

/** The actor of a row recording a user or an API client, or null when it records neither. */
export function actorOf(
  userId: string | null,
  apiClientId: string | null,
  organisationId: string | null,
): ActorIds | null {
  return userId || apiClientId ? { userId, apiClientId, organisationId } : null;
}

/** The actor an event records, or null for an event nobody made (the hub's own). */
export function actorOfEvent(e: {
  actorUserId: string | null;
  actorApiClientId: string | null;
  actorOrganisationId: string | null;
}): ActorIds | null {
  return actorOf(e.actorUserId, e.actorApiClientId, e.actorOrganisationId);
}

/** A person when a user acted, else an API client. */
export function actorKind(a: ActorIds): ActorKind {
  return a.userId ? 'PERSON' : 'API_CLIENT';
}

/** The public face of an actor, from the names found for its ids (null: deleted since). */
function publicActor(
  a: ActorIds,
  names: { userName: string | null; clientName: string | null; organisationName: string | null },
): PublicActor {
  const kind = actorKind(a);
  return {
    kind,
    name:
      kind === 'PERSON'
        ? (names.userName ?? 'a deleted account')
        : (names.clientName ?? 'a deleted API client'),
    organisation:
      a.organisationId && names.organisationName !== null
        ? { id: a.organisationId, name: names.organisationName }
        : null,
  };
}

/** The public face of each actor, in order: one statement however many. */
export async function publicActors(sql: SqlRunner, actors: readonly ActorIds[]): Promise<PublicActor[]> {
  if (actors.length === 0) return [];
  const rows = await sql<{
    i: string;
    userName: string | null;
    clientName: string | null;
    organisationName: string | null;
  }>(Prisma.sql`
    select a.i::text as i, u.name as "userName", c.name as "clientName", o.name as "organisationName"
    from unnest(${actors.map((a) => a.userId)}::uuid[], ${actors.map((a) => a.apiClientId)}::uuid[],
                ${actors.map((a) => a.organisationId)}::uuid[])
         with ordinality as a(user_id, client_id, organisation_id, i)
    left join "User" u on u.id = a.user_id
    left join "ApiClient" c on c.id = a.client_id
    left join "Organisation" o on o.id = a.organisation_id`);
  const found = new Map(rows.map(({ i, ...names }) => [Number(i) - 1, names]));
  const none = { userName: null, clientName: null, organisationName: null };
  return actors.map((a, i) => publicActor(a, found.get(i) ?? none));
}
