/**
 * The organisers' participant list in GraphQL: `EventEdition.participants(filter, first, after)`
 * and `EventEdition.participantCounts`. Organisers see every registration of their edition, an
 * organisation's admins their own staff's; anyone else an empty list and null counts
 * (events.access.ts). The CSV export and the badges (src/http/event-exports.ts) share the filter.
 */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { SEARCH_MAX_LENGTH, searchTextExtensions } from '../../shared/input-limits.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { EventSessionNode } from './event.schema.ts';
import {
  participantCounts,
  participantsWhere,
  PARTICIPANT_ORDER,
  type ParticipantCounts,
} from './participants.service.ts';
import { ParticipantCategoryEnum, RegistrationStatusEnum } from './registration.schema.ts';

export const ParticipantFilterInput = builder.inputType('ParticipantFilter', {
  description: 'Narrows an edition’s participant list (and its CSV export). Every field is optional.',
  fields: (t) => ({
    organisationId: t.globalID({ for: [Organisation], description: 'Staff of this hub organisation.' }),
    category: t.field({ type: ParticipantCategoryEnum }),
    sessionId: t.globalID({
      for: [EventSessionNode],
      description: 'Holders of a confirmed seat in this session (not its waitlist).',
    }),
    checkedIn: t.boolean({ description: 'true: arrived (checked in, not undone); false: not arrived.' }),
    status: t.field({
      type: RegistrationStatusEnum,
      description: 'Default REGISTERED: cancelled registrations are listed only when asked for.',
    }),
    text: t.string({
      description: `Contained in the name, the e-mail address or the organisation’s name (any case). At most ${SEARCH_MAX_LENGTH} characters.`,
      extensions: searchTextExtensions,
      validate: z.string().max(SEARCH_MAX_LENGTH),
    }),
  }),
});

type FilterArg = typeof ParticipantFilterInput.$inferInput;

/** The service's filter from the GraphQL input (global IDs to ids). */
export function participantFilter(filter: FilterArg | null | undefined) {
  return filter
    ? {
        organisationId: filter.organisationId?.id ?? null,
        category: filter.category ?? null,
        sessionId: filter.sessionId?.id ?? null,
        checkedIn: filter.checkedIn ?? null,
        status: filter.status ?? null,
        text: filter.text ?? null,
      }
    : null;
}

const CategoryCountRef = builder
  .objectRef<ParticipantCounts['byCategory'][number]>('EventParticipantCategoryCount')
  .implement({
    description: 'Participants of one category: registered, and arrived among them.',
    authScopes: { authenticated: true },
    fields: (t) => ({
      category: t.field({ type: ParticipantCategoryEnum, resolve: (c) => c.category }),
      registered: t.exposeInt('registered'),
      checkedIn: t.exposeInt('checkedIn', { description: 'Arrived (checked in, not undone).' }),
    }),
  });

const OrganisationCountRef = builder
  .objectRef<ParticipantCounts['byOrganisation'][number]>('EventParticipantOrganisationCount')
  .implement({
    description: 'Participants of one organisation: registered, and arrived among them.',
    authScopes: { authenticated: true },
    fields: (t) => ({
      organisation: t.prismaField({
        type: 'Organisation',
        nullable: true,
        description: 'The hub organisation; null for an organisation written by hand (see `name`).',
        resolve: (query, c, _args, ctx) =>
          c.organisationId
            ? ctx.prisma.organisation.findUnique({ ...query, where: { id: c.organisationId } })
            : null,
      }),
      name: t.exposeString('name', { description: 'The organisation’s name.' }),
      registered: t.exposeInt('registered'),
      checkedIn: t.exposeInt('checkedIn', { description: 'Arrived (checked in, not undone).' }),
    }),
  });

export const ParticipantCountsRef = builder.objectRef<ParticipantCounts>('EventParticipantCounts').implement({
  description:
    'An edition’s participants counted, as the viewer may see them: all of them for its organisers, their own staff for an organisation’s admins. Cancelled registrations count only in `cancelled`.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    registered: t.exposeInt('registered', { description: 'Registered (not cancelled).' }),
    checkedIn: t.exposeInt('checkedIn', { description: 'Arrived: checked in, not undone.' }),
    notCheckedIn: t.exposeInt('notCheckedIn', { description: 'Registered, not arrived (yet).' }),
    cancelled: t.exposeInt('cancelled'),
    byCategory: t.field({
      type: [CategoryCountRef],
      description: 'Every category, in a fixed order, zeros included.',
      resolve: (c) => c.byCategory,
    }),
    byOrganisation: t.field({
      type: [OrganisationCountRef],
      description: 'Organisations with someone registered, most registered first.',
      resolve: (c) => c.byOrganisation,
    }),
  }),
});

builder.prismaObjectFields('EventEdition', (t) => ({
  participants: t.relatedConnection('registrations', {
    cursor: 'id',
    description:
      'The participant list, by name: every registration for the edition’s organisers, their own staff’s for an organisation’s admins, empty for anyone else.',
    authScopes: { public: true },
    totalCount: true,
    args: { filter: t.arg({ type: ParticipantFilterInput }) },
    query: (args, ctx) => ({
      where: participantsWhere(ctx.viewer, null, participantFilter(args.filter)),
      orderBy: PARTICIPANT_ORDER,
    }),
  }),
  participantCounts: t.field({
    type: ParticipantCountsRef,
    nullable: true,
    description:
      'Participants by category and organisation, arrived or not (what you may see of them); null unless you organise the edition or administer an organisation.',
    authScopes: { public: true },
    resolve: (edition, _args, ctx) => participantCounts(ctx.prisma, ctx.viewer, edition),
  }),
}));
