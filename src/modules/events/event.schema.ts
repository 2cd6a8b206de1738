/**
 * Event series, editions and their programme in GraphQL. Who sees what: events.access.ts, through
 * every path (node, nodes, `events`, `event(slug)`, `eventEdition(slug)`, nested fields).
 */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { EditionStatus, SessionKind } from '../../generated/prisma/enums.ts';
import { asUuid } from '../../shared/ids.ts';
import {
  askedLanguages,
  LanguageEnum,
  LocalizedText,
  Translation,
  translationList,
} from '../catalogue/localized.schema.ts';
import { localize } from '../catalogue/translations.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  maySetUpStand,
  organises,
  visibleEditionsWhere,
  visibleEventsWhere,
  visibleSessionsWhere,
} from './events.access.ts';
import { registrationOpen } from './registration.service.ts';

export const EditionStatusEnum = builder.enumType(EditionStatus, {
  name: 'EditionStatus',
  description:
    'DRAFT: organisers prepare it; OPEN: public, registration open; CLOSED: public, registration closed.',
});

export const SessionKindEnum = builder.enumType(SessionKind, {
  name: 'SessionKind',
  description: 'A plenary talk, a round table, a workshop, or something else.',
});

export const EventNode = builder.prismaNode('Event', {
  description: 'An event series (the Assises sociales), run by one organisation, with its editions.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleEventsWhere(ctx.viewer)] }),
  authScopes: { public: true },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    organisation: t.relation('organisation', { description: 'The organisation that runs it.' }),
    name: t.field({
      type: LocalizedText,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (e, { lang }, ctx) =>
        localize(e.name, askedLanguages(lang, ctx)) ?? { text: '', language: 'fr' as const, fallback: true },
    }),
    nameTranslations: t.field({ type: [Translation], resolve: (e) => translationList(e.name) }),
    description: t.field({
      type: LocalizedText,
      nullable: true,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (e, { lang }, ctx) => localize(e.description, askedLanguages(lang, ctx)),
    }),
    version: t.exposeInt('version'),
    youOrganise: t.boolean({
      description: 'Whether you are one of its organisers (EVENT_ORGANISER or admin of its organisation).',
      resolve: (e, _args, ctx) => organises(ctx.viewer, e.organisationId),
    }),
    editions: t.relation('editions', {
      description: 'The editions you may see, newest first.',
      query: (_args, ctx) => ({
        where: visibleEditionsWhere(ctx.viewer),
        orderBy: [{ startsAt: 'desc' }, { id: 'desc' }],
      }),
    }),
  }),
});

