/**
 * Guide: a coordinator's map of activities for a shelter (or an audience and a commune), in
 * several languages. Published guides are public; drafts and archived guides are seen per
 * `visibleGuidesWhere` through every path (node, nodes, `guide`, `guides`, shelter → guides,
 * organisation → guides). Its entries (`GuideItem`, guide-item.schema.ts) per `visibleGuideItemsWhere`.
 */
import DataLoader from 'dataloader';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { Guide, Prisma, Shelter } from '../../generated/prisma/client.ts';
import { GuideStatus } from '../../generated/prisma/enums.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { UnknownCommuneError } from '../catalogue/catalogue.errors.ts';
import { askedLanguages, LanguageEnum } from '../catalogue/localized.schema.ts';
import { AudienceEnum } from '../catalogue/offer.schema.ts';
import { localize, type Language } from '../catalogue/translations.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  createGuide,
  guideTranslations,
  isGuideTextOutdated,
  setGuideStatus,
  SLUG_PATTERN,
  updateGuide,
  type GuideTextInput,
} from './guide.service.ts';
// The entries' own type and status enum (another file, registered there).
import { GuideItemStatusEnum } from './guide-item.schema.ts';
import { ShelterNode } from './shelter.schema.ts';
import { visibleGuideItemsWhere, visibleGuidesWhere, visibleSheltersWhere } from './welcome.access.ts';
import { GuideNotPublishableError } from './welcome.errors.ts';

export const GuideStatusEnum = builder.enumType(GuideStatus, {
  name: 'GuideStatus',
  description: 'DRAFT and ARCHIVED guides are seen inside; a PUBLISHED guide is public.',
});

interface GuideTextValue {
  text: string;
  language: Language;
  fallback: boolean;
  outdated: boolean;
}

export const GuideText = builder.objectRef<GuideTextValue>('GuideText').implement({
  description: 'A text of a guide in the best available language for the request.',
  authScopes: { public: true },
  fields: (t) => ({
    text: t.exposeString('text'),
    language: t.field({ type: LanguageEnum, resolve: (v) => v.language }),
    fallback: t.exposeBoolean('fallback', {
      description: 'True when the text is not in the language asked for first.',
    }),
    outdated: t.exposeBoolean('outdated', {
      description: 'True when this translation was made from an older version of the source text.',
    }),
  }),
});

const GuideTranslationRef = builder
  .objectRef<ReturnType<typeof guideTranslations>[number]>('GuideTranslation')
  .implement({
    description: 'A guide’s texts in one language, and the source version the translation was made from.',
    authScopes: { public: true },
    fields: (t) => ({
      language: t.field({ type: LanguageEnum, resolve: (v) => v.language }),
      title: t.exposeString('title', { nullable: true }),
      intro: t.exposeString('intro', { nullable: true }),
      source: t.exposeBoolean('source', { description: 'The language the others are translated from.' }),
      translatedFromVersion: t.exposeInt('translatedFromVersion', {
        nullable: true,
        description: 'The `textVersion` of the source this text was made from.',
      }),
      outdated: t.exposeBoolean('outdated', {
        description: 'Made from an older version of the source text: to be translated again.',
      }),
    }),
  });

function guideText(guide: Guide, field: 'title' | 'intro', asked: string[]): GuideTextValue | null {
  const localized = localize(guide[field], asked);
  return localized ? { ...localized, outdated: isGuideTextOutdated(guide, localized.language) } : null;
}

/** The guide's shelter when the viewer may see it, batched per request. */
const shelterLoaders = new WeakMap<Context, DataLoader<string, Shelter | null>>();
function visibleShelter(ctx: Context, id: string) {
  let loader = shelterLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await ctx.prisma.shelter.findMany({
        where: { id: { in: [...ids] }, AND: [visibleSheltersWhere(ctx.viewer)] },
      });
      return ids.map((i) => rows.find((r) => r.id === i) ?? null);
    });
    shelterLoaders.set(ctx, loader);
  }
  return loader.load(id);
}

const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.GuideOrderByWithRelationInput[];

