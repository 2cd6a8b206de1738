/**
 * Check-in in the API: the `CheckIn` node (one scan, or its undoing), `Registration.checkIns`,
 * the mutations `checkInParticipant` and `undoCheckIn` (rules: check-in.service.ts), and the live
 * arrivals `eventCheckIns(editionId, after)`, fed by the outbox (EVENT_CHECK_IN rows, written by
 * the CheckIn trigger of migration `events`) like `guideAlerts`: replay after the cursor, then
 * live, in order; it ends with ACCESS_CHANGED when the viewer's access changes. Who hears:
 * events.access.ts#hearsCheckIns (the edition's organisers). A notice carries ids, the
 * participant's organisation and category, never a name; `registration` and `counts` are read
 * when the notice is delivered, with the usual rules.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { builder, type InputFields } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { ParticipantCategory } from '../../generated/prisma/enums.ts';
import {
  ForbiddenError,
  IdempotencyConflictError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { outboxStream, parseCursor, type StreamItem } from '../realtime/outbox-stream.ts';
import type { OutboxRow } from '../realtime/outbox-tail.ts';
import { realtimeOf } from '../realtime/realtime.schema.ts';
import { checkInParticipant, undoCheckIn, type ScanInput, type ScanResult } from './check-in.service.ts';
import { EventEditionNode } from './event.schema.ts';
import {
  hearsCheckIns,
  organisedEditionsWhere,
  organiserOrganisationIds,
  visibleCheckInsWhere,
  visibleRegistrationsWhere,
} from './events.access.ts';
import { BadgeOtherEditionError } from './events.errors.ts';
import { ParticipantCountsRef } from './participants.schema.ts';
import { participantCounts, type ParticipantCounts } from './participants.service.ts';
import { ParticipantCategoryEnum, RegistrationNode } from './registration.schema.ts';

export const CheckInNode = builder.prismaNode('CheckIn', {
  description:
    'One scan of a badge at the door (an arrival), or its undoing, as the scanner recorded it. For the edition’s organisers.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleCheckInsWhere(ctx.viewer)] }),
  authScopes: { public: true },
  fields: (t) => ({
    edition: t.relation('edition'),
    registration: t.relation('registration'),
    arrived: t.exposeBoolean('arrived', { description: 'true: an arrival; false: a check-in undone.' }),
    scannerKey: t.exposeString('scannerKey', { description: 'The scanner that read the badge.' }),
    scanId: t.exposeString('scanId', { description: 'The scanner’s own id for the scan.' }),
    scannedAt: t.expose('scannedAt', {
      type: 'DateTime',
      description: 'When the scanner read the badge, by its own clock: the order that counts.',
    }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When the hub recorded it.' }),
  }),
});

builder.prismaObjectField('Registration', 'checkIns', (t) =>
  t.relation('checkIns', {
    description:
      'Scans of the badge, latest (scanner time) first: for the edition’s organisers, empty for anyone else.',
    query: (_args, ctx) => ({
      where: visibleCheckInsWhere(ctx.viewer),
      orderBy: [{ scannedAt: 'desc' }, { recordedAt: 'desc' }, { id: 'desc' }],
    }),
  }),
);

const scanFields = (t: InputFields) => ({
  editionId: t.globalID({ required: true, for: [EventEditionNode] }),
  badgeCode: t.string({
    required: true,
    description: 'The code read from the badge (its QR code holds it).',
    validate: z.string().trim().min(1).max(100),
  }),
  scannerKey: t.string({
    required: true,
    description: 'The scanner’s own stable key (a device id, or a person’s).',
    validate: z.string().min(1).max(100),
  }),
  scanId: t.string({
    required: true,
    description:
      'The scanner’s id for this scan: sending the same scan again (an offline queue re-syncing) records nothing more.',
    validate: z.string().min(1).max(100),
  }),
  scannedAt: t.field({
    type: 'DateTime',
    required: true,
    description:
      'When the scanner read the badge, by its own clock. The latest scan decides whether someone is in, whatever order scans arrive in.',
  }),
});

const CheckInParticipantInput = builder.inputType('CheckInParticipantInput', {
  fields: (t) => scanFields(t),
});
const UndoCheckInInput = builder.inputType('UndoCheckInInput', { fields: (t) => scanFields(t) });

type ScanArg = typeof CheckInParticipantInput.$inferInput;
const scanOf = (input: ScanArg): ScanInput => ({
  editionId: input.editionId.id,
  badgeCode: input.badgeCode,
  scannerKey: input.scannerKey,
  scanId: input.scanId,
  scannedAt: input.scannedAt,
});

const payload = (name: string, description: string) =>
  builder.objectRef<ScanResult>(name).implement({
    description,
    authScopes: { authenticated: true },
    fields: (t) => ({
      checkIn: t.field({ type: CheckInNode, resolve: (r) => r.checkIn }),
      registration: t.field({
        type: RegistrationNode,
        description: 'The participant as now: `checkedInAt` says whether (and since when) they are in.',
        resolve: (r) => r.registration,
      }),
    }),
  });

const SCAN_ERRORS = [
  InvalidInputError,
  NotFoundError,
  ForbiddenError,
  BadgeOtherEditionError,
  InvalidTransitionError,
  IdempotencyConflictError,
];

builder.mutationFields((t) => ({
  checkInParticipant: t.field({
    type: payload(
      'CheckInParticipantPayload',
      'The scan as recorded (or as first recorded, when sent again).',
    ),
    description:
      'An organiser’s scanner records an arrival by the badge’s code. Sending the same scan (scannerKey + scanId) again returns the first answer and records nothing more. Unknown badge: NotFoundError; another edition’s badge: BadgeOtherEditionError; a cancelled registration: InvalidTransitionError.',
    authScopes: { authenticated: true },
    errors: { types: SCAN_ERRORS },
    args: { input: t.arg({ type: CheckInParticipantInput, required: true }) },
    resolve: (_root, { input }, ctx) => checkInParticipant(ctx.prisma, ctx.viewer, scanOf(input)),
  }),
  undoCheckIn: t.field({
    type: payload('UndoCheckInPayload', 'The undoing as recorded (or as first recorded, when sent again).'),
    description:
      'An organiser’s scanner undoes a check-in (records arrived: false). Idempotent and ordered by `scannedAt` like `checkInParticipant`.',
    authScopes: { authenticated: true },
    errors: { types: SCAN_ERRORS },
    args: { input: t.arg({ type: UndoCheckInInput, required: true }) },
    resolve: (_root, { input }, ctx) => undoCheckIn(ctx.prisma, ctx.viewer, scanOf(input)),
  }),
}));

// --- Live arrivals -----------------------------------------------------------------------------

/** What the CheckIn trigger puts in the outbox row (migration `events`). */
interface CheckInPayload {
  checkIn: {
    id: string;
    eventId: string;
    editionId: string;
    registrationId: string;
    organisationId: string | null;
    category: ParticipantCategory;
    arrived: boolean;
    scannedAt: string;
    recordedAt: string;
  };
}
const checkInOf = (row: OutboxRow) => (row.payload as unknown as CheckInPayload).checkIn;

