/**
 * Organisers' setup in GraphQL: series, editions (with invited organisations and their
 * registration codes), sessions. The services check who asks (event-admin.service.ts).
 */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { EditionInvitation, Event, EventEdition, EventSession } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { hasRole } from '../accounts/viewer.ts';
import { TranslationInput } from '../catalogue/localized.schema.ts';
import { translationsInput } from '../catalogue/translations.ts';
import { SiteNode } from '../catalogue/site.schema.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  cancelSession,
  createEvent,
  createEventEdition,
  createSession,
  updateSession,
  invitationCode,
  inviteOrganisations,
  updateEventEdition,
  withdrawInvitation,
} from './event-admin.service.ts';
import {
  EditionStatusEnum,
  EventEditionNode,
  EventNode,
  EventSessionNode,
  SessionKindEnum,
} from './event.schema.ts';
import { organises } from './events.access.ts';

const common = [InvalidInputError, NotFoundError, ForbiddenError] as const;

// --- Invitations and their codes ---------------------------------------------------------------

const EditionInvitationRef = builder.objectRef<EditionInvitation & { edition: EventEdition }>(
  'EditionInvitation',
);
EditionInvitationRef.implement({
  description: 'An organisation invited to an edition, with the code its people register with.',
  authScopes: { public: true },
  fields: (t) => ({
    organisation: t.field({
      type: Organisation,
      resolve: (i, _args, ctx) =>
        ctx.prisma.organisation.findUniqueOrThrow({ where: { id: i.organisationId } }),
    }),
    code: t.string({
      nullable: true,
      description:
        'The registration code (`evc_…`) people of this organisation register with (`registerForEvent`): for the organisers and the organisation’s admins; null for anyone else.',
      resolve: (i, _args, ctx) =>
        invitationCode(ctx.viewer, i, i.edition, (org) => hasRole(ctx.viewer, org, ['ORG_ADMIN'])),
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields('EventEdition', (t) => ({
  invitations: t.field({
    type: [EditionInvitationRef],
    description:
      'Invited organisations with their registration codes: all of them for the organisers; your own organisations’ for others who see the edition.',
    resolve: async (edition, _args, ctx) => {
      const mine = organises(ctx.viewer, edition.organisationId)
        ? undefined
        : ctx.viewer?.kind === 'user'
          ? [...ctx.viewer.roles.keys()]
          : [];
      const rows = await ctx.prisma.editionInvitation.findMany({
        where: { editionId: edition.id, ...(mine ? { organisationId: { in: mine } } : {}) },
        orderBy: { organisation: { name: 'asc' } },
      });
      return rows.map((r) => ({ ...r, edition }));
    },
  }),
}));

// --- Inputs and payloads -------------------------------------------------------------------------

const CreateEventInput = builder.inputType('CreateEventInput', {
  fields: (t) => ({
    organisationId: t.globalID({
      required: true,
      for: [Organisation],
      description: 'The organisation that runs it.',
    }),
    slug: t.string({ required: true, validate: z.string().min(2).max(80) }),
    name: t.field({ type: [TranslationInput], required: true, validate: translationsInput(200) }),
    description: t.field({ type: [TranslationInput], validate: translationsInput(5000) }),
  }),
});

const CreateEventEditionInput = builder.inputType('CreateEventEditionInput', {
  fields: (t) => ({
    eventId: t.globalID({ required: true, for: [EventNode] }),
    slug: t.string({
      required: true,
      validate: z.string().min(2).max(80),
      description: 'Its public page: `/events/<slug>`.',
    }),
    title: t.field({ type: [TranslationInput], required: true, validate: translationsInput(200) }),
    description: t.field({ type: [TranslationInput], validate: translationsInput(5000) }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime', required: true }),
    venueSiteId: t.globalID({ for: [SiteNode] }),
    registrationClosesAt: t.field({ type: 'DateTime', description: 'Default: when the edition starts.' }),
    invitedOrganisationIds: t.globalIDList({ for: [Organisation], validate: z.array(z.unknown()).max(500) }),
  }),
});

const UpdateEventEditionInput = builder.inputType('UpdateEventEditionInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [EventEditionNode] }),
    expectedVersion: t.int({ required: true }),
    title: t.field({ type: [TranslationInput], validate: translationsInput(200) }),
    description: t.field({ type: [TranslationInput], validate: translationsInput(5000) }),
    startsAt: t.field({ type: 'DateTime' }),
    endsAt: t.field({ type: 'DateTime' }),
    venueSiteId: t.globalID({ for: [SiteNode], description: 'Null: no venue.' }),
    registrationClosesAt: t.field({ type: 'DateTime', description: 'Null: when the edition starts.' }),
    status: t.field({
      type: EditionStatusEnum,
      description:
        'OPEN publishes the edition and opens registration; CLOSED keeps it public and closes registration.',
    }),
  }),
});

const SpeakerInput = builder.inputType('SpeakerInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().trim().min(1).max(200) }),
    organisation: t.string({ validate: z.string().max(200) }),
    function: t.string({ validate: z.string().max(200) }),
  }),
});

const CreateSessionInput = builder.inputType('CreateSessionInput', {
  fields: (t) => ({
    editionId: t.globalID({ required: true, for: [EventEditionNode] }),
    kind: t.field({ type: SessionKindEnum, required: true }),
    title: t.field({ type: [TranslationInput], required: true, validate: translationsInput(300) }),
    description: t.field({ type: [TranslationInput], validate: translationsInput(5000) }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime', required: true }),
    room: t.string({ validate: z.string().max(100) }),
    capacity: t.int({ description: 'Seats; leave out for no limit.' }),
    speakers: t.field({ type: [SpeakerInput], validate: z.array(z.unknown()).max(30) }),
  }),
});

const UpdateSessionInput = builder.inputType('UpdateSessionInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [EventSessionNode] }),
    expectedVersion: t.int({ required: true }),
    kind: t.field({ type: SessionKindEnum }),
    title: t.field({ type: [TranslationInput], validate: translationsInput(300) }),
    description: t.field({ type: [TranslationInput], validate: translationsInput(5000) }),
    startsAt: t.field({ type: 'DateTime' }),
    endsAt: t.field({ type: 'DateTime' }),
    room: t.string({ validate: z.string().max(100), description: 'Null: no room.' }),
    capacity: t.int({
      description:
        'Seats; null: no limit. Never below the seats taken; seats added go to the waitlist in order.',
    }),
    speakers: t.field({
      type: [SpeakerInput],
      validate: z.array(z.unknown()).max(30),
      description: 'The whole list, in order (left out: unchanged).',
    }),
  }),
});

