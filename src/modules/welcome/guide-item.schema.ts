/**
 * GuideItem: an offer in a guide, with where it stands with its provider, and the steps
 * (guide-item.service.ts). The provider's inbox: `guideProposals`. Who sees what is
 * welcome.access.ts: the item per `visibleGuideItemsWhere`; its contact and a decline's reason
 * only from inside the guide (`insideGuidesWhere`: the guide's organisation, the shelter's
 * operator and partners, the providers), never for the public.
 */
import { isOutdated } from './versioned-text.ts';
import { decodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { GuideItem, Prisma } from '../../generated/prisma/client.ts';
import { GuideItemStatus } from '../../generated/prisma/enums.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { askedLanguages, LanguageEnum, TranslationInput } from '../catalogue/localized.schema.ts';
import { offerVisibility } from '../catalogue/catalogue.access.ts';
import { ScheduleEntryInput } from '../catalogue/offer.mutations.ts';
import { AudienceEnum, ContactRef, OfferNode, ScheduleEntryRef } from '../catalogue/offer.schema.ts';
import type { ScheduleEntry } from '../catalogue/schedule.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  asTranslations,
  LANGUAGES,
  localize,
  toTranslations,
  translationsInput,
  type Language,
} from '../catalogue/translations.ts';
import { allowedItemActions, type GuideItemAction } from './guide-item-status.ts';
import {
  answerGuideProposal,
  endGuideItem,
  makeGuideItemRegular,
  proposeGuideItem,
  updateGuideItem,
  withdrawGuideProposal,
} from './guide-item.service.ts';
import {
  guideItemSides,
  insideGuidesWhere,
  visibleGuideItemsWhere,
  welcomeReaderOrganisationIds,
} from './welcome.access.ts';

export const GuideItemStatusEnum = builder.enumType(GuideItemStatus, {
  name: 'GuideItemStatus',
  description:
    'Where a guide entry stands with its provider: PROPOSED → CONFIRMED (or DECLINED) by the provider → REGULAR → ENDED; WITHDRAWN by the guide side before an answer.',
});

const ACTION_NAMES: Record<GuideItemAction, string> = {
  confirm: 'CONFIRM',
  decline: 'DECLINE',
  withdraw: 'WITHDRAW',
  makeRegular: 'MAKE_REGULAR',
  end: 'END',
};
const GuideItemActionEnum = builder.enumType('GuideItemAction', {
  description: 'A step a viewer may take on a guide entry now.',
  values: {
    CONFIRM: { description: 'answerGuideProposal with CONFIRM (the provider).' },
    DECLINE: { description: 'answerGuideProposal with DECLINE (the provider).' },
    WITHDRAW: { description: 'withdrawGuideProposal (the guide side).' },
    MAKE_REGULAR: { description: 'makeGuideItemRegular (either side).' },
    END: { description: 'endGuideItem (either side).' },
  } as const,
});

/**
 * Per request: which of the items asked are matched by `where` (a rule of welcome.access.ts), in
 * one statement for all the items of a response.
 */
const ruleLoaders = new WeakMap<Context, Map<string, DataLoader<string, boolean>>>();
export function itemRule(
  ctx: Context,
  name: string,
  where: (ctx: Context) => Prisma.GuideItemWhereInput,
): DataLoader<string, boolean> {
  let byName = ruleLoaders.get(ctx);
  if (!byName) ruleLoaders.set(ctx, (byName = new Map<string, DataLoader<string, boolean>>()));
  let loader = byName.get(name);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await ctx.prisma.guideItem.findMany({
        where: { id: { in: [...ids] }, AND: [where(ctx)] },
        select: { id: true },
      });
      const found = new Set(rows.map((r) => r.id));
      return ids.map((id) => found.has(id));
    });
    byName.set(name, loader);
  }
  return loader;
}

/** The item is seen from inside its guide (not only because the guide is published). */
const inside = (ctx: Context, item: GuideItem) =>
  itemRule(ctx, 'inside', (c) => ({ guide: insideGuidesWhere(c.viewer) })).load(item.id);

interface NoteTranslation {
  language: Language;
  text: string;
  outdated: boolean;
}
const noteTranslations = (item: GuideItem, sourceLanguage: string): NoteTranslation[] => {
  const rank = (l: string) => (l === sourceLanguage ? -1 : (LANGUAGES as readonly string[]).indexOf(l));
  return Object.entries(asTranslations(item.relevanceNote))
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([language, text]) => ({
      language: language as Language,
      text,
      outdated: isOutdated(
        { sourceLanguage, version: item.noteVersion, translatedFrom: item.noteTranslatedFrom },
        language,
      ),
    }));
};