export const EventEditionNode = builder.prismaNode('EventEdition', {
  description:
    'One edition of an event series: its days, venue, invited organisations, programme, registrations and stands.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleEditionsWhere(ctx.viewer)] }),
  authScopes: { public: true },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Its public page: `/events/<slug>`.' }),
    event: t.relation('event'),
    organisation: t.relation('organisation', { description: 'The organising organisation.' }),
    title: t.field({
      type: LocalizedText,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (e, { lang }, ctx) =>
        localize(e.title, askedLanguages(lang, ctx)) ?? { text: '', language: 'fr' as const, fallback: true },
    }),
    titleTranslations: t.field({ type: [Translation], resolve: (e) => translationList(e.title) }),
    description: t.field({
      type: LocalizedText,
      nullable: true,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (e, { lang }, ctx) => localize(e.description, askedLanguages(lang, ctx)),
    }),
    descriptionTranslations: t.field({
      type: [Translation],
      resolve: (e) => translationList(e.description),
    }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    venue: t.relation('venue', { nullable: true, description: 'The site where it takes place.' }),
    status: t.expose('status', { type: EditionStatusEnum }),
    registrationClosesAt: t.expose('registrationClosesAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When registration closes (null: when the edition starts).',
    }),
    registrationOpen: t.boolean({
      description:
        'Whether people can register now: the edition is OPEN and its closing time (else its start) is ahead.',
      resolve: (e) => registrationOpen(e, new Date()),
    }),
    version: t.exposeInt('version', { description: 'Send it back as `expectedVersion` when updating.' }),
    youOrganise: t.boolean({
      description: 'Whether you organise this edition (you see and change everything of it).',
      resolve: (e, _args, ctx) => organises(ctx.viewer, e.organisationId),
    }),
    invitedOrganisations: t.field({
      type: [Organisation],
      description: 'The organisations invited to it.',
      resolve: (e, _args, ctx) => invitedOrganisations(ctx.prisma, e.id),
    }),
    standOrganisations: t.field({
      type: [Organisation],
      description:
        'The invited organisations you may set up a stand for (createStand): every one if you organise the edition, else those you administer. Empty for anyone else.',
      resolve: async (e, _args, ctx) => {
        const invited = await invitedOrganisations(ctx.prisma, e.id);
        const facts = { organisationId: e.organisationId, invitedOrganisationIds: invited.map((o) => o.id) };
        return invited.filter((o) => maySetUpStand(ctx.viewer, facts, o.id));
      },
    }),
    sessions: t.relation('sessions', {
      description: 'The programme, in time order.',
      query: { orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

export const EventSessionNode = builder.prismaNode('EventSession', {
  description: 'A session of an edition’s programme: a talk, a round table or a workshop.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleSessionsWhere(ctx.viewer)] }),
  authScopes: { public: true },
  fields: (t) => ({
    edition: t.relation('edition'),
    kind: t.expose('kind', { type: SessionKindEnum }),
    title: t.field({
      type: LocalizedText,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (s, { lang }, ctx) =>
        localize(s.title, askedLanguages(lang, ctx)) ?? { text: '', language: 'fr' as const, fallback: true },
    }),
    titleTranslations: t.field({ type: [Translation], resolve: (s) => translationList(s.title) }),
    description: t.field({
      type: LocalizedText,
      nullable: true,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (s, { lang }, ctx) => localize(s.description, askedLanguages(lang, ctx)),
    }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    room: t.exposeString('room', { nullable: true }),
    capacity: t.exposeInt('capacity', { nullable: true, description: 'Seats; null: no limit.' }),
    speakers: t.field({
      type: [SpeakerRef],
      resolve: (s) => (Array.isArray(s.speakers) ? (s.speakers as unknown as Speaker[]) : []),
    }),
    seatsTaken: t.int({
      description: 'Confirmed seats.',
      resolve: (s, _args, ctx) =>
        ctx.prisma.registrationSeat.count({ where: { sessionId: s.id, status: 'CONFIRMED' } }),
    }),
    waitlistLength: t.int({
      description: 'People waiting for a seat.',
      resolve: (s, _args, ctx) =>
        ctx.prisma.registrationSeat.count({ where: { sessionId: s.id, status: 'WAITLISTED' } }),
    }),
    version: t.exposeInt('version'),
  }),
});

export interface Speaker {
  name: string;
  organisation?: string | null;
  function?: string | null;
}

export const SpeakerRef = builder.objectRef<Speaker>('Speaker').implement({
  description: 'A speaker of a session (public by nature).',
  authScopes: { public: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    organisation: t.string({ nullable: true, resolve: (s) => s.organisation ?? null }),
    function: t.string({ nullable: true, resolve: (s) => s.function ?? null }),
  }),
});

builder.queryFields((t) => ({
  events: t.prismaField({
    type: ['Event'],
    description:
      'Event series you may see: those with a public edition, and those you organise or are invited to.',
    authScopes: { public: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.event.findMany({
        ...query,
        where: visibleEventsWhere(ctx.viewer),
        orderBy: [{ slug: 'asc' }],
      }),
  }),
  event: t.prismaField({
    type: 'Event',
    nullable: true,
    description: 'An event series by its slug; null when unknown or not yours to see.',
    authScopes: { public: true },
    args: { slug: t.arg.string({ required: true, validate: z.string().max(100) }) },
    resolve: (query, _root, { slug }, ctx) =>
      ctx.prisma.event.findFirst({ ...query, where: { slug, AND: [visibleEventsWhere(ctx.viewer)] } }),
  }),
  eventEdition: t.prismaField({
    type: 'EventEdition',
    nullable: true,
    description: 'An edition by its slug (`/events/<slug>`); null when unknown or not yours to see.',
    authScopes: { public: true },
    args: { slug: t.arg.string({ required: true, validate: z.string().max(100) }) },
    resolve: (query, _root, { slug }, ctx) =>
      ctx.prisma.eventEdition.findFirst({
        ...query,
        where: { slug, AND: [visibleEditionsWhere(ctx.viewer)] },
      }),
  }),
}));

/** The organisations invited to an edition, by name. */
async function invitedOrganisations(prisma: PrismaClient, editionId: string) {
  const invitations = await prisma.editionInvitation.findMany({
    where: { editionId },
    select: { organisation: true },
    orderBy: { organisation: { name: 'asc' } },
  });
  return invitations.map((i) => i.organisation);
}