const EventCheckInNotice = builder.objectRef<OutboxRow>('EventCheckInNotice').implement({
  description:
    'A badge scanned at an edition you organise (an arrival or its undoing), as it happens; with the counts as they are when it reaches you.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass it as `after` when subscribing again to receive what follows.',
      resolve: (row) => row.seq.toString(),
    }),
    checkInId: t.id({ resolve: (row) => encodeGlobalID('CheckIn', checkInOf(row).id) }),
    registrationId: t.id({ resolve: (row) => encodeGlobalID('Registration', checkInOf(row).registrationId) }),
    organisationId: t.id({
      nullable: true,
      description: 'The participant’s hub organisation; null for one written by hand.',
      resolve: (row) => {
        const id = checkInOf(row).organisationId;
        return id ? encodeGlobalID('Organisation', id) : null;
      },
    }),
    organisation: t.prismaField({
      type: 'Organisation',
      nullable: true,
      resolve: (query, row, _args, ctx) => {
        const id = checkInOf(row).organisationId;
        return id ? ctx.prisma.organisation.findUnique({ ...query, where: { id } }) : null;
      },
    }),
    category: t.field({ type: ParticipantCategoryEnum, resolve: (row) => checkInOf(row).category }),
    arrived: t.boolean({
      description: 'true: an arrival; false: a check-in undone.',
      resolve: (row) => checkInOf(row).arrived,
    }),
    scannedAt: t.field({
      type: 'DateTime',
      description: 'By the scanner’s clock.',
      resolve: (row) => new Date(checkInOf(row).scannedAt),
    }),
    recordedAt: t.field({ type: 'DateTime', resolve: (row) => new Date(checkInOf(row).recordedAt) }),
    registration: t.prismaField({
      type: 'Registration',
      nullable: true,
      description: 'The participant as now (one query; null if you may no longer see them).',
      resolve: (query, row, _args, ctx) =>
        ctx.prisma.registration.findFirst({
          ...query,
          where: { id: checkInOf(row).registrationId, AND: [visibleRegistrationsWhere(ctx.viewer)] },
        }),
    }),
    counts: t.field({
      type: ParticipantCountsRef,
      nullable: true,
      description:
        'The edition’s counts (arrived by organisation and category), read after this arrival was recorded: one statement per burst of notices; leave it out to save it.',
      resolve: (row, _args, ctx) => noticeCounts(ctx, row),
    }),
  }),
});

