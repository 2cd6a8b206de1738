/**
 * Referral, its person, events and messages. Visible only to case workers and admins of the two
 * organisations; any other caller gets "not found" through every path. Reading the person writes
 * an access-log row.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { Prisma, type ReferralEvent } from '../../generated/prisma/client.ts';
import {
  ContactChannel,
  DeclineReason,
  ReferralStatus,
  ReferralUrgency,
} from '../../generated/prisma/enums.ts';
import { asUuid, uuidv7 } from '../../shared/ids.ts';
import { connectionNodeSelections, connectionSelection, fieldsOf } from '../../shared/selection.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { ActorRef } from './referral-actor.schema.ts';
import { actorOf, actorOfEvent } from './referral-actor.ts';
import './referral-consent.schema.ts';
import {
  accessLogWhere,
  administersSide,
  incomingSql,
  incomingWhere,
  outgoingSql,
  outgoingWhere,
  personDataReader,
  referralOrganisationIds,
  viewerSeesReferral,
  viewerSides,
  visibleReferralsWhere,
  actingSide,
  ROUTING_COLUMNS,
  ROUTING_SELECT,
} from './referral.access.ts';
import { isOverdue, overdueSql, overdueWhere, OVERDUE_SELECT } from './referral-overdue.ts';
import { allowedSteps, type AllowedStep } from './referral-status.ts';
import {
  LAST_EVENT,
  lastEvents,
  referralCount,
  referralPage,
  TOTAL,
  type PageQuery,
  type PageRow,
} from './referral.sql.ts';
import { authReads, narrowShape, reads, shows } from '../../shared/db/prisma-json.ts';

const ReferralActionEnum = builder.enumType('ReferralAction', {
  description: 'A step of the status machine: the mutation `<action>Referral` takes it.',
  values: ['send', 'acknowledge', 'accept', 'decline', 'start', 'hold', 'resume', 'complete', 'cancel'].map(
    (a) => a.toUpperCase(),
  ),
});

const AllowedStepRef = builder.objectRef<AllowedStep>('ReferralAllowedStep').implement({
  description: 'A step the viewer may take now, as the side they act for.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    action: t.field({
      type: ReferralActionEnum,
      description:
        'The step; the mutation is `<action in lower case>Referral` (e.g. ACCEPT: acceptReferral).',
      resolve: (s) => s.action.toUpperCase(),
    }),
    to: t.field({ type: ReferralStatusEnum, resolve: (s) => s.to }),
    requires: t.string({
      nullable: true,
      description: '`reason` or `outcome`: the text the step must carry; null: none.',
      resolve: (s) => s.requires,
    }),
  }),
});

export const ReferralStatusEnum = builder.enumType(ReferralStatus, { name: 'ReferralStatus' });
export const ReferralUrgencyEnum = builder.enumType(ReferralUrgency, { name: 'ReferralUrgency' });
export const ContactChannelEnum = builder.enumType(ContactChannel, { name: 'ContactChannel' });
export const DeclineReasonEnum = builder.enumType(DeclineReason, {
  name: 'DeclineReason',
  description: 'Why a referral was declined, coded so that statistics show the gaps in the network.',
});

/**
 * Person reads of one request, written to the access log in one INSERT however many referrals a
 * page shows. The read is recorded before the person is answered.
 */
const accessLoggers = new WeakMap<
  Context,
  DataLoader<{ referralId: string; organisationId: string }, true, string>
>();

function logPersonRead(ctx: Context, referralId: string, organisationId: string): Promise<true> {
  let loader = accessLoggers.get(ctx);
  if (!loader) {
    const viewer = ctx.viewer;
    loader = new DataLoader(
      async (reads) => {
        // Hand-written: Prisma's createMany costs ~20 ms of CPU for a page of 50, this ~1 ms.
        await ctx.sql(Prisma.sql`
          insert into "PersonDataAccess" (id, "referralId", "organisationId", "userId", "apiClientId")
          select i, r, o, ${viewer?.kind === 'user' ? viewer.userId : null}::uuid,
                 ${viewer?.kind === 'apiClient' ? viewer.apiClientId : null}::uuid
          from unnest(${reads.map(() => uuidv7())}::uuid[], ${reads.map((r) => r.referralId)}::uuid[],
                      ${reads.map((r) => r.organisationId)}::uuid[]) as t(i, r, o)`);
        return reads.map(() => true as const);
      },
      { cacheKeyFn: (r) => r.referralId, maxBatchSize: 500 },
    );
    accessLoggers.set(ctx, loader);
  }
  return loader.load({ referralId, organisationId });
}