const GuideItemNote = builder
  .objectRef<{ text: string; language: Language; fallback: boolean; outdated: boolean }>('GuideItemNote')
  .implement({
    description: 'Why the entry matters to these residents, in the best language for the request.',
    authScopes: { public: true },
    fields: (t) => ({
      text: t.exposeString('text'),
      language: t.field({ type: LanguageEnum, resolve: (n) => n.language }),
      fallback: t.exposeBoolean('fallback', {
        description: 'True when not in the language asked for first.',
      }),
      outdated: t.exposeBoolean('outdated', {
        description: 'True when this translation was made from an older version of the source text.',
      }),
    }),
  });

const GuideItemNoteTranslation = builder.objectRef<NoteTranslation>('GuideItemNoteTranslation').implement({
  authScopes: { public: true },
  fields: (t) => ({
    language: t.field({ type: LanguageEnum, resolve: (n) => n.language }),
    text: t.exposeString('text'),
    outdated: t.exposeBoolean('outdated', {
      description: 'Translated from an older version of the source text (`noteVersion`).',
    }),
  }),
});

export const GuideItemNode = builder.prismaNode('GuideItem', {
  description: 'An offer in a guide, and where it stands with the organisation that provides it.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleGuideItemsWhere(ctx.viewer)] }),
  authScopes: { public: true },
  fields: (t) => ({
    guide: t.relation('guide'),
    offer: t.field({
      type: OfferNode,
      nullable: true,
      description:
        'The offer, as the catalogue shows it to you: null once it is no longer visible to you (paused or withdrawn, for anyone outside its organisation).',
      select: { offer: true },
      resolve: (item, _args, ctx) => (offerVisibility(ctx.viewer)(item.offer) ? item.offer : null),
    }),
    providerOrganisation: t.relation('providerOrganisation', {
      description: "The offer's organisation: it answers the proposal.",
    }),
    status: t.expose('status', { type: GuideItemStatusEnum }),
    position: t.exposeInt('position', { description: 'Order in the guide, smallest first.' }),
    relevanceNote: t.field({
      type: GuideItemNote,
      nullable: true,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      select: { guide: { select: { sourceLanguage: true } } },
      resolve: (item, { lang }, ctx) => {
        const note = localize(item.relevanceNote, askedLanguages(lang, ctx));
        if (!note) return null;
        const tr = noteTranslations(item, item.guide.sourceLanguage).find(
          (n) => n.language === note.language,
        );
        return { ...note, outdated: tr?.outdated ?? false };
      },
    }),
    relevanceNoteTranslations: t.field({
      type: [GuideItemNoteTranslation],
      select: { guide: { select: { sourceLanguage: true } } },
      resolve: (item) => noteTranslations(item, item.guide.sourceLanguage),
    }),
    noteVersion: t.exposeInt('noteVersion', {
      description:
        'Version of the note in the guide’s source language; translations record the one they were made from.',
    }),
    audiences: t.expose('audiences', { type: [AudienceEnum] }),
    languages: t.exposeStringList('languages', { description: 'Languages the activity is offered in here.' }),
    placesPerWeek: t.exposeInt('placesPerWeek', { nullable: true, description: 'Agreed with the provider.' }),
    weekday: t.exposeInt('weekday', {
      nullable: true,
      description: 'ISO weekday of the agreed day (1 Monday … 7 Sunday).',
    }),
    contact: t.field({
      type: ContactRef,
      nullable: true,
      description: 'Who to call about this entry: for the guide side and the provider, never the public.',
      resolve: async (item, _args, ctx) =>
        (item.contactName || item.contactPhone || item.contactEmail) && (await inside(ctx, item))
          ? { name: item.contactName, email: item.contactEmail, phone: item.contactPhone }
          : null,
    }),
    schedule: t.field({
      type: [ScheduleEntryRef],
      description: 'A regular entry’s own schedule (else the offer’s applies).',
      resolve: (item) => (Array.isArray(item.schedule) ? (item.schedule as unknown as ScheduleEntry[]) : []),
    }),
    closures: t.exposeStringList('closures', {
      description: 'Dates (YYYY-MM-DD) the activity does not take place, besides public holidays.',
    }),
    declineReason: t.string({
      nullable: true,
      description: 'Why the provider declined: for the guide side and the provider, never the public.',
      resolve: async (item, _args, ctx) =>
        item.declineReason && (await inside(ctx, item)) ? item.declineReason : null,
    }),
    verifiedAt: t.expose('verifiedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the provider last confirmed the entry ("verified on <date> by <verifiedBy>").',
    }),
    verifiedBy: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation that verified the entry (its provider), once it has.',
      select: { providerOrganisation: true },
      resolve: (item) => (item.verifiedAt ? item.providerOrganisation : null),
    }),
    version: t.exposeInt('version', { description: 'Send it back as `expectedVersion`.' }),
    allowedActions: t.field({
      type: [GuideItemActionEnum],
      description: 'The steps you may take on this entry now.',
      select: { guide: { select: { organisationId: true } } },
      resolve: (item, _args, ctx) =>
        allowedItemActions(item.status, guideItemSides(ctx.viewer, item)).map(
          (a) => ACTION_NAMES[a] as 'CONFIRM',
        ),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const GuideItemPayload = builder.objectRef<{ item: GuideItem }>('GuideItemPayload').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({ item: t.field({ type: GuideItemNode, resolve: (p) => p.item }) }),
});

const languageCodes = z
  .array(z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as fr, de or ar'))
  .max(20);
const note = translationsInput(1000);
const common = [InvalidInputError, NotFoundError, ForbiddenError] as const;
const stepErrors = [...common, InvalidTransitionError, VersionConflictError] as const;

const ProposeGuideItemInput = builder.inputType('ProposeGuideItemInput', {
  fields: (t) => ({
    guideId: t.id({ required: true, description: 'The guide’s global ID.' }),
    offerId: t.globalID({ required: true, for: [OfferNode], description: 'A published offer.' }),
    relevanceNote: t.field({
      type: [TranslationInput],
      description: 'Why it matters to these residents, per language (the guide’s source language first).',
      validate: note,
    }),
    audiences: t.field({ type: [AudienceEnum] }),
    languages: t.stringList({ validate: languageCodes }),
    position: t.int({ validate: z.number().int().min(0).max(10_000) }),
  }),
});

/** The raw id of a guide's global ID; any other ID finds nothing, as an unknown one. */
function guideRawId(id: string | number): string {
  try {
    const decoded = decodeGlobalID(String(id));
    return decoded.typename === 'Guide' ? decoded.id : '';
  } catch {
    return '';
  }
}

builder.mutationField('proposeGuideItem', (t) =>
  t.field({
    type: GuideItemPayload,
    description:
      'The guide side proposes a published offer to its organisation, with a note on why it matters.',
    authScopes: { authenticated: true },
    errors: { types: [...common, InvalidTransitionError] },
    args: { input: t.arg({ type: ProposeGuideItemInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      item: await proposeGuideItem(ctx.prisma, ctx.viewer, {
        guideId: guideRawId(input.guideId),
        offerId: input.offerId.id,
        relevanceNote: toTranslations(input.relevanceNote ?? []),
        audiences: input.audiences ?? [],
        languages: input.languages ?? [],
        position: input.position ?? null,
      }),
    }),
  }),
);

const DecisionEnum = builder.enumType('GuideProposalDecision', { values: ['CONFIRM', 'DECLINE'] as const });

const AnswerGuideProposalInput = builder.inputType('AnswerGuideProposalInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [GuideItemNode] }),
    decision: t.field({ type: DecisionEnum, required: true }),
    expectedVersion: t.int({ required: true, description: 'The `version` you read.' }),
    placesPerWeek: t.int({ validate: z.number().int().min(0).max(10_000) }),
    weekday: t.int({ description: '1 Monday … 7 Sunday.', validate: z.number().int().min(1).max(7) }),
    contactName: t.string({ validate: z.string().trim().max(200) }),
    contactPhone: t.string({ validate: z.string().trim().max(50) }),
    contactEmail: t.string({ validate: z.email('must be an e-mail address').max(200) }),
    reason: t.string({ description: 'Needed to decline.', validate: z.string().trim().max(2000) }),
  }),
});

