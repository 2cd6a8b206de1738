/**
 * Shelter: a site where people are accommodated, its operator, its partners and its residents'
 * profile (counts only). Seen per `visibleSheltersWhere`; the profile only per
 * `profileReadableSheltersWhere` (null for anyone else, never public).
 */
import DataLoader from 'dataloader';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { ResidentProfile, Shelter } from '../../generated/prisma/client.ts';
import { ShelterKind } from '../../generated/prisma/enums.ts';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import {
  askedLanguages,
  LanguageEnum,
  LocalizedText,
  Translation,
  TranslationInput,
  translationList,
} from '../catalogue/localized.schema.ts';
import { SiteNode } from '../catalogue/site.schema.ts';
import { localize, toTranslations, translationsInput } from '../catalogue/translations.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  addShelterPartner,
  type AGE_BANDS,
  createShelter,
  HOUSEHOLD_TYPES,
  latestReadableProfiles,
  MAX_COUNT,
  profileProblems,
  readableProfileHistory,
  removeShelterPartner,
  updateShelter,
  updateShelterProfile,
  type ProfileInput,
} from './shelter.service.ts';
import { visibleGuidesWhere, visibleSheltersWhere } from './welcome.access.ts';

export const ShelterKindEnum = builder.enumType(ShelterKind, {
  name: 'ShelterKind',
  description: 'What kind of accommodation a shelter is.',
});
export const AgeBandEnum = builder.enumType('AgeBand', {
  description: 'Age bands of a residents’ profile.',
  values: {
    AGE_0_5: { value: 'AGE_0_5', description: '0 to 5 years.' },
    AGE_6_11: { value: 'AGE_6_11', description: '6 to 11 years.' },
    AGE_12_17: { value: 'AGE_12_17', description: '12 to 17 years.' },
    AGE_18_25: { value: 'AGE_18_25', description: '18 to 25 years.' },
    AGE_26_64: { value: 'AGE_26_64', description: '26 to 64 years.' },
    AGE_65_PLUS: { value: 'AGE_65_PLUS', description: '65 years and more.' },
  } as const,
});
export const HouseholdTypeEnum = builder.enumType('HouseholdType', {
  description: 'Types of household, for a residents’ profile.',
  values: Object.fromEntries(HOUSEHOLD_TYPES.map((v) => [v, { value: v }])) as {
    [K in (typeof HOUSEHOLD_TYPES)[number]]: { value: K };
  },
});

const LanguageCount = builder.objectRef<{ code: string; count: number }>('ResidentLanguageCount').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({
    code: t.exposeString('code', { description: 'ISO 639-1 code, e.g. `ar`, `ti`.' }),
    count: t.exposeInt('count', { description: 'Residents who speak it (one may speak several).' }),
  }),
});
const AgeBandCount = builder
  .objectRef<{ band: (typeof AGE_BANDS)[number]; count: number }>('ResidentAgeBandCount')
  .implement({
    authScopes: { authenticated: true },
    fields: (t) => ({
      band: t.field({ type: AgeBandEnum, resolve: (c) => c.band }),
      count: t.exposeInt('count'),
    }),
  });
const HouseholdTypeCount = builder
  .objectRef<{ type: (typeof HOUSEHOLD_TYPES)[number]; count: number }>('ResidentHouseholdTypeCount')
  .implement({
    authScopes: { authenticated: true },
    fields: (t) => ({
      type: t.field({ type: HouseholdTypeEnum, resolve: (c) => c.type }),
      count: t.exposeInt('count', { description: 'Residents living in such a household.' }),
    }),
  });

const jsonList = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

export const ResidentProfileRef = builder.prismaObject('ResidentProfile', {
  description:
    'The residents of a shelter on a date, as counts only: never a person. For the operator and the partners.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    asOf: t.string({
      description: 'The day the counts describe (YYYY-MM-DD).',
      resolve: (p) => p.asOf.toISOString().slice(0, 10),
    }),
    total: t.exposeInt('total'),
    languages: t.field({
      type: [LanguageCount],
      resolve: (p) => jsonList<{ code: string; count: number }>(p.languages),
    }),
    ageBands: t.field({
      type: [AgeBandCount],
      resolve: (p) => jsonList<{ band: (typeof AGE_BANDS)[number]; count: number }>(p.ageBands),
    }),
    householdTypes: t.field({
      type: [HouseholdTypeCount],
      resolve: (p) => jsonList<{ type: (typeof HOUSEHOLD_TYPES)[number]; count: number }>(p.householdTypes),
    }),
    recordedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const ShelterPartnerRef = builder.prismaObject('ShelterPartner', {
  description: 'An organisation engaged at a shelter.',
  authScopes: { public: true },
  fields: (t) => ({
    organisation: t.relation('organisation'),
    role: t.field({
      type: LocalizedText,
      nullable: true,
      description: 'What the partner does there.',
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (p, { lang }, ctx) => localize(p.role, askedLanguages(lang, ctx)),
    }),
    roleTranslations: t.field({ type: [Translation], resolve: (p) => translationList(p.role) }),
    since: t.expose('since', { type: 'DateTime' }),
  }),
});