const lastEventLoaders = new WeakMap<Context, DataLoader<string, ReferralEvent | null>>();

/** The newest event of each referral a request shows, in one statement (`referral.sql.ts`). */
function lastEventLoader(ctx: Context): DataLoader<string, ReferralEvent | null> {
  let loader = lastEventLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const byId = new Map((await lastEvents(ctx.sql, ids)).map((e) => [e.referralId, e]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    lastEventLoaders.set(ctx, loader);
  }
  return loader;
}

const ReferralPersonRef = builder.prismaObject('ReferralPerson', {
  authScopes: { authenticated: true },
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
  authScopes: { authenticated: true },
  fields: (t) => ({
    reference: t.exposeString('reference'),
    status: t.expose('status', { type: ReferralStatusEnum }),
    urgency: t.expose('urgency', { type: ReferralUrgencyEnum }),
    version: t.exposeInt('version'),
    needs: t.string({
      nullable: true,
      description:
        'What the person needs, as the sending side wrote it. Null for the receiving side once the person withdrew their consent (as `person`).',
      select: {
        needs: true,
        ...ROUTING_SELECT,
        consents: { select: { withdrawnAt: true } },
      },
      resolve: (r, _args, ctx) => (personDataReader(ctx.viewer, r) ? r.needs : null),
    }),
    needThemes: t.relation('needThemes'),
    senderOrganisation: t.relation('senderOrganisation'),
    receiverOrganisation: t.relation('receiverOrganisation'),
    offer: t.relation('offer', {
      nullable: true,
      description: 'The offer referred to (also once paused or withdrawn).',
    }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    overdue: t.boolean({
      description:
        'True while the referral is sent and has had no first answer by its due date (the `overdue` filter’s rule). Received, accepted or in progress, it is answered.',
      select: OVERDUE_SELECT,
      resolve: (r) => isOverdue(r, new Date()),
    }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    firstAnswerAt: t.expose('firstAnswerAt', { type: 'DateTime', nullable: true }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    statusReason: t.exposeString('statusReason', { nullable: true }),
    outcome: t.exposeString('outcome', { nullable: true }),
    waitlisted: t.exposeBoolean('waitlisted'),
    allowedSteps: t.field({
      type: [AllowedStepRef],
      description:
        'The steps the viewer may take now, as the side they act for (sender first): what a screen shows as buttons. Empty for a viewer who may only read.',
      extensions: reads('status', 'senderOrganisationId', 'receiverOrganisationId', 'sentAt'),
      resolve: (r, _args, ctx) => {
        const side = actingSide(ctx.viewer, r);
        return side ? allowedSteps(r.status, side.side) : [];
      },
    }),
    person: t.field({
      type: ReferralPersonRef,
      nullable: true,
      description:
        'The referred person. Every read is logged for the two organisations’ admins. Null once the person withdrew their consent (for the receiving side) or once retention anonymised it.',
      // Loaded with the referral (no extra query per row); reads are logged in one INSERT per request.
      // Only the person's columns the document asks for are read (and `anonymisedAt`, read here).
      extensions: shows('person', 'anonymisedAt'),
      select: {
        person: true,
        ...ROUTING_SELECT,
        consents: { select: { withdrawnAt: true } },
      },
      resolve: async (referral, _args, ctx) => {
        if (!referral.person || referral.person.anonymisedAt) return null;
        const reader = personDataReader(ctx.viewer, referral);
        if (!reader) return null;
        await logPersonRead(ctx, referral.id, reader.organisationId);
        return referral.person;
      },
    }),
    personAnonymised: t.boolean({
      description: 'True once retention removed the person data (the referral stays for statistics).',
      select: { person: { select: { anonymisedAt: true } } },
      resolve: (r) => !!r.person?.anonymisedAt,
    }),
    lastEvent: t.field({
      type: ReferralEventRef,
      nullable: true,
      description: 'The newest event of the history.',
      extensions: reads('id'),
      // Read with the inbox's page, or in one statement for all the referrals a request shows.
      resolve: (r, _args, ctx) => {
        const row = r as PageRow;
        return LAST_EVENT in row ? (row[LAST_EVENT] ?? null) : lastEventLoader(ctx).load(r.id);
      },
    }),
    personAccessLog: t.relation('accesses', {
      nullable: true,
      description:
        'Who read the person data of this referral, newest first. Only for the admins of the two organisations (null for others).',
      query: { orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 500 },
      authScopes: (r, _args, ctx) => administersSide(ctx.viewer, r),
      extensions: authReads(...ROUTING_COLUMNS),
      unauthorizedResolver: () => null,
    }),
    declineReason: t.expose('declineReason', { type: DeclineReasonEnum, nullable: true }),
    events: t.relation('events', { query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
    messages: t.relation('messages', { query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
    assignee: t.relation('assignee', {
      nullable: true,
      description:
        'The case worker in charge, as a user account: for the receiving side (theirs) only; null for the sending side, which sees `assigneeName`.',
      authScopes: (r, _args, ctx) => viewerSides(ctx.viewer, r).some((s) => s.side === 'RECEIVER'),
      extensions: authReads(...ROUTING_COLUMNS),
      unauthorizedResolver: () => null,
    }),
    assigneeName: t.string({
      nullable: true,
      description: 'The name of the receiving side’s case worker in charge, for both sides.',
      select: { assignee: { select: { name: true } } },
      resolve: (r) => r.assignee?.name ?? null,
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('ReferralMessage', {
  authScopes: { authenticated: true },
  fields: (t) => ({
    body: t.exposeString('body'),
    authorOrganisationId: t.id({
      description: 'Global ID of the organisation (side) that wrote it.',
      resolve: (m) => encodeGlobalID('Organisation', m.authorOrganisationId),
    }),
    actor: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who wrote it (a person or an API client), for which organisation.',
      resolve: (m) => actorOf(m.authorUserId, m.authorApiClientId, m.authorOrganisationId),
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const ReferralEventRef = builder.prismaObject('ReferralEvent', {
  authScopes: { authenticated: true },
  fields: (t) => ({
    id: t.id({
      description: 'A global ID, as webhooks name the event (`data.event.id`).',
      resolve: (e) => encodeGlobalID('ReferralEvent', e.id),
    }),
    type: t.exposeString('type'),
    actor: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Who acted (a person or an API client), for which organisation; null for the hub itself.',
      resolve: (e) => actorOfEvent(e),
    }),
    fromStatus: t.expose('fromStatus', { type: ReferralStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: ReferralStatusEnum, nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.prismaObject('PersonDataAccess', {
  description: 'One read of a referral’s person data: who, for which organisation, when.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    organisation: t.relation('organisation', { description: 'The side the reader acted for.' }),
    readerName: t.string({
      description: 'The person who read it, or the API client (partner system) that did.',
      select: { user: { select: { name: true } }, apiClient: { select: { name: true } } },
      resolve: (a) => a.user?.name ?? (a.apiClient ? `API client ${a.apiClient.name}` : 'deleted account'),
    }),
    readerEmail: t.string({
      nullable: true,
      select: { user: { select: { email: true } } },
      resolve: (a) => a.user?.email ?? null,
    }),
    referral: t.field({
      type: ReferralNode,
      nullable: true,
      description: 'The referral whose person was read; null when you may not see it.',
      select: (_args, _ctx, nestedSelection) => ({ referral: nestedSelection(true) }),
      resolve: (a, _args, ctx) => (viewerSeesReferral(ctx.viewer, a.referral) ? a.referral : null),
    }),
  }),
});

const ReferralBox = builder.enumType('ReferralBox', {
  values: {
    INCOMING: { description: 'Received by your organisations.' },
    OUTGOING: { description: 'Sent by them.' },
  } as const,
});

const ReferralFilter = builder.inputType('ReferralFilter', {
  fields: (t) => ({
    status: t.field({ type: [ReferralStatusEnum], description: 'Any of these statuses.' }),
    assigneeId: t.globalID({ description: 'Assigned to this case worker (a User ID).' }),
    unassigned: t.boolean({ description: 'Only referrals nobody is assigned to.' }),
    overdue: t.boolean({
      description: 'Only overdue referrals: sent, and with no first answer by their due date.',
    }),
    reference: t.string({ description: 'Exactly this reference, e.g. REF-2026-000123.' }),
  }),
});

type Filter = typeof ReferralFilter.$inferInput;

/** Conditions of a ReferralFilter (the caller adds who may see what). */
function filterWhere(filter: Filter | null | undefined): Prisma.ReferralWhereInput[] {
  if (!filter) return [];
  const where: Prisma.ReferralWhereInput[] = [];
  if (filter.status?.length) where.push({ status: { in: filter.status } });
  if (filter.assigneeId) where.push({ assigneeUserId: asUuid(filter.assigneeId.id) });
  if (filter.unassigned) where.push({ assigneeUserId: null });
  if (filter.overdue) where.push(overdueWhere(new Date()));
  if (filter.reference) where.push({ reference: filter.reference.trim().toUpperCase() });
  return where;
}

/** `filterWhere` as SQL on "Referral" aliased `r` (the inbox's own statement, `referral.sql.ts`). */
function filterSql(filter: Filter | null | undefined, now: Date): Prisma.Sql[] {
  if (!filter) return [];
  const where: Prisma.Sql[] = [];
  if (filter.status?.length) where.push(Prisma.sql`r.status = any(${filter.status}::"ReferralStatus"[])`);
  if (filter.assigneeId) where.push(Prisma.sql`r."assigneeUserId" = ${asUuid(filter.assigneeId.id)}::uuid`);
  if (filter.unassigned) where.push(Prisma.sql`r."assigneeUserId" is null`);
  if (filter.overdue) where.push(overdueSql(now));
  if (filter.reference) where.push(Prisma.sql`r.reference = ${filter.reference.trim().toUpperCase()}`);
  return where;
}

type InboxArgs = { box: 'INCOMING' | 'OUTGOING'; filter?: Filter | null };

/** An inbox: the viewer's organisations' incoming or outgoing referrals, filtered. */
export function inbox(args: InboxArgs, viewer: Viewer | null): Prisma.ReferralWhereInput {
  const orgs = referralOrganisationIds(viewer);
  return {
    AND: [args.box === 'INCOMING' ? incomingWhere(orgs) : outgoingWhere(orgs), ...filterWhere(args.filter)],
  };
}

/** `inbox` as SQL on "Referral" aliased `r`. */
export function inboxSql(args: InboxArgs, viewer: Viewer | null, now = new Date()): Prisma.Sql {
  const orgs = referralOrganisationIds(viewer);
  return Prisma.join(
    [args.box === 'INCOMING' ? incomingSql(orgs) : outgoingSql(orgs), ...filterSql(args.filter, now)],
    ' and ',
  );
}

/** The count a page statement read with its rows, by the connection's arguments (one request's). */
const pageTotals = new WeakMap<object, number>();

const NEWEST_FIRST = [
  { createdAt: 'desc' },
  { id: 'desc' },
] satisfies Prisma.ReferralOrderByWithRelationInput[];

/** The inbox page's row and last event, each read only as far as the query shows it (`narrowShape`). */
function pageShapes(query: PageQuery, info: GraphQLResolveInfo) {
  const { select, include, ...paging } = query;
  const nodes = connectionNodeSelections(info);
  const type = (name: string) => info.schema.getType(name) as GraphQLObjectType;
  const lastEvent = fieldsOf(nodes, info.fragments).get('lastEvent');
  return {
    query: {
      ...paging,
      ...narrowShape('Referral', { select, include }, type('Referral'), nodes, info.fragments),
    },
    lastEvent:
      lastEvent &&
      narrowShape(
        'ReferralEvent',
        {},
        type('ReferralEvent'),
        lastEvent.flatMap((n) => n.selectionSet?.selections ?? []),
        info.fragments,
      ),
  };
}

builder.queryFields((t) => ({
  referral: t.prismaField({
    type: 'Referral',
    nullable: true,
    description: 'A referral by its ID or its reference; null when unknown or not yours to see.',
    authScopes: { public: true },
    args: {
      id: t.arg.globalID({ for: [ReferralNode] }),
      reference: t.arg.string(),
    },
    resolve: (query, _root, { id, reference }, ctx) =>
      id || reference
        ? ctx.prisma.referral.findFirst({
            ...query,
            where: {
              ...(id ? { id: asUuid(id.id) } : {}),
              ...(reference ? { reference: reference.trim().toUpperCase() } : {}),
              AND: [visibleReferralsWhere(ctx.viewer)],
            },
          })
        : null,
  }),
  referrals: t.prismaConnection({
    type: 'Referral',
    cursor: 'id',
    description: "Your organisations' incoming or outgoing referrals, newest first.",
    authScopes: { public: true },
    args: {
      box: t.arg({ type: ReferralBox, required: true }),
      filter: t.arg({ type: ReferralFilter }),
    },
    // Counted with the page when it has rows (Pothos gives both resolvers the same `args`).
    totalCount: (_parent, args, ctx) =>
      pageTotals.get(args) ?? referralCount(ctx.sql, inboxSql(args, ctx.viewer)),
    // One statement for the page, its count and what it shows (`referral.sql.ts`); Prisma for the rest.
    resolve: async (query, _root, args, ctx, info) => {
      const shown = pageShapes(query, info);
      const page = await referralPage(ctx.sql, shown.query, inboxSql(args, ctx.viewer), {
        lastEvent: shown.lastEvent,
        count: connectionSelection(info).has('totalCount'),
      });
      const total = page?.[0]?.[TOTAL];
      if (total !== undefined) pageTotals.set(args, total);
      return (
        page ??
        ctx.prisma.referral.findMany({ ...query, where: inbox(args, ctx.viewer), orderBy: NEWEST_FIRST })
      );
    },
  }),
  personDataAccessLog: t.prismaConnection({
    type: 'PersonDataAccess',
    cursor: 'id',
    description:
      "Every read of the person data of referrals sent or received by this organisation, newest first: for the organisation's admins.",
    authScopes: { authenticated: true },
    args: { organisationId: t.arg.globalID({ required: true, for: [Organisation] }) },
    totalCount: (_parent, args, ctx) =>
      ctx.prisma.personDataAccess.count({
        where: accessLogWhere(ctx.viewer, asUuid(args.organisationId.id)),
      }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.personDataAccess.findMany({
        ...query,
        where: accessLogWhere(ctx.viewer, asUuid(args.organisationId.id)),
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

builder.prismaObjectField('Organisation', 'referrals', (t) =>
  t.prismaConnection({
    type: 'Referral',
    cursor: 'id',
    description:
      'Referrals this organisation received (INCOMING) or sent (OUTGOING) that you may see, newest first.',
    authScopes: { public: true },
    args: { box: t.arg({ type: ReferralBox, required: true }), filter: t.arg({ type: ReferralFilter }) },
    totalCount: (org, args, ctx) =>
      ctx.prisma.referral.count({ where: organisationBox(org.id, args, ctx.viewer) }),
    resolve: (query, org, args, ctx) =>
      ctx.prisma.referral.findMany({
        ...query,
        where: organisationBox(org.id, args, ctx.viewer),
        orderBy: NEWEST_FIRST,
      }),
  }),
);

function organisationBox(
  organisationId: string,
  args: { box: 'INCOMING' | 'OUTGOING'; filter?: Filter | null },
  viewer: Viewer | null,
): Prisma.ReferralWhereInput {
  return {
    AND: [
      args.box === 'INCOMING' ? incomingWhere([organisationId]) : outgoingWhere([organisationId]),
      visibleReferralsWhere(viewer),
      ...filterWhere(args.filter),
    ],
  };
}

builder.prismaObjectField('Offer', 'referrals', (t) =>
  t.relatedConnection('referrals', {
    description: 'Referrals to this offer that you may see, newest first.',
    cursor: 'id',
    authScopes: { public: true },
    args: { filter: t.arg({ type: ReferralFilter }) },
    totalCount: true,
    query: (args, ctx) => ({
      where: { AND: [visibleReferralsWhere(ctx.viewer), ...filterWhere(args.filter)] },
      orderBy: NEWEST_FIRST,
    }),
  }),
);

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
        where: inbox(args, ctx.viewer),
        _count: { _all: true },
      });
      return Object.values(ReferralStatus).map((status) => ({
        status,
        count: groups.find((g) => g.status === status)?._count._all ?? 0,
      }));
    },
  }),
);
