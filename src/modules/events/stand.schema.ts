/**
 * Stands in GraphQL: `EventEdition.stands` (the stand directory, public with a public edition),
 * the `Stand` node, and `createStand` / `updateStand`. Who sees a stand: its edition's rule
 * (events.access.ts#visibleStandsWhere); its offers: the catalogue's rule for the viewer; its team:
 * as consent allows (`team`), or as registrations for those who may see them (`teamRegistrations`).
 */
import { z } from 'zod';
import { builder, type InputFields } from '../../builder.ts';
import type { Stand } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { visibleOffersWhere } from '../catalogue/catalogue.access.ts';
import {
  askedLanguages,
  LanguageEnum,
  LocalizedText,
  Translation,
  TranslationInput,
  translationList,
} from '../catalogue/localized.schema.ts';
import { OfferNode } from '../catalogue/offer.schema.ts';
import { localize, toTranslations, translationsInput, type Translations } from '../catalogue/translations.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { EventEditionNode } from './event.schema.ts';
import { editableStandsWhere, visibleRegistrationsWhere, visibleStandsWhere } from './events.access.ts';
import { byStandNumber, standTeams } from './public-event.service.ts';
import { PublicListRef } from './public-event.schema.ts';
import { RegistrationNode } from './registration.schema.ts';
import { createStand, STAND_NUMBER, updateStand, type StandFields } from './stand.service.ts';

interface FigureValue {
  label: unknown;
  value: number;
}

const StandFigureRef = builder.objectRef<FigureValue>('StandFigure').implement({
  description: 'A figure of what worked at a stand: "people met", 120.',
  authScopes: { public: true },
  fields: (t) => ({
    label: t.field({
      type: LocalizedText,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (f, { lang }, ctx) =>
        localize(f.label, askedLanguages(lang, ctx)) ?? { text: '', language: 'fr' as const, fallback: true },
    }),
    labelTranslations: t.field({ type: [Translation], resolve: (f) => translationList(f.label) }),
    value: t.exposeFloat('value'),
  }),
});

const figuresOf = (value: unknown): FigureValue[] =>
  Array.isArray(value)
    ? value.filter(
        (f): f is FigureValue => !!f && typeof f === 'object' && typeof (f as FigureValue).value === 'number',
      )
    : [];