/** The latest readable profile per shelter, batched per request (one loader per context). */
const profileLoaders = new WeakMap<Context, DataLoader<string, ResidentProfile | null>>();
function latestProfile(ctx: Context, shelterId: string) {
  let loader = profileLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((ids) => latestReadableProfiles(ctx.prisma, ctx.viewer, ids));
    profileLoaders.set(ctx, loader);
  }
  return loader.load(shelterId);
}

export const ShelterNode = builder.prismaNode('Shelter', {
  description:
    'A site where people are accommodated (an emergency shelter, a foyer): its operator, partners and residents’ profile.',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleSheltersWhere(ctx.viewer)] }),
  // Visibility is applied where shelters are loaded (node, lists, guide → shelter).
  authScopes: { public: true },
  fields: (t) => ({
    site: t.relation('site', { type: SiteNode }),
    organisation: t.relation('organisation', { description: 'The operator.' }),
    kind: t.expose('kind', { type: ShelterKindEnum }),
    capacity: t.exposeInt('capacity', { nullable: true, description: 'Beds, when known.' }),
    version: t.exposeInt('version', { description: 'Send it back as `expectedVersion` when updating.' }),
    partners: t.relation('partners', { query: { orderBy: [{ since: 'asc' }, { organisationId: 'asc' }] } }),
    residentProfile: t.field({
      type: ResidentProfileRef,
      nullable: true,
      description:
        'The latest residents’ profile: for the operator and the partners only (null for anyone else, and when none was recorded).',
      resolve: (s, _args, ctx) => latestProfile(ctx, s.id),
    }),
    profileHistory: t.field({
      type: [ResidentProfileRef],
      nullable: true,
      description:
        'Earlier profiles too, newest first: for the operator and the partners only (null for others).',
      args: { first: t.arg.int({ defaultValue: 20, validate: z.number().int().min(1).max(100) }) },
      resolve: (s, args, ctx) => readableProfileHistory(ctx.prisma, ctx.viewer, s.id, args.first ?? 20),
    }),
    guides: t.relatedConnection('guides', {
      cursor: 'id',
      description: 'Guides for this shelter that you may see, newest first.',
      totalCount: true,
      query: (_args, ctx) => ({
        where: visibleGuidesWhere(ctx.viewer),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  shelters: t.prismaConnection({
    type: 'Shelter',
    cursor: 'id',
    description: 'Shelters you work at (as operator or partner); hub admins see all.',
    authScopes: { public: true },
    totalCount: (_parent, _args, ctx) =>
      ctx.prisma.shelter.count({ where: visibleSheltersWhere(ctx.viewer) }),
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.shelter.findMany({
        ...query,
        where: visibleSheltersWhere(ctx.viewer),
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
  }),
  shelter: t.prismaField({
    type: 'Shelter',
    nullable: true,
    description: 'A shelter by its ID; null when unknown or not yours to see.',
    authScopes: { public: true },
    args: { id: t.arg.globalID({ required: true, for: [ShelterNode] }) },
    resolve: (query, _root, { id }, ctx) =>
      ctx.prisma.shelter.findFirst({
        ...query,
        where: { id: asUuid(id.id), AND: [visibleSheltersWhere(ctx.viewer)] },
      }),
  }),
}));

// --- Mutations ---------------------------------------------------------------------------------

const count = z.number().int().min(0).max(MAX_COUNT);

const LanguageCountInput = builder.inputType('ResidentLanguageCountInput', {
  fields: (t) => ({
    code: t.string({ required: true, description: 'ISO 639-1 code, e.g. `ar`.' }),
    count: t.int({ required: true }),
  }),
});
const AgeBandCountInput = builder.inputType('ResidentAgeBandCountInput', {
  fields: (t) => ({
    band: t.field({ type: AgeBandEnum, required: true }),
    count: t.int({ required: true }),
  }),
});
const HouseholdTypeCountInput = builder.inputType('ResidentHouseholdTypeCountInput', {
  fields: (t) => ({
    type: t.field({ type: HouseholdTypeEnum, required: true }),
    count: t.int({ required: true, description: 'Residents living in such a household.' }),
  }),
});

/** Every problem of a profile at once (shelter.service.ts#profileProblems), paths under the input. */
const profileRule = z.looseObject({}).superRefine((input, zctx) => {
  for (const problem of profileProblems(input as unknown as ProfileInput)) {
    zctx.addIssue({ code: 'custom', path: problem.path.slice(1), message: problem.message });
  }
});

const UpdateShelterProfileInput = builder.inputType('UpdateShelterProfileInput', {
  description:
    'The residents on a date, as counts: each count whole and zero or more; each language’s count, and the sums of age bands and of household types, not above the total.',
  validate: profileRule,
  fields: (t) => ({
    shelterId: t.globalID({ required: true, for: [ShelterNode] }),
    asOf: t.string({
      required: true,
      description: 'The day the counts describe (YYYY-MM-DD), not in the future.',
    }),
    total: t.int({ required: true }),
    languages: t.field({
      type: [LanguageCountInput],
      required: true,
      validate: z.array(z.unknown()).max(100),
    }),
    ageBands: t.field({ type: [AgeBandCountInput], required: true }),
    householdTypes: t.field({ type: [HouseholdTypeCountInput], required: true }),
  }),
});

const CreateShelterInput = builder.inputType('CreateShelterInput', {
  fields: (t) => ({
    siteId: t.globalID({
      required: true,
      for: [SiteNode],
      description: 'A site of your organisation (see `createSite`): your organisation operates the shelter.',
    }),
    kind: t.field({ type: ShelterKindEnum }),
    capacity: t.int({ validate: count }),
  }),
});
const UpdateShelterInput = builder.inputType('UpdateShelterInput', {
  description: 'Fields left out are unchanged; a null capacity clears it.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: [ShelterNode] }),
    expectedVersion: t.int({ required: true, description: 'The `version` you read.' }),
    kind: t.field({ type: ShelterKindEnum }),
    capacity: t.int({ validate: count }),
  }),
});
const AddShelterPartnerInput = builder.inputType('AddShelterPartnerInput', {
  fields: (t) => ({
    shelterId: t.globalID({ required: true, for: [ShelterNode] }),
    organisationId: t.globalID({ required: true, for: [Organisation] }),
    role: t.field({
      type: [TranslationInput],
      description: 'What the partner does there, in one or more languages.',
      validate: translationsInput(500),
    }),
  }),
});
const RemoveShelterPartnerInput = builder.inputType('RemoveShelterPartnerInput', {
  fields: (t) => ({
    shelterId: t.globalID({ required: true, for: [ShelterNode] }),
    organisationId: t.globalID({ required: true, for: [Organisation] }),
  }),
});

const ShelterPayload = builder.objectRef<{ shelter: Shelter }>('ShelterPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ shelter: t.field({ type: ShelterNode, resolve: (p) => p.shelter }) }),
});
const ShelterProfilePayload = builder
  .objectRef<{ shelter: Shelter; profile: ResidentProfile }>('ShelterProfilePayload')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      shelter: t.field({ type: ShelterNode, resolve: (p) => p.shelter }),
      profile: t.field({ type: ResidentProfileRef, resolve: (p) => p.profile }),
    }),
  });