const WithdrawInvitationInput = builder.inputType('WithdrawInvitationInput', {
  fields: (t) => ({
    editionId: t.globalID({ required: true, for: [EventEditionNode] }),
    organisationId: t.globalID({ required: true, for: [Organisation] }),
  }),
});

const CancelSessionInput = builder.inputType('CancelSessionInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [EventSessionNode] }),
    expectedVersion: t.int({ required: true }),
  }),
});

const InviteOrganisationsInput = builder.inputType('InviteOrganisationsInput', {
  fields: (t) => ({
    editionId: t.globalID({ required: true, for: [EventEditionNode] }),
    organisationIds: t.globalIDList({
      required: true,
      for: [Organisation],
      validate: z.array(z.unknown()).min(1).max(500),
    }),
  }),
});

const EventPayload = builder.objectRef<{ event: Event }>('EventPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ event: t.field({ type: EventNode, resolve: (p) => p.event }) }),
});
const EventEditionPayload = builder.objectRef<{ edition: EventEdition }>('EventEditionPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ edition: t.field({ type: EventEditionNode, resolve: (p) => p.edition }) }),
});
const EventSessionPayload = builder.objectRef<{ session: EventSession }>('EventSessionPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ session: t.field({ type: EventSessionNode, resolve: (p) => p.session }) }),
});

const UpdateSessionPayload = builder
  .objectRef<{ session: EventSession; promotedCount: number; toldCount: number }>('UpdateSessionPayload')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      session: t.field({ type: EventSessionNode, resolve: (p) => p.session }),
      promotedCount: t.exposeInt('promotedCount', {
        description: 'People on the waitlist who got one of the seats added (each was mailed).',
      }),
      toldCount: t.exposeInt('toldCount', {
        description:
          'People registered for the session (seated or waiting) told by mail of its new time or room; 0 once the edition has ended.',
      }),
    }),
  });

