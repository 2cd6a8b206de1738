/** Catalogue mutations on offers, for the owning organisation's catalogue editors and admins. */
import { z } from 'zod';
import { builder, type InputFields } from '../../builder.ts';
import type { Offer } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  UnknownThemeError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { OfferNotPublishableError, UnknownCommuneError } from './catalogue.errors.ts';
import { TranslationInput } from './localized.schema.ts';
import { AudienceEnum, CostKindEnum, OfferNode } from './offer.schema.ts';
import {
  createOffer,
  setOfferStatus,
  updateOffer,
  updateOfferCapacity,
  type OfferFields,
} from './offer.service.ts';
import { scheduleEntry, WEEKDAYS } from './schedule.ts';
import { SiteNode } from './site.schema.ts';
import { toTranslations, translationsInput } from './translations.ts';

const WeekdayEnum = builder.enumType('Weekday', { values: WEEKDAYS });
const FrequencyEnum = builder.enumType('ScheduleFrequency', { values: ['WEEKLY', 'MONTHLY'] as const });

export const ScheduleEntryInput = builder.inputType('ScheduleEntryInput', {
  validate: scheduleEntry,
  fields: (t) => ({
    freq: t.field({ type: FrequencyEnum, required: true }),
    byday: t.field({ type: [WeekdayEnum], required: true }),
    opensAt: t.string({ required: true, description: 'HH:MM' }),
    closesAt: t.string({ required: true, description: 'HH:MM' }),
    validFrom: t.string({ description: 'YYYY-MM-DD' }),
    validTo: t.string({ description: 'YYYY-MM-DD' }),
    description: t.field({ type: [TranslationInput] }),
  }),
});

const texts = (max: number) => translationsInput(max);
const offerFields = (t: InputFields, creating: boolean) => ({
  title: t.field({
    type: [TranslationInput],
    required: creating,
    validate: texts(300).min(1, 'needs a title in at least one language'),
  }),
  description: t.field({ type: [TranslationInput], validate: texts(10_000) }),
  themes: t.stringList({
    description: 'Theme codes.',
    validate: z.array(z.string().min(1).max(100)).max(20),
  }),
  audiences: t.field({ type: [AudienceEnum] }),
  minAge: t.int({ validate: z.number().int().min(0).max(120) }),
  maxAge: t.int({ validate: z.number().int().min(0).max(120) }),
  eligibility: t.field({ type: [TranslationInput], validate: texts(5000) }),
  languages: t.stringList({
    validate: z.array(z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639 code such as fr')).max(30),
  }),
  costKind: t.field({ type: CostKindEnum }),
  costDescription: t.field({ type: [TranslationInput], validate: texts(2000) }),
  siteIds: t.globalIDList({ for: [SiteNode] }),
  serviceArea: t.stringList({
    description: 'Communes.',
    validate: z.array(z.string().min(1).max(100)).max(100),
  }),
  schedule: t.field({ type: [ScheduleEntryInput], validate: z.array(z.unknown()).max(50) }),
  contactName: t.string({ validate: z.string().max(200) }),
  contactEmail: t.string({ validate: z.email() }),
  contactPhone: t.string({ validate: z.string().regex(/^\+?[\d\s().-]{6,30}$/, 'a phone number') }),
  website: t.string({ validate: z.url({ protocol: /^https?$/ }) }),
  capacityPlaces: t.int({ validate: z.number().int().min(0).max(100_000) }),
  waitlist: t.boolean(),
  acceptsReferrals: t.boolean(),
  referralRequirements: t.field({ type: [TranslationInput], validate: texts(5000) }),
  responseDays: t.int({ validate: z.number().int().min(1).max(60) }),
});

const CreateOfferInput = builder.inputType('CreateOfferInput', {
  fields: (t) => ({
    organisationId: t.globalID({ required: true, for: [Organisation] }),
    ...offerFields(t, true),
  }),
});
const UpdateOfferInput = builder.inputType('UpdateOfferInput', {
  description: 'Fields left out are unchanged; null clears a field.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: [OfferNode] }),
    expectedVersion: t.int({ required: true, description: 'The `version` you read.' }),
    ...offerFields(t, false),
  }),
});
const OfferStatusInput = builder.inputType('OfferStatusInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [OfferNode] }),
    expectedVersion: t.int({ description: 'When given, the step fails if the offer changed meanwhile.' }),
  }),
});
const UpdateOfferCapacityInput = builder.inputType('UpdateOfferCapacityInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [OfferNode] }),
    free: t.int({ required: true, validate: z.number().int().min(0).max(100_000) }),
    places: t.int({ validate: z.number().int().min(0).max(100_000) }),
    waitlist: t.boolean(),
  }),
});