/**
 * The counts a notice carries. Notices of one subscription are resolved one after the other; in a
 * burst of arrivals the counts read for one already include the next ones: they are read once per
 * position of this process's outbox tail (every row up to it was committed before the read) and
 * kept for the notices up to that position. Per subscription (its context), never shared.
 */
const countsRead = new WeakMap<Context, { upTo: bigint; counts: Promise<ParticipantCounts | null> }>();
function noticeCounts(ctx: Context, row: OutboxRow): Promise<ParticipantCounts | null> {
  const last = countsRead.get(ctx);
  if (last && last.upTo >= row.seq) return last.counts;
  // The row is routed to the edition's organising organisation (the trigger writes it there).
  const organisationId = row.organisationIds[0];
  if (!organisationId) return Promise.resolve(null);
  const upTo = ctx.realtime && ctx.realtime.tail.position > row.seq ? ctx.realtime.tail.position : row.seq;
  const counts = participantCounts(ctx.prisma, ctx.viewer, { id: checkInOf(row).editionId, organisationId });
  countsRead.set(ctx, { upTo, counts });
  // A failed read is not kept: the next notice reads again.
  counts.catch(() => countsRead.get(ctx)?.counts === counts && countsRead.delete(ctx));
  return counts;
}

function itemOf(item: StreamItem): OutboxRow {
  if ('end' in item) throw item.end;
  return item;
}

builder.subscriptionField('eventCheckIns', (t) =>
  t.field({
    type: EventCheckInNotice,
    description:
      'Arrivals (and undone check-ins) at an edition you organise, in order, with the live counts. With `after`, what you missed first.',
    authScopes: { authenticated: true },
    args: {
      editionId: t.arg.globalID({ required: true, for: [EventEditionNode] }),
      after: t.arg.string({ description: 'The `cursor` of the last notice you received.' }),
    },
    subscribe: async (_root, args, ctx) => {
      const editionId = asUuid(args.editionId.id);
      const organised = await ctx.prisma.eventEdition.count({
        where: { id: editionId, AND: [organisedEditionsWhere(ctx.viewer)] },
      });
      // The code every domain answers for an unknown or hidden object.
      if (!organised) throw new NotFoundError('edition');
      return outboxStream(realtimeOf(ctx), ctx.viewer, {
        after: parseCursor(args.after),
        accepts: (row) =>
          row.type === 'EVENT_CHECK_IN' &&
          checkInOf(row).editionId === editionId &&
          hearsCheckIns(ctx.viewer, row),
        organisationIds: organiserOrganisationIds(ctx.viewer),
      });
    },
    resolve: itemOf,
  }),
);