const UpdateEventEditionPayload = builder
  .objectRef<{ edition: EventEdition; toldCount: number }>('UpdateEventEditionPayload')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      edition: t.field({ type: EventEditionNode, resolve: (p) => p.edition }),
      toldCount: t.exposeInt('toldCount', {
        description: 'People registered who were told of new dates by mail (0 when the dates stay).',
      }),
    }),
  });
const CancelSessionPayload = builder
  .objectRef<{ edition: EventEdition; toldCount: number }>('CancelSessionPayload')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      edition: t.field({
        type: EventEditionNode,
        description: 'The edition, its programme without the session.',
        resolve: (p) => p.edition,
      }),
      toldCount: t.exposeInt('toldCount', {
        description: 'People who had a seat or waited for the session, each told by mail.',
      }),
    }),
  });

builder.mutationFields((t) => ({
  createEvent: t.field({
    type: EventPayload,
    description: 'Starts an event series for your organisation (its event organisers and admins).',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: CreateEventInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      event: await createEvent(ctx.prisma, ctx.viewer, { ...input, organisationId: input.organisationId.id }),
    }),
  }),
  createEventEdition: t.field({
    type: EventEditionPayload,
    description:
      'Adds an edition (DRAFT) to a series you organise, with the organisations invited: each gets a registration code.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: CreateEventEditionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      edition: await createEventEdition(ctx.prisma, ctx.viewer, {
        ...input,
        eventId: input.eventId.id,
        venueSiteId: input.venueSiteId?.id ?? null,
        invitedOrganisationIds: input.invitedOrganisationIds?.map((o) => o.id) ?? [],
      }),
    }),
  }),
  updateEventEdition: t.field({
    type: UpdateEventEditionPayload,
    description:
      'Changes an edition you organise; `status: OPEN` publishes it and opens registration. Moved to another day, its programme moves with it (each session at the same time of day); dates that would leave a session outside the edition are refused (`SESSIONS_OUTSIDE`). Once published, new dates are told by mail to everyone registered. A stale `expectedVersion` changes nothing.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError] },
    args: { input: t.arg({ type: UpdateEventEditionInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateEventEdition(
        ctx.prisma,
        ctx.accounts,
        ctx.viewer,
        {
          ...input,
          id: input.id.id,
          venueSiteId: input.venueSiteId === undefined ? undefined : (input.venueSiteId?.id ?? null),
        },
        ctx.now(),
      ),
  }),
  inviteOrganisations: t.field({
    type: EventEditionPayload,
    description:
      'Invites more organisations to an edition you organise (those already invited keep their code).',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: InviteOrganisationsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      edition: await inviteOrganisations(
        ctx.prisma,
        ctx.viewer,
        input.editionId.id,
        input.organisationIds.map((o) => o.id),
      ),
    }),
  }),
  withdrawInvitation: t.field({
    type: EventEditionPayload,
    description:
      'Withdraws an organisation’s invitation to an edition you organise: its code stops working at once; those already registered with it stay. Inviting it again gives a new code.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: WithdrawInvitationInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      edition: await withdrawInvitation(ctx.prisma, ctx.viewer, input.editionId.id, input.organisationId.id),
    }),
  }),
  createSession: t.field({
    type: EventSessionPayload,
    description: 'Adds a session to the programme of an edition you organise.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: CreateSessionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      session: await createSession(ctx.prisma, ctx.viewer, input.editionId.id, {
        ...input,
        speakers: input.speakers ?? [],
      }),
    }),
  }),
  updateSession: t.field({
    type: UpdateSessionPayload,
    description:
      'Changes a session of an edition you organise. While registration is open, seats added go to the people waiting, in order (each told by mail); never fewer seats than are taken. A stale `expectedVersion` changes nothing.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError] },
    args: { input: t.arg({ type: UpdateSessionInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateSession(ctx.prisma, ctx.accounts, ctx.viewer, { ...input, id: input.id.id }),
  }),
  cancelSession: t.field({
    type: CancelSessionPayload,
    description:
      'Takes a session off the programme of an edition you organise, before it starts: its seats and waitlist go with it, and everyone who had one is told by mail (their registration for the edition stands). A stale `expectedVersion` changes nothing.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError] },
    args: { input: t.arg({ type: CancelSessionInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      cancelSession(
        ctx.prisma,
        ctx.accounts,
        ctx.viewer,
        { id: input.id.id, expectedVersion: input.expectedVersion },
        ctx.now(),
      ),
  }),
}));