builder.mutationField('answerGuideProposal', (t) =>
  t.field({
    type: GuideItemPayload,
    description:
      'The providing organisation confirms (with places per week, the day and a contact) or declines (with a reason) a proposal.',
    authScopes: { authenticated: true },
    errors: { types: [...stepErrors] },
    args: { input: t.arg({ type: AnswerGuideProposalInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      item: await answerGuideProposal(ctx.prisma, ctx.viewer, input.id.id, input),
    }),
  }),
);

const date = z.string().refine((d) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const parsed = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(d);
}, 'must be a date as YYYY-MM-DD');

const MakeGuideItemRegularInput = builder.inputType('MakeGuideItemRegularInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [GuideItemNode] }),
    expectedVersion: t.int({ required: true }),
    schedule: t.field({
      type: [ScheduleEntryInput],
      description: 'The standing arrangement’s own schedule (left out: the offer’s).',
      validate: z.array(z.unknown()).max(50),
    }),
    closures: t.stringList({
      description: 'Dates (YYYY-MM-DD) it does not take place, besides public holidays.',
      validate: z.array(date).max(366),
    }),
  }),
});

builder.mutationField('makeGuideItemRegular', (t) =>
  t.field({
    type: GuideItemPayload,
    description:
      'Either side makes a confirmed entry a standing arrangement, with its own schedule and closures.',
    authScopes: { authenticated: true },
    errors: { types: [...stepErrors] },
    args: { input: t.arg({ type: MakeGuideItemRegularInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      item: await makeGuideItemRegular(ctx.prisma, ctx.viewer, input.id.id, {
        expectedVersion: input.expectedVersion,
        schedule: (input.schedule ?? []) as ScheduleEntry[],
        closures: input.closures ?? [],
      }),
    }),
  }),
);

const ItemStepInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({
      id: t.globalID({ required: true, for: [GuideItemNode] }),
      expectedVersion: t.int({ required: true }),
    }),
  });