const common = [InvalidInputError, NotFoundError, ForbiddenError] as const;

builder.mutationFields((t) => ({
  createShelter: t.field({
    type: ShelterPayload,
    description:
      'Makes one of your organisation’s sites a shelter that it operates (its admins and Welcome coordinators).',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: CreateShelterInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      shelter: await createShelter(ctx.prisma, ctx.viewer, {
        siteId: input.siteId.id,
        kind: input.kind,
        capacity: input.capacity,
      }),
    }),
  }),
  updateShelter: t.field({
    type: ShelterPayload,
    description: 'Changes a shelter’s kind or capacity (the operator’s admins and Welcome coordinators).',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError] },
    args: { input: t.arg({ type: UpdateShelterInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      shelter: await updateShelter(ctx.prisma, ctx.viewer, input.id.id, input.expectedVersion, {
        kind: input.kind,
        capacity: input.capacity,
      }),
    }),
  }),
  addShelterPartner: t.field({
    type: ShelterPayload,
    description:
      'Engages an organisation at a shelter, or changes its role there (the operator side). Partners read the residents’ profile and the shelter’s guides.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: AddShelterPartnerInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      shelter: await addShelterPartner(
        ctx.prisma,
        ctx.viewer,
        input.shelterId.id,
        input.organisationId.id,
        input.role ? toTranslations(input.role) : null,
      ),
    }),
  }),
  removeShelterPartner: t.field({
    type: ShelterPayload,
    description: 'Ends an organisation’s partnership at a shelter (the operator side).',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: RemoveShelterPartnerInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      shelter: await removeShelterPartner(
        ctx.prisma,
        ctx.viewer,
        input.shelterId.id,
        input.organisationId.id,
      ),
    }),
  }),
  updateShelterProfile: t.field({
    type: ShelterProfilePayload,
    description:
      'Records the residents’ profile on a date, as counts (earlier ones stay in `profileHistory`): the operator’s admins and Welcome coordinators, the partners’ Welcome coordinators.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: UpdateShelterProfileInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateShelterProfile(ctx.prisma, ctx.viewer, input.shelterId.id, {
        asOf: input.asOf,
        total: input.total,
        languages: input.languages,
        ageBands: input.ageBands,
        householdTypes: input.householdTypes,
      }),
  }),
}));
