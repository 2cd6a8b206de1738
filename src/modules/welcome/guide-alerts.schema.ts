/**
 * Guide alerts in the API: `Guide.alerts`, `resolveGuideAlert`, and the subscription
 * `guideAlerts(after)`, fed by the outbox (GUIDE_ALERT rows, migration `guide_alerts`) like
 * `referralEvents`: replay after the cursor, then live, in order; it ends with ACCESS_CHANGED when
 * the viewer's access changes. Who hears is welcome.access.ts#guideAlertAudience (the guide's
 * organisation, the shelter's operator and partners); the list applies the same audience.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { GuideAlert } from '../../generated/prisma/client.ts';
import { ForbiddenError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { outboxStream, parseCursor, type StreamItem } from '../realtime/outbox-stream.ts';
import type { OutboxRow } from '../realtime/outbox-tail.ts';
import { realtimeOf } from '../realtime/realtime.schema.ts';
import {
  GUIDE_ALERT_KINDS,
  guideAlerts,
  resolveGuideAlert,
  type GuideAlertKind,
} from './guide-alerts.service.ts';
import {
  alertReadableGuidesWhere,
  guideAlertAudience,
  welcomeReaderOrganisationIds,
} from './welcome.access.ts';

export const GuideAlertKindEnum = builder.enumType('GuideAlertKind', {
  description: 'What changed in an offer of a guide.',
  values: {
    OFFER_PAUSED: { description: 'The provider paused the offer.' },
    OFFER_WITHDRAWN: { description: 'The provider withdrew the offer.' },
    OFFER_FULL: { description: 'The offer has no free place left and no waiting list.' },
    SCHEDULE_CHANGED: { description: "The offer's schedule changed." },
    SITE_CHANGED: { description: 'The offer moved: a site added or removed, or a site’s address changed.' },
  } as const satisfies Record<GuideAlertKind, unknown>,
});

const kindOf = (kind: string): GuideAlertKind =>
  (GUIDE_ALERT_KINDS as readonly string[]).includes(kind) ? (kind as GuideAlertKind) : 'SCHEDULE_CHANGED';

export const GuideAlertNode = builder.prismaNode('GuideAlert', {
  description: "A change to an offer of a guide, for the guide's coordinators and the shelter's side.",
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), guide: alertReadableGuidesWhere(ctx.viewer) }),
  authScopes: { authenticated: true },
  fields: (t) => ({
    kind: t.field({ type: GuideAlertKindEnum, resolve: (a) => kindOf(a.kind) }),
    at: t.expose('at', { type: 'DateTime' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    guide: t.relation('guide'),
    item: t.relation('guideItem', { description: 'The entry whose offer changed.' }),
  }),
});

builder.prismaObjectFields('Guide', (t) => ({
  alerts: t.field({
    type: [GuideAlertNode],
    nullable: true,
    description:
      "What changed in the guide's offers, newest first. For the guide's organisation and the shelter's operator and partners; null for anyone else.",
    args: {
      unresolvedOnly: t.arg.boolean({ defaultValue: true, description: 'Only those not yet resolved.' }),
    },
    resolve: (guide, args, ctx) => guideAlerts(ctx.prisma, ctx.viewer, guide.id, args.unresolvedOnly ?? true),
  }),
}));

const ResolveGuideAlertInput = builder.inputType('ResolveGuideAlertInput', {
  fields: (t) => ({ id: t.globalID({ required: true, for: [GuideAlertNode] }) }),
});

const ResolveGuideAlertPayload = builder
  .objectRef<{ alert: GuideAlert }>('ResolveGuideAlertPayload')
  .implement({
    authScopes: { authenticated: true },
    fields: (t) => ({ alert: t.field({ type: GuideAlertNode, resolve: (p) => p.alert }) }),
  });

builder.mutationField('resolveGuideAlert', (t) =>
  t.field({
    type: ResolveGuideAlertPayload,
    description: "The guide's coordinators mark an alert as dealt with.",
    authScopes: { authenticated: true },
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: ResolveGuideAlertInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      alert: await resolveGuideAlert(ctx.prisma, ctx.viewer, input.id.id),
    }),
  }),
);

interface AlertPayload {
  alert: { id: string; kind: string; guideId: string; guideItemId: string; offerId: string; at: string };
}
const alertOf = (row: OutboxRow) => (row.payload as unknown as AlertPayload).alert;

const GuideAlertNotice = builder.objectRef<OutboxRow>('GuideAlertNotice').implement({
  description: 'An alert on a guide you follow, as it happens.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass it as `after` when subscribing again to receive what follows.',
      resolve: (row) => row.seq.toString(),
    }),
    alertId: t.id({ resolve: (row) => encodeGlobalID('GuideAlert', alertOf(row).id) }),
    kind: t.field({ type: GuideAlertKindEnum, resolve: (row) => kindOf(alertOf(row).kind) }),
    at: t.field({ type: 'DateTime', resolve: (row) => alertOf(row).at }),
    guideId: t.id({ resolve: (row) => encodeGlobalID('Guide', alertOf(row).guideId) }),
    guideItemId: t.id({ resolve: (row) => encodeGlobalID('GuideItem', alertOf(row).guideItemId) }),
    offerId: t.id({ resolve: (row) => encodeGlobalID('Offer', alertOf(row).offerId) }),
    alert: t.prismaField({
      type: 'GuideAlert',
      nullable: true,
      description: 'The alert as it is now (null if you may no longer see it).',
      resolve: (query, row, _args, ctx) =>
        ctx.prisma.guideAlert.findFirst({
          ...query,
          where: { id: alertOf(row).id, guide: alertReadableGuidesWhere(ctx.viewer) },
        }),
    }),
  }),
});

function itemOf(item: StreamItem): OutboxRow {
  if ('end' in item) throw item.end;
  return item;
}

function alertAccepts(ctx: Context): (row: OutboxRow) => boolean {
  return (row) =>
    row.type === 'GUIDE_ALERT' && guideAlertAudience(ctx.viewer, { organisationIds: row.organisationIds });
}

builder.subscriptionField('guideAlerts', (t) =>
  t.field({
    type: GuideAlertNotice,
    description:
      "Alerts on the guides you follow (your organisation's, and those of shelters you operate or work at), in order. With `after`, what you missed first.",
    authScopes: { authenticated: true },
    args: { after: t.arg.string({ description: 'The `cursor` of the last notice you received.' }) },
    subscribe: (_root, args, ctx) =>
      outboxStream(realtimeOf(ctx), ctx.viewer, {
        after: parseCursor(args.after),
        accepts: alertAccepts(ctx),
        organisationIds: welcomeReaderOrganisationIds(ctx.viewer),
      }),
    resolve: itemOf,
  }),
);