const EndGuideItemInput = ItemStepInput('EndGuideItemInput');
const WithdrawGuideProposalInput = ItemStepInput('WithdrawGuideProposalInput');

builder.mutationField('endGuideItem', (t) =>
  t.field({
    type: GuideItemPayload,
    description: 'Either side ends a confirmed or regular entry.',
    authScopes: { authenticated: true },
    errors: { types: [...stepErrors] },
    args: { input: t.arg({ type: EndGuideItemInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      item: await endGuideItem(ctx.prisma, ctx.viewer, input.id.id, input.expectedVersion),
    }),
  }),
);

builder.mutationField('withdrawGuideProposal', (t) =>
  t.field({
    type: GuideItemPayload,
    description: 'The guide side withdraws a proposal its provider has not answered.',
    authScopes: { authenticated: true },
    errors: { types: [...stepErrors] },
    args: { input: t.arg({ type: WithdrawGuideProposalInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      item: await withdrawGuideProposal(ctx.prisma, ctx.viewer, input.id.id, input.expectedVersion),
    }),
  }),
);

const UpdateGuideItemInput = builder.inputType('UpdateGuideItemInput', {
  description: 'Fields left out stay as they are; note texts are replaced per language given.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: [GuideItemNode] }),
    expectedVersion: t.int({ required: true }),
    relevanceNote: t.field({ type: [TranslationInput], validate: note }),
    position: t.int({ validate: z.number().int().min(0).max(10_000) }),
    audiences: t.field({ type: [AudienceEnum] }),
    languages: t.stringList({ validate: languageCodes }),
  }),
});

builder.mutationField('updateGuideItem', (t) =>
  t.field({
    type: GuideItemPayload,
    description:
      'The guide side edits an open entry. Changing the note in the guide’s source language makes the other languages outdated until they are written again.',
    authScopes: { authenticated: true },
    errors: { types: [...stepErrors] },
    args: { input: t.arg({ type: UpdateGuideItemInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      item: await updateGuideItem(ctx.prisma, ctx.viewer, input.id.id, {
        expectedVersion: input.expectedVersion,
        relevanceNote: input.relevanceNote ? toTranslations(input.relevanceNote) : null,
        position: input.position ?? null,
        audiences: input.audiences ?? null,
        languages: input.languages ?? null,
      }),
    }),
  }),
);

/** Proposals addressed to the viewer's organisations (as provider), visible to them. */
function inboxWhere(ctx: Context, statuses?: GuideItemStatus[] | null): Prisma.GuideItemWhereInput {
  return {
    AND: [
      { providerOrganisationId: { in: welcomeReaderOrganisationIds(ctx.viewer) } },
      visibleGuideItemsWhere(ctx.viewer),
      ...(statuses?.length ? [{ status: { in: statuses } }] : []),
    ],
  };
}

const StatusCount = builder
  .objectRef<{ status: GuideItemStatus; count: number }>('GuideItemStatusCount')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      status: t.field({ type: GuideItemStatusEnum, resolve: (c) => c.status }),
      count: t.exposeInt('count'),
    }),
  });

builder.queryField('guideProposals', (t) =>
  t.prismaConnection(
    {
      type: 'GuideItem',
      cursor: 'id',
      description:
        "The provider's inbox: entries of guides that propose your organisations' offers, newest first (PROPOSED ones wait for your answer).",
      authScopes: { public: true },
      args: { status: t.arg({ type: [GuideItemStatusEnum], description: 'Only these statuses.' }) },
      totalCount: (_parent, args, ctx) => ctx.prisma.guideItem.count({ where: inboxWhere(ctx, args.status) }),
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.guideItem.findMany({
          ...query,
          where: inboxWhere(ctx, args.status),
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
    },
    {
      fields: (c) => ({
        statusCounts: c.field({
          type: [StatusCount],
          description: 'How many entries of your inbox are in each status (whatever the `status` filter).',
          resolve: async (_conn, _args, ctx) => {
            const groups = await ctx.prisma.guideItem.groupBy({
              by: ['status'],
              where: inboxWhere(ctx),
              _count: { _all: true },
            });
            return Object.values(GuideItemStatus).map((status) => ({
              status,
              count: groups.find((g) => g.status === status)?._count._all ?? 0,
            }));
          },
        }),
      }),
    },
  ),
);