export const StandNode = builder.prismaNode('Stand', {
  description:
    'An organisation’s stand at an edition: its team, its project, the catalogue offers it presented, and what worked.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleStandsWhere(ctx.viewer)] }),
  authScopes: { public: true },
  fields: (t) => ({
    edition: t.relation('edition'),
    organisation: t.relation('organisation', { description: 'The organisation presenting.' }),
    number: t.exposeString('number', {
      nullable: true,
      description: 'On the floor plan, e.g. "12" or "B4".',
    }),
    title: t.field({
      type: LocalizedText,
      description: 'The project presented.',
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
    descriptionTranslations: t.field({ type: [Translation], resolve: (s) => translationList(s.description) }),
    results: t.field({
      type: LocalizedText,
      nullable: true,
      description: 'What worked, in words.',
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (s, { lang }, ctx) => localize(s.results, askedLanguages(lang, ctx)),
    }),
    resultsTranslations: t.field({ type: [Translation], resolve: (s) => translationList(s.results) }),
    figures: t.field({
      type: [StandFigureRef],
      description: 'What worked, in a few figures.',
      resolve: (s) => figuresOf(s.figures),
    }),
    offers: t.relation('offers', {
      description: 'The organisation’s catalogue offers presented at the stand, those you may see.',
      query: (_args, ctx) => ({
        where: visibleOffersWhere(ctx.viewer),
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    }),
    team: t.loadable({
      type: PublicListRef,
      description:
        'The team as consent allows: members who agreed to appear, with the fields they agreed to, and "N others".',
      load: (ids: string[], ctx) => standTeams(ctx.prisma, ids),
      resolve: (s) => s.id,
    }),
    teamRegistrations: t.prismaField({
      type: ['Registration'],
      description:
        'The team as registrations, those you may see (the organisers, the admins of the members’ organisation).',
      resolve: (query, s, _args, ctx) =>
        ctx.prisma.registration.findMany({
          ...query,
          where: { standTeams: { some: { standId: s.id } }, AND: [visibleRegistrationsWhere(ctx.viewer)] },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    }),
    youMayEdit: t.loadable({
      type: 'Boolean',
      description: 'Whether you may change it (its organisation’s admins, the edition’s organisers).',
      load: async (ids: string[], ctx) => {
        const editable = await ctx.prisma.stand.findMany({
          where: { id: { in: ids }, AND: [editableStandsWhere(ctx.viewer)] },
          select: { id: true },
        });
        const set = new Set(editable.map((s) => s.id));
        return ids.map((id) => set.has(id));
      },
      resolve: (s) => s.id,
    }),
    version: t.exposeInt('version', { description: 'Send it back as `expectedVersion` when updating.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField('EventEdition', 'stands', (t) =>
  t.prismaField({
    type: ['Stand'],
    description:
      'The stand directory: every stand of the edition, by number (numbers in numeric order), stands without one last.',
    resolve: async (query, edition, _args, ctx) => {
      const stands = await ctx.prisma.stand.findMany({
        ...query,
        where: { editionId: edition.id, AND: [visibleStandsWhere(ctx.viewer)] },
      });
      // The page's order: by number, then by organisation (names read once for the directory).
      const names = new Map(
        (
          await ctx.prisma.organisation.findMany({
            where: { id: { in: [...new Set(stands.map((s) => s.organisationId))] } },
            select: { id: true, name: true },
          })
        ).map((o) => [o.id, o.name]),
      );
      const named = (s: Stand) => ({
        number: s.number,
        organisation: { name: names.get(s.organisationId) ?? '' },
      });
      return stands.sort((a, b) => byStandNumber(named(a), named(b)));
    },
  }),
);

// --- Mutations ---------------------------------------------------------------------------------

const StandFigureInput = builder.inputType('StandFigureInput', {
  fields: (t) => ({
    label: t.field({
      type: [TranslationInput],
      required: true,
      validate: translationsInput(200).min(1, 'needs a label in at least one language'),
    }),
    value: t.float({ required: true, validate: z.number().finite() }),
  }),
});

const idList = (max: number) => z.array(z.unknown()).max(max);

const standFields = (t: InputFields, creating: boolean) => ({
  number: t.string({
    description: 'On the floor plan ("12", "B4"): unique in the edition. Null: none.',
    validate: z.string().trim().max(20).regex(STAND_NUMBER, 'letters and digits, such as 12 or B4'),
  }),
  title: t.field({
    type: [TranslationInput],
    required: creating,
    description: 'The project presented.',
    validate: translationsInput(300).min(1, 'needs a title in at least one language'),
  }),
  description: t.field({ type: [TranslationInput], validate: translationsInput(5000) }),
  results: t.field({
    type: [TranslationInput],
    description: 'What worked, in words.',
    validate: translationsInput(5000),
  }),
  figures: t.field({
    type: [StandFigureInput],
    description: 'What worked, in a few figures (replaces the list).',
    validate: z.array(z.unknown()).max(12),
  }),
  offerIds: t.globalIDList({
    for: [OfferNode],
    description:
      'The organisation’s own catalogue offers presented (replaces those you may see; others stay).',
    validate: idList(30),
  }),
  teamRegistrationIds: t.globalIDList({
    for: [RegistrationNode],
    description:
      'The team: registrations for this edition from the stand’s organisation (the organisers may add anyone registered). Replaces those you may see; others stay.',
    validate: idList(100),
  }),
});

const CreateStandInput = builder.inputType('CreateStandInput', {
  fields: (t) => ({
    editionId: t.globalID({ required: true, for: [EventEditionNode] }),
    organisationId: t.globalID({
      required: true,
      for: [Organisation],
      description:
        'The organisation presenting: yours, invited to the edition (you are its admin), or any (you organise the edition).',
    }),
    ...standFields(t, true),
  }),
});

const UpdateStandInput = builder.inputType('UpdateStandInput', {
  description: 'Fields left out are unchanged; null clears a field.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: [StandNode] }),
    expectedVersion: t.int({ required: true, description: 'The `version` you read.' }),
    ...standFields(t, false),
  }),
});

const StandPayload = builder.objectRef<{ stand: Stand }>('StandPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ stand: t.field({ type: StandNode, resolve: (p) => p.stand }) }),
});

type TextList = readonly { language: string; text: string }[] | null | undefined;
const texts = (list: TextList): Translations | null | undefined =>
  list === undefined ? undefined : list === null ? null : toTranslations(list);

/** GraphQL input → service fields (absent stays absent, null clears). */
function standFieldsOf(input: {
  number?: string | null;
  title?: TextList;
  description?: TextList;
  results?: TextList;
  figures?: readonly { label: TextList; value: number }[] | null;
  offerIds?: readonly { id: string }[] | null;
  teamRegistrationIds?: readonly { id: string }[] | null;
}): StandFields {
  const ids = (list: readonly { id: string }[] | null | undefined) =>
    list === undefined ? undefined : (list?.map((x) => x.id) ?? null);
  return {
    number: input.number,
    title: texts(input.title) ?? undefined,
    description: texts(input.description),
    results: texts(input.results),
    figures:
      input.figures === undefined
        ? undefined
        : (input.figures?.map((f) => ({ label: texts(f.label) ?? {}, value: f.value })) ?? null),
    offerIds: ids(input.offerIds),
    teamRegistrationIds: ids(input.teamRegistrationIds),
  };
}

const common = [InvalidInputError, NotFoundError, ForbiddenError] as const;

builder.mutationFields((t) => ({
  createStand: t.field({
    type: StandPayload,
    description:
      'Sets up a stand at an edition: the edition’s organisers for any organisation; the admins of an invited organisation for their own. A number already taken in the edition is an InvalidInputError on `number`.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: CreateStandInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      stand: await createStand(ctx.prisma, ctx.viewer, {
        ...standFieldsOf(input),
        editionId: input.editionId.id,
        organisationId: input.organisationId.id,
        title: texts(input.title) ?? {},
      }),
    }),
  }),
  updateStand: t.field({
    type: StandPayload,
    description:
      'Changes a stand: its project, offers, team, results and figures. A stale `expectedVersion` is a VersionConflictError and changes nothing.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError] },
    args: { input: t.arg({ type: UpdateStandInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      stand: await updateStand(
        ctx.prisma,
        ctx.viewer,
        input.id.id,
        input.expectedVersion,
        standFieldsOf(input),
      ),
    }),
  }),
}));
