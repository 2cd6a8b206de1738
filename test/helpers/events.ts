/**
 * An event and one edition of it, created over HTTP as an organiser would: the setup the event
 * tests share. The edition is a DRAFT of `hours` hours starting at `startsAt`, with `invited`
 * organisations (global IDs); its invitation codes are read by organisation slug.
 */
import {
  CreateEventDocument,
  CreateEventEditionDocument,
  EditionInvitationsDocument,
} from '../../clients/generated/graphql.ts';
import type { TestHub } from './hub.ts';

export interface TestEdition {
  /** The edition's global ID. */
  id: string;
  slug: string;
  version: number;
  /** The registration code of an invited organisation, by its slug. */
  code(organisationSlug: string): Promise<string>;
}

export async function createEdition(
  t: TestHub,
  token: string,
  o: { organisationId: string; slug: string; startsAt: Date; hours?: number; invited?: string[] },
): Promise<TestEdition> {
  const event = await t.send(
    CreateEventDocument,
    {
      input: {
        organisationId: o.organisationId,
        slug: `${o.slug}-series`,
        name: [{ language: 'FR', text: `Série ${o.slug}` }],
      },
    },
    { token },
  );
  const created = event.body.data?.createEvent;
  if (created?.__typename !== 'MutationCreateEventSuccess') throw new Error(JSON.stringify(event.body));
  const endsAt = new Date(o.startsAt.getTime() + (o.hours ?? 8) * 3600_000);
  const edition = await t.send(
    CreateEventEditionDocument,
    {
      input: {
        eventId: created.data.event.id,
        slug: o.slug,
        title: [{ language: 'FR', text: `Édition ${o.slug}` }],
        startsAt: o.startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        invitedOrganisationIds: o.invited ?? [],
      },
    },
    { token },
  );
  const e = edition.body.data?.createEventEdition;
  if (e?.__typename !== 'MutationCreateEventEditionSuccess') throw new Error(JSON.stringify(edition.body));
  return {
    id: e.data.edition.id,
    slug: o.slug,
    version: e.data.edition.version,
    async code(organisationSlug) {
      const inv = await t.send(EditionInvitationsDocument, { slug: o.slug }, { token });
      const found = inv.body.data?.eventEdition?.invitations.find(
        (i) => i.organisation.slug === organisationSlug,
      );
      if (!found?.code) throw new Error(`no code for ${organisationSlug}: ${JSON.stringify(inv.body)}`);
      return found.code;
    },
  };
}
