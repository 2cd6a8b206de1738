/**
 * Registrations in GraphQL. A registration's global ID is seen by the edition's organisers and by
 * the admins of the participant's organisation (events.access.ts#visibleRegistrationsWhere); the
 * participant reads theirs through the manage token (`registrationByToken`), as `Registration`
 * too. Accessibility needs: organisers only.
 */
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { EventSession, Registration, RegistrationSeat } from '../../generated/prisma/client.ts';
import {
  ParticipantCategory,
  RegistrationSource,
  RegistrationStatus,
  SeatStatus,
} from '../../generated/prisma/enums.ts';
import { asUuid } from '../../shared/ids.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { EventEditionNode, EventSessionNode } from './event.schema.ts';
import { organises, visibleRegistrationsWhere } from './events.access.ts';

export const ParticipantCategoryEnum = builder.enumType(ParticipantCategory, {
  name: 'ParticipantCategory',
  description:
    'Partner staff, volunteer, commune or ministry (PUBLIC_SECTOR), press, speaker, organiser, or other.',
});
export const RegistrationSourceEnum = builder.enumType(RegistrationSource, {
  name: 'RegistrationSource',
  description:
    'SELF: with the organisation’s code; ORGANISATION: by its admin; ORGANISER: by the organisers.',
});
export const RegistrationStatusEnum = builder.enumType(RegistrationStatus, { name: 'RegistrationStatus' });
export const SeatStatusEnum = builder.enumType(SeatStatus, {
  name: 'SeatStatus',
  description: 'CONFIRMED: a seat; WAITLISTED: waiting, promoted in order when someone cancels.',
});

/**
 * The request reads a registration through its manage token: the participant themself. Set by
 * `registrationByToken` on the context, for the fields only the participant and organisers read.
 */
const tokenReaders = new WeakMap<Context, Set<string>>();
export function markReadByToken(ctx: Context, registrationId: string): void {
  let ids = tokenReaders.get(ctx);
  if (!ids) tokenReaders.set(ctx, (ids = new Set()));
  ids.add(registrationId);
}
export function readByToken(ctx: Context, registrationId: string): boolean {
  return tokenReaders.get(ctx)?.has(registrationId) ?? false;
}

/** Organisers of the registration's edition (loaded once per request and edition). */
async function organisesEditionOf(ctx: Context, r: Registration): Promise<boolean> {
  const edition = await ctx.prisma.eventEdition.findUniqueOrThrow({
    where: { id: r.editionId },
    select: { organisationId: true },
  });
  return organises(ctx.viewer, edition.organisationId);
}

export const RegistrationNode = builder.prismaNode('Registration', {
  description:
    'A person registered for an edition: seen by its organisers, by the admins of the person’s organisation, and by the person through the manage link.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleRegistrationsWhere(ctx.viewer)] }),
  authScopes: { public: true },
  fields: (t) => ({
    // Plain fields, not relations: Pothos reloads a relation's parent through `findUnique` above,
    // which a person reading with their manage token does not pass.
    edition: t.field({
      type: EventEditionNode,
      resolve: (r, _args, ctx) => ctx.prisma.eventEdition.findUniqueOrThrow({ where: { id: r.editionId } }),
    }),
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The hub organisation the person works for, when it is one.',
      resolve: (r, _args, ctx) =>
        r.organisationId ? ctx.prisma.organisation.findUnique({ where: { id: r.organisationId } }) : null,
    }),
    organisationName: t.exposeString('organisationName', {
      nullable: true,
      description: 'The organisation’s name (the hub’s, or as the person wrote it).',
    }),
    function: t.exposeString('function', { nullable: true }),
    category: t.expose('category', { type: ParticipantCategoryEnum }),
    accessibilityNeeds: t.string({
      nullable: true,
      description:
        'What the person needs to take part: for the organisers only (and the person), erased after the event.',
      resolve: async (r, _args, ctx) =>
        readByToken(ctx, r.id) || (await organisesEditionOf(ctx, r)) ? r.accessibilityNeeds : null,
    }),
    showName: t.exposeBoolean('showName', { description: 'Agrees to appear by name on the public list.' }),
    showOrganisation: t.exposeBoolean('showOrganisation', {
      description: 'Agrees to show the organisation on the public list.',
    }),
    showFunction: t.exposeBoolean('showFunction', {
      description: 'Agrees to show the function on the public list.',
    }),
    contactable: t.exposeBoolean('contactable', {
      description: 'Agrees to be found by other participants and asked to exchange contacts.',
    }),
    locale: t.exposeString('locale', { description: 'The language messages are written in.' }),
    source: t.expose('source', { type: RegistrationSourceEnum }),
    status: t.expose('status', { type: RegistrationStatusEnum }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
    checkedInAt: t.expose('checkedInAt', { type: 'DateTime', nullable: true }),
    badgeCode: t.string({
      nullable: true,
      description: 'The badge’s code (in its QR code): for the organisers and the person.',
      resolve: async (r, _args, ctx) =>
        readByToken(ctx, r.id) || (await organisesEditionOf(ctx, r)) ? r.badgeCode : null,
    }),
    version: t.exposeInt('version', { description: 'Send it back as `expectedVersion` when updating.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    seats: t.field({
      type: [RegistrationSeatRef],
      description: 'The sessions chosen: a seat, or a place on the waitlist.',
      // With their sessions, read once for all seats. A session taken off the programme between
      // the two reads (`cancelSession`) took its seats with it: such a seat is left out.
      resolve: async (r, _args, ctx) => {
        const seats = await ctx.prisma.registrationSeat.findMany({
          where: { registrationId: r.id },
          orderBy: [{ session: { startsAt: 'asc' } }, { sessionId: 'asc' }],
        });
        if (seats.length === 0) return [];
        const sessions = await ctx.prisma.eventSession.findMany({
          where: { id: { in: seats.map((seat) => seat.sessionId) } },
        });
        const byId = new Map(sessions.map((session) => [session.id, session]));
        return seats.flatMap((seat) => {
          const session = byId.get(seat.sessionId);
          return session ? [{ ...seat, session }] : [];
        });
      },
    }),
  }),
});

const RegistrationSeatRef = builder.prismaObject('RegistrationSeat', {
  description: 'A session chosen by a registration.',
  authScopes: { public: true },
  fields: (t) => ({
    session: t.field({
      type: EventSessionNode,
      // `Registration.seats`, the only field that gives seats, hands each one with its session.
      resolve: (seat) => (seat as RegistrationSeat & { session: EventSession }).session,
    }),
    status: t.expose('status', { type: SeatStatusEnum }),
    waitlistPosition: t.int({
      nullable: true,
      description: 'Place on the waitlist (1: next to be promoted); null with a seat.',
      // In SQL: `queuedAt` has microseconds (a JS Date keeps milliseconds), and ties go by
      // registration id, exactly as promotion takes them (registration.service.ts#promote).
      resolve: async (s, _args, ctx) => {
        if (s.status !== 'WAITLISTED') return null;
        const [row] = await ctx.prisma.$queryRaw<{ ahead: number }[]>`
          SELECT count(*)::int AS ahead FROM "RegistrationSeat" w, "RegistrationSeat" me
          WHERE me."registrationId" = ${s.registrationId}::uuid AND me."sessionId" = ${s.sessionId}::uuid
            AND w."sessionId" = me."sessionId" AND w.status = 'WAITLISTED'
            AND (w."queuedAt", w."registrationId") < (me."queuedAt", me."registrationId")`;
        return 1 + (row?.ahead ?? 0);
      },
    }),
  }),
});
