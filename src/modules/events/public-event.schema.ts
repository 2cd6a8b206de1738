/**
 * The public side of an edition in GraphQL: its participant list as consent allows
 * (`EventEdition.publicParticipants`, "and N others") and the comparison of a series' editions
 * (`Event.comparison`: teams, organisations, participants by category). A `PublicParticipant` has
 * no ID and no e-mail: it is not a registration. Read through public-event.service.ts, the one
 * model the page `/events/<slug>` reads too; the edition itself is visible per events.access.ts.
 */
import { resolveArrayConnection } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import type { EventEdition } from '../../generated/prisma/client.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { EventEditionNode } from './event.schema.ts';
import { visibleEditionsWhere } from './events.access.ts';
import {
  editionFigures,
  editionParticipants,
  type EditionFigures,
  type PublicList,
  type PublicParticipant,
} from './public-event.service.ts';
import { ParticipantCategoryEnum } from './registration.schema.ts';

/** Most participants per page of `publicParticipants`. */
export const MAX_PARTICIPANTS_PAGE = 200;

export const PublicParticipantRef = builder.objectRef<PublicParticipant>('PublicParticipant').implement({
  description:
    'A participant as the public list shows them: only the fields they agreed to show (null for the others). Never an e-mail, never an ID.',
  authScopes: { public: true },
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'Null: they do not show their name.' }),
    organisation: t.exposeString('organisation', {
      nullable: true,
      description: 'Null: they do not show their organisation.',
    }),
    function: t.exposeString('function', { nullable: true, description: 'Null: they do not show it.' }),
    hubOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation shown, when it is one of the hub’s (its profile and offers).',
      resolve: (p, _args, ctx) =>
        p.organisationId ? ctx.prisma.organisation.findUnique({ where: { id: p.organisationId } }) : null,
    }),
  }),
});

/** A list as consent allows: who is shown, and how many are not. */
export const PublicListRef = builder.objectRef<PublicList>('PublicParticipantList').implement({
  description: 'People as consent allows: those who agreed to appear, then "and N others".',
  authScopes: { public: true },
  fields: (t) => ({
    members: t.field({
      type: [PublicParticipantRef],
      description: 'Sorted by the organisation shown, then the name shown.',
      resolve: (l) => l.members,
    }),
    othersCount: t.exposeInt('othersCount', {
      description: 'Registered people who agreed to show nothing ("and N others").',
    }),
  }),
});

builder.prismaObjectField('EventEdition', 'publicParticipants', (t) =>
  t.connection(
    {
      type: PublicParticipantRef,
      description:
        'The participant list as consent allows: REGISTERED participants who agreed to appear, with the fields they agreed to, sorted by organisation then name. Read at every request: a cancellation or a withdrawn consent takes effect at once.',
      resolve: async (edition, args, ctx) => {
        for (const key of ['first', 'last'] as const) {
          if ((args[key] ?? 0) > MAX_PARTICIPANTS_PAGE) {
            throw new InvalidInputError(`At most ${MAX_PARTICIPANTS_PAGE} participants per page.`, [
              { path: [key], message: `must be at most ${MAX_PARTICIPANTS_PAGE}` },
            ]);
          }
        }
        const list = await editionParticipants(ctx.prisma, edition.id);
        const page = resolveArrayConnection(
          { args, defaultSize: 50, maxSize: MAX_PARTICIPANTS_PAGE },
          list.members,
        );
        return { ...page, othersCount: list.othersCount, totalCount: list.members.length };
      },
    },
    {
      fields: (c) => ({
        totalCount: c.int({
          description: 'Participants listed.',
          resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount,
        }),
        othersCount: c.int({
          description: 'Registered participants not listed: "and N others".',
          resolve: (conn) => (conn as unknown as { othersCount: number }).othersCount,
        }),
      }),
    },
  ),
);

const CategoryCountRef = builder
  .objectRef<EditionFigures['byCategory'][number]>('ParticipantCategoryCount')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      category: t.field({ type: ParticipantCategoryEnum, resolve: (c) => c.category }),
      count: t.exposeInt('count'),
    }),
  });

const EditionComparisonRef = builder
  .objectRef<{ edition: EventEdition; figures: EditionFigures }>('EditionComparison')
  .implement({
    description: 'An edition in figures, to compare with the others of its series.',
    authScopes: { public: true },
    fields: (t) => ({
      edition: t.field({ type: EventEditionNode, resolve: (c) => c.edition }),
      teams: t.int({ description: 'Teams presenting at a stand.', resolve: (c) => c.figures.teams }),
      organisations: t.int({
        description:
          'Organisations present: with a stand or a registered participant (a hub organisation, or a name given).',
        resolve: (c) => c.figures.organisations,
      }),
      participants: t.int({
        description: 'Registered participants.',
        resolve: (c) => c.figures.participants,
      }),
      participantsByCategory: t.field({
        type: [CategoryCountRef],
        description: 'Registered participants per category, every category listed.',
        resolve: (c) => c.figures.byCategory,
      }),
    }),
  });

builder.prismaObjectFields('Event', (t) => ({
  comparison: t.field({
    type: [EditionComparisonRef],
    description:
      'The editions you may see, oldest first, in figures (counts only): teams, organisations present, participants by category.',
    resolve: async (event, _args, ctx) => {
      const editions = await ctx.prisma.eventEdition.findMany({
        where: { eventId: event.id, AND: [visibleEditionsWhere(ctx.viewer)] },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      });
      const figures = await editionFigures(
        ctx.prisma,
        editions.map((e) => e.id),
      );
      return editions.map((edition, i) => ({ edition, figures: figures[i]! }));
    },
  }),
}));