type TextList = { language: string; text: string }[] | null | undefined;
const tr = (list: TextList) => (list === undefined ? undefined : list === null ? null : toTranslations(list));

/** GraphQL input → service fields (absent stays absent, null clears). */
function offerFieldsOf(input: Record<string, unknown>): OfferFields {
  const i = input as Record<string, TextList> & Record<string, unknown>;
  const list = <T>(v: unknown) => (v === null ? [] : (v as T[] | undefined));
  const fields: OfferFields = {
    title: tr(i.title) ?? undefined,
    description: tr(i.description),
    eligibility: tr(i.eligibility),
    costDescription: tr(i.costDescription),
    referralRequirements: tr(i.referralRequirements),
    themeCodes: list<string>(i.themes),
    audiences: list(i.audiences),
    languages: list<string>(i.languages),
    serviceArea: list<string>(i.serviceArea),
    siteIds: list<{ id: string }>(i.siteIds)?.map((s) => s.id),
    schedule: i.schedule as OfferFields['schedule'],
  };
  for (const key of [
    'minAge',
    'maxAge',
    'costKind',
    'contactName',
    'contactEmail',
    'contactPhone',
    'website',
    'capacityPlaces',
    'waitlist',
    'acceptsReferrals',
    'responseDays',
  ] as const) {
    if (i[key] !== undefined) (fields as Record<string, unknown>)[key] = i[key];
  }
  return fields;
}

const OfferPayload = builder.objectRef<{ offer: Offer }>('OfferPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ offer: t.field({ type: OfferNode, resolve: (p) => p.offer }) }),
});

const common = [InvalidInputError, NotFoundError, ForbiddenError] as const;

builder.mutationFields((t) => ({
  createOffer: t.field({
    type: OfferPayload,
    description: "Creates a draft offer in your organisation's catalogue.",
    authScopes: { authenticated: true },
    errors: { types: [...common, UnknownThemeError, UnknownCommuneError] },
    args: { input: t.arg({ type: CreateOfferInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const fields = offerFieldsOf(input);
      return {
        offer: await createOffer(ctx.prisma, ctx.viewer, input.organisationId.id, {
          ...fields,
          title: fields.title ?? {},
        }),
      };
    },
  }),
  updateOffer: t.field({
    type: OfferPayload,
    description: 'Changes an offer. A stale `expectedVersion` is a VersionConflictError and changes nothing.',
    authScopes: { authenticated: true },
    errors: { types: [...common, UnknownThemeError, UnknownCommuneError, VersionConflictError] },
    args: { input: t.arg({ type: UpdateOfferInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      offer: await updateOffer(
        ctx.prisma,
        ctx.viewer,
        input.id.id,
        input.expectedVersion,
        offerFieldsOf(input),
      ),
    }),
  }),
  publishOffer: t.field({
    type: OfferPayload,
    description: 'Publishes a draft or paused offer, after checking it has a title, a theme and a place.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError, OfferNotPublishableError, InvalidTransitionError] },
    args: { input: t.arg({ type: OfferStatusInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      offer: await setOfferStatus(ctx.prisma, ctx.viewer, input.id.id, 'publish', input.expectedVersion),
    }),
  }),
  pauseOffer: t.field({
    type: OfferPayload,
    description: 'Takes a published offer out of the public catalogue for a while.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError, InvalidTransitionError] },
    args: { input: t.arg({ type: OfferStatusInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      offer: await setOfferStatus(ctx.prisma, ctx.viewer, input.id.id, 'pause', input.expectedVersion),
    }),
  }),
  withdrawOffer: t.field({
    type: OfferPayload,
    description: 'Withdraws an offer for good.',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError, InvalidTransitionError] },
    args: { input: t.arg({ type: OfferStatusInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      offer: await setOfferStatus(ctx.prisma, ctx.viewer, input.id.id, 'withdraw', input.expectedVersion),
    }),
  }),
  updateOfferCapacity: t.field({
    type: OfferPayload,
    description: 'The quick path: free places now (and total places, waitlist). Does not change `version`.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: UpdateOfferCapacityInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      offer: await updateOfferCapacity(ctx.prisma, ctx.viewer, input.id.id, input),
    }),
  }),
}));