export const GuideNode = builder.prismaNode('Guide', {
  description:
    'A guide (activity map) for a shelter or an audience in a commune: catalogue offers of any organisation, agreed with their providers, in the residents’ languages.',
  id: { field: 'id' },
  nullable: true,
  // Node refetches apply the same rule as every list: drafts stay with those who work on them.
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleGuidesWhere(ctx.viewer)] }),
  authScopes: { public: true },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Its public address: `/guides/<slug>`.' }),
    organisation: t.relation('organisation', { description: 'The organisation that writes the guide.' }),
    shelter: t.field({
      type: ShelterNode,
      nullable: true,
      description:
        'The shelter it is for: for those who may see the shelter (null for others and the public).',
      resolve: (g, _args, ctx) => (g.shelterId ? visibleShelter(ctx, g.shelterId) : null),
    }),
    audiences: t.expose('audiences', { type: [AudienceEnum] }),
    commune: t.exposeString('commune', { nullable: true }),
    title: t.field({
      type: GuideText,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (g, { lang }, ctx) =>
        guideText(g, 'title', askedLanguages(lang, ctx)) ?? {
          text: '',
          language: 'fr' as const,
          fallback: true,
          outdated: false,
        },
    }),
    intro: t.field({
      type: GuideText,
      nullable: true,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (g, { lang }, ctx) => guideText(g, 'intro', askedLanguages(lang, ctx)),
    }),
    sourceLanguage: t.field({
      type: LanguageEnum,
      description: 'The language the texts are written in first and translated from.',
      resolve: (g) => g.sourceLanguage as Language,
    }),
    textVersion: t.exposeInt('textVersion', {
      description: 'Goes up each time a text in the source language changes.',
    }),
    translations: t.field({
      type: [GuideTranslationRef],
      description:
        'Every language the guide has a text in, the source first, each saying whether it is outdated.',
      resolve: (g) => guideTranslations(g),
    }),
    languages: t.exposeStringList('languages', {
      description: 'Languages the guide is offered in, the source first.',
    }),
    status: t.expose('status', { type: GuideStatusEnum }),
    version: t.exposeInt('version', { description: 'Send it back as `expectedVersion` when updating.' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    items: t.relatedConnection('items', {
      cursor: 'id',
      description:
        'The entries you may see, in their order: all of them from inside the guide; on a published guide, the public sees those the provider agreed to (CONFIRMED, REGULAR).',
      totalCount: true,
      args: { status: t.arg({ type: [GuideItemStatusEnum], required: false }) },
      query: (args, ctx) => ({
        where: {
          AND: [
            visibleGuideItemsWhere(ctx.viewer),
            ...(args.status?.length ? [{ status: { in: args.status } }] : []),
          ],
        },
        orderBy: [{ position: 'asc' }, { id: 'asc' }],
      }),
    }),
  }),
});

const GuideFilter = builder.inputType('GuideFilter', {
  fields: (t) => ({
    status: t.field({ type: [GuideStatusEnum] }),
    shelterId: t.globalID({ for: [ShelterNode] }),
    organisationId: t.globalID({ for: [Organisation] }),
  }),
});

type Filter = typeof GuideFilter.$inferInput;

function guidesWhere(viewer: Viewer | null, filter: Filter | null | undefined): Prisma.GuideWhereInput {
  return {
    AND: [
      visibleGuidesWhere(viewer),
      ...(filter?.status?.length ? [{ status: { in: filter.status } }] : []),
      ...(filter?.shelterId ? [{ shelterId: asUuid(filter.shelterId.id) }] : []),
      ...(filter?.organisationId ? [{ organisationId: asUuid(filter.organisationId.id) }] : []),
    ],
  };
}

builder.queryFields((t) => ({
  guides: t.prismaConnection({
    type: 'Guide',
    cursor: 'id',
    description: 'Guides you may see, newest first: every published guide, and the drafts you work on.',
    authScopes: { public: true },
    args: { filter: t.arg({ type: GuideFilter }) },
    totalCount: (_parent, args, ctx) =>
      ctx.prisma.guide.count({ where: guidesWhere(ctx.viewer, args.filter) }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.guide.findMany({
        ...query,
        where: guidesWhere(ctx.viewer, args.filter),
        orderBy: NEWEST_FIRST,
      }),
  }),
  guide: t.prismaField({
    type: 'Guide',
    nullable: true,
    description: 'A guide by its slug; null when unknown or not yours to see.',
    authScopes: { public: true },
    args: { slug: t.arg.string({ required: true, validate: z.string().max(100) }) },
    resolve: (query, _root, { slug }, ctx) =>
      ctx.prisma.guide.findFirst({ ...query, where: { slug, AND: [visibleGuidesWhere(ctx.viewer)] } }),
  }),
}));

builder.prismaObjectField('Organisation', 'guides', (t) =>
  t.relatedConnection('guidesWritten', {
    cursor: 'id',
    description: 'Guides this organisation writes that you may see, newest first.',
    authScopes: { public: true },
    totalCount: true,
    query: (_args, ctx) => ({ where: visibleGuidesWhere(ctx.viewer), orderBy: NEWEST_FIRST }),
  }),
);

// --- Mutations ---------------------------------------------------------------------------------

const GuideTextInputRef = builder.inputType('GuideTextInput', {
  description:
    'A guide’s texts in one language. Writing a language other than the source records that it was translated from the current source text.',
  fields: (t) => ({
    language: t.field({ type: LanguageEnum, required: true }),
    title: t.string({
      description: 'Left out: unchanged. Null: removed (not in the source language).',
      validate: z.string().trim().min(1).max(300),
    }),
    intro: t.string({
      description: 'Left out: unchanged. Null: removed.',
      validate: z.string().trim().max(5000),
    }),
  }),
});

const texts = z.array(z.unknown()).min(1).max(20);

const CreateGuideInput = builder.inputType('CreateGuideInput', {
  fields: (t) => ({
    organisationId: t.globalID({
      required: true,
      for: [Organisation],
      description:
        'The organisation that writes the guide (you are one of its Welcome coordinators or admins).',
    }),
    shelterId: t.globalID({
      for: [ShelterNode],
      description: 'The shelter it is for: one the organisation operates or works at as a partner.',
    }),
    audiences: t.field({ type: [AudienceEnum] }),
    commune: t.string({ validate: z.string().trim().min(1).max(100) }),
    sourceLanguage: t.field({
      type: LanguageEnum,
      description: 'The language translations are made from; left out, the first text’s.',
    }),
    texts: t.field({ type: [GuideTextInputRef], required: true, validate: texts }),
    slug: t.string({
      description: 'The public address `/guides/<slug>`; left out, made from the title (and unique).',
      validate: z
        .string()
        .min(3)
        .max(80)
        .regex(SLUG_PATTERN, 'lower-case letters, digits and single hyphens'),
    }),
  }),
});

const UpdateGuideInput = builder.inputType('UpdateGuideInput', {
  description: 'Fields left out are unchanged.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: [GuideNode] }),
    expectedVersion: t.int({ required: true, description: 'The `version` you read.' }),
    texts: t.field({ type: [GuideTextInputRef], validate: z.array(z.unknown()).max(20) }),
    removeLanguages: t.field({
      type: [LanguageEnum],
      description: 'Translations to remove (not the source).',
    }),
    audiences: t.field({ type: [AudienceEnum] }),
    commune: t.string({ description: 'Null: no commune.', validate: z.string().trim().min(1).max(100) }),
    shelterId: t.globalID({ for: [ShelterNode], description: 'Null: not for a shelter.' }),
  }),
});

