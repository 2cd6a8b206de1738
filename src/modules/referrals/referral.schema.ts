/**
 * Referral, its person, events and messages. Visible only to case workers and admins of the two
 * organisations; any other caller gets "not found" through every path. Reading the person writes
 * an access-log row.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { ContactChannel, ReferralStatus, ReferralUrgency } from '../../generated/prisma/enums.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { referralOrganisationIds, visibleReferralsWhere } from './referral.access.ts';

export const ReferralStatusEnum = builder.enumType(ReferralStatus, { name: 'ReferralStatus' });
export const ReferralUrgencyEnum = builder.enumType(ReferralUrgency, { name: 'ReferralUrgency' });
export const ContactChannelEnum = builder.enumType(ContactChannel, { name: 'ContactChannel' });

const ReferralPersonRef = builder.prismaObject('ReferralPerson', {
  authScopes: { person: true },
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    initials: t.exposeString('initials', { nullable: true }),
    birthYear: t.exposeInt('birthYear', { nullable: true }),
    languages: t.exposeStringList('languages'),
    contactChannel: t.expose('contactChannel', { type: ContactChannelEnum, nullable: true }),
    contact: t.exposeString('contact', { nullable: true }),
    interpreterNeeded: t.exposeBoolean('interpreterNeeded'),
  }),
});

export const ReferralNode = builder.prismaNode('Referral', {
  description: 'A referral of a person from one organisation to another organisation’s offer.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleReferralsWhere(ctx.viewer)] }),
  // Visibility is applied where referrals are loaded (node, lists); the type itself needs a person.
  authScopes: { person: true },
  fields: (t) => ({
    reference: t.exposeString('reference'),
    status: t.expose('status', { type: ReferralStatusEnum }),
    urgency: t.expose('urgency', { type: ReferralUrgencyEnum }),
    version: t.exposeInt('version'),
    needs: t.exposeString('needs'),
    needThemes: t.relation('needThemes'),
    senderOrganisation: t.relation('senderOrganisation'),
    receiverOrganisation: t.relation('receiverOrganisation'),
    offer: t.relation('offer', {
      nullable: true,
      description: 'Null when the offer is no longer visible to you (e.g. withdrawn).',
    }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    firstAnswerAt: t.expose('firstAnswerAt', { type: 'DateTime', nullable: true }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    statusReason: t.exposeString('statusReason', { nullable: true }),
    outcome: t.exposeString('outcome', { nullable: true }),
    waitlisted: t.exposeBoolean('waitlisted'),
    person: t.field({
      type: ReferralPersonRef,
      nullable: true,
      description: 'The referred person. Every read is logged for the two organisations’ admins.',
      // Loaded with the referral (no extra query); the read is recorded before it is answered.
      select: {
        person: true,
        senderOrganisationId: true,
        receiverOrganisationId: true,
        consents: { select: { withdrawnAt: true } },
      },
      resolve: async (referral, _args, ctx) => {
        if (!referral.person || !ctx.viewer) return referral.person;
        const viewer = ctx.viewer;
        // Once the person withdrew their consent, the receiving side no longer sees them.
        const consented = referral.consents.some((c) => !c.withdrawnAt);
        const sender = viewer.kind === 'user' && viewer.roles.has(referral.senderOrganisationId);
        if (!consented && !sender) return null;
        const sides = [referral.senderOrganisationId, referral.receiverOrganisationId];
        await ctx.prisma.personDataAccess.create({
          data: {
            referralId: referral.id,
            organisationId:
              viewer.kind === 'user'
                ? (sides.find((o) => viewer.roles.has(o)) ?? sides[0]!)
                : viewer.organisationId,
            userId: viewer.kind === 'user' ? viewer.userId : null,
            apiClientId: viewer.kind === 'apiClient' ? viewer.apiClientId : null,
          },
        });
        return referral.person;
      },
    }),
    events: t.relation('events', { query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
    messages: t.relation('messages', { query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
    assignee: t.relation('assignee', { nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('ReferralMessage', {
  authScopes: { person: true },
  fields: (t) => ({
    body: t.exposeString('body'),
    authorOrganisationId: t.id({
      description: 'Global ID of the organisation (side) that wrote it.',
      resolve: (m) => encodeGlobalID('Organisation', m.authorOrganisationId),
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.prismaObject('ReferralEvent', {
  authScopes: { person: true },
  fields: (t) => ({
    type: t.exposeString('type'),
    fromStatus: t.expose('fromStatus', { type: ReferralStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: ReferralStatusEnum, nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const ReferralBox = builder.enumType('ReferralBox', {
  values: {
    INCOMING: { description: 'Received by your organisations.' },
    OUTGOING: { description: 'Sent by them.' },
  } as const,
});

builder.queryFields((t) => ({
  referral: t.prismaField({
    type: 'Referral',
    nullable: true,
    description: 'A referral by its reference; null when unknown or not yours to see.',
    authScopes: { public: true },
    args: { reference: t.arg.string({ required: true }) },
    resolve: (query, _root, { reference }, ctx) =>
      ctx.prisma.referral.findFirst({
        ...query,
        where: { reference, AND: [visibleReferralsWhere(ctx.viewer)] },
      }),
  }),
  referrals: t.prismaConnection({
    type: 'Referral',
    cursor: 'id',
    description: "Your organisations' incoming or outgoing referrals, newest first.",
    authScopes: { public: true },
    args: {
      box: t.arg({ type: ReferralBox, required: true }),
      status: t.arg({ type: [ReferralStatusEnum] }),
      overdue: t.arg.boolean({ description: 'Only referrals with no first answer by their due date.' }),
      reference: t.arg.string(),
    },
    totalCount: (_parent, args, ctx) => ctx.prisma.referral.count({ where: inbox(args, ctx) }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.referral.findMany({
        ...query,
        where: inbox(args, ctx),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

function inbox(
  args: {
    box: 'INCOMING' | 'OUTGOING';
    status?: ReferralStatus[] | null;
    overdue?: boolean | null;
    reference?: string | null;
  },
  ctx: { viewer: Viewer | null },
): Prisma.ReferralWhereInput {
  const orgs = referralOrganisationIds(ctx.viewer);
  return {
    ...(args.box === 'INCOMING'
      ? { receiverOrganisationId: { in: orgs } }
      : { senderOrganisationId: { in: orgs } }),
    ...(args.status?.length ? { status: { in: args.status } } : {}),
    ...(args.overdue ? { status: 'SENT', firstAnswerAt: null, dueAt: { lt: new Date() } } : {}),
    ...(args.reference ? { reference: args.reference.trim().toUpperCase() } : {}),
  };
}

const StatusCount = builder
  .objectRef<{ status: ReferralStatus; count: number }>('ReferralStatusCount')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      status: t.field({ type: ReferralStatusEnum, resolve: (c) => c.status }),
      count: t.exposeInt('count'),
    }),
  });

builder.queryField('referralStatusCounts', (t) =>
  t.field({
    type: [StatusCount],
    description: 'How many of your incoming or outgoing referrals are in each status (all statuses listed).',
    authScopes: { public: true },
    args: { box: t.arg({ type: ReferralBox, required: true }) },
    resolve: async (_root, args, ctx) => {
      const groups = await ctx.prisma.referral.groupBy({
        by: ['status'],
        where: inbox(args, ctx),
        _count: { _all: true },
      });
      return Object.values(ReferralStatus).map((status) => ({
        status,
        count: groups.find((g) => g.status === status)?._count._all ?? 0,
      }));
    },
  }),
);