const GuideStatusInput = builder.inputType('GuideStatusInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [GuideNode] }),
    expectedVersion: t.int({ description: 'When given, the step fails if the guide changed meanwhile.' }),
  }),
});

const GuidePayload = builder.objectRef<{ guide: Guide }>('GuidePayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ guide: t.field({ type: GuideNode, resolve: (p) => p.guide }) }),
});

const textsOf = (list: readonly GuideTextInput[] | null | undefined) =>
  list?.map((x) => ({ language: x.language, title: x.title, intro: x.intro }));

const common = [InvalidInputError, NotFoundError, ForbiddenError] as const;

builder.mutationFields((t) => ({
  createGuide: t.field({
    type: GuidePayload,
    description:
      'Starts a draft guide for your organisation (its Welcome coordinators and admins), for a shelter it works at or for an audience in a commune.',
    authScopes: { authenticated: true },
    errors: { types: [...common, UnknownCommuneError] },
    args: { input: t.arg({ type: CreateGuideInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      guide: await createGuide(ctx.prisma, ctx.viewer, {
        organisationId: input.organisationId.id,
        shelterId: input.shelterId?.id ?? null,
        audiences: input.audiences,
        commune: input.commune,
        sourceLanguage: input.sourceLanguage,
        texts: textsOf(input.texts as GuideTextInput[]) ?? [],
        slug: input.slug,
      }),
    }),
  }),
  updateGuide: t.field({
    type: GuidePayload,
    description:
      'Changes a guide’s texts (per language) and scope. A stale `expectedVersion` is a VersionConflictError and changes nothing.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError, InvalidTransitionError, UnknownCommuneError] },
    args: { input: t.arg({ type: UpdateGuideInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      guide: await updateGuide(ctx.prisma, ctx.viewer, input.id.id, input.expectedVersion, {
        texts: textsOf(input.texts),
        removeLanguages: input.removeLanguages,
        audiences: input.audiences,
        commune: input.commune,
        shelterId: input.shelterId === undefined ? undefined : (input.shelterId?.id ?? null),
      }),
    }),
  }),
  publishGuide: t.field({
    type: GuidePayload,
    description:
      'Publishes a guide for residents (public from then on): it needs a title in its source language and at least one entry its provider confirmed.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError, InvalidTransitionError, GuideNotPublishableError] },
    args: { input: t.arg({ type: GuideStatusInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      guide: await setGuideStatus(ctx.prisma, ctx.viewer, input.id.id, 'publish', input.expectedVersion),
    }),
  }),
  archiveGuide: t.field({
    type: GuidePayload,
    description: 'Takes a guide out of public view (it stays with those who work on it).',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError, InvalidTransitionError] },
    args: { input: t.arg({ type: GuideStatusInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      guide: await setGuideStatus(ctx.prisma, ctx.viewer, input.id.id, 'archive', input.expectedVersion),
    }),
  }),
}));
