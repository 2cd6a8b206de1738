/** Offer: the catalogue's service, public once published; `offers` finds them. */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { builder, nodeLookup } from '../../builder.ts';
import { reads } from '../../shared/db/prisma-json.ts';
import { lookupPlanner } from '../../shared/db/lookup-plans.ts';
import { Audience, CostKind, OfferStatus, Role } from '../../generated/prisma/enums.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS, searchTextExtensions } from '../../shared/input-limits.ts';
import { asUuid } from '../../shared/ids.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { canEditCatalogue, visibleOffersWhere } from './catalogue.access.ts';
import {
  askedLanguages,
  LanguageEnum,
  LocalizedText,
  Translation,
  translationList,
} from './localized.schema.ts';
import { pageRelations, pageSelection } from './offer-page.service.ts';
import { searchOffers } from './offer-search.service.ts';
import type { ScheduleEntry } from './schedule.ts';
import { localize, missingLanguages } from './translations.ts';
import { fieldsOf } from '../../shared/selection.ts';

export const AudienceEnum = builder.enumType(Audience, {
  name: 'Audience',
  description: 'Who an offer is for.',
});
export const CostKindEnum = builder.enumType(CostKind, { name: 'CostKind' });
export const OfferStatusEnum = builder.enumType(OfferStatus, {
  name: 'OfferStatus',
  description:
    "Only PUBLISHED offers are public; the others are visible to their organisation's members and to its API clients with CATALOGUE_READ.",
});
const OfferOrderEnum = builder.enumType('OfferOrder', {
  values: {
    RELEVANCE: { description: 'Best text match first (last update when there is no text).' },
    NAME: { description: 'By title in the language asked for.' },
    UPDATED: { description: 'Most recently updated first.' },
  } as const,
});

export const ScheduleEntryRef = builder.objectRef<ScheduleEntry>('ScheduleEntry').implement({
  description: 'A recurring opening of the offer (iCalendar-style, as HSDS schedule).',
  authScopes: { public: true },
  fields: (t) => ({
    freq: t.exposeString('freq', { description: 'WEEKLY or MONTHLY.' }),
    byday: t.exposeStringList('byday', { description: 'MO, TU, WE, TH, FR, SA, SU.' }),
    opensAt: t.exposeString('opensAt'),
    closesAt: t.exposeString('closesAt'),
    validFrom: t.string({ nullable: true, resolve: (e) => e.validFrom ?? null }),
    validTo: t.string({ nullable: true, resolve: (e) => e.validTo ?? null }),
    description: t.field({
      type: LocalizedText,
      nullable: true,
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (e, { lang }, ctx) => {
        const list = e.description ?? [];
        return localize(Object.fromEntries(list.map((d) => [d.language, d.text])), askedLanguages(lang, ctx));
      },
    }),
  }),
});

interface Capacity {
  places: number | null;
  free: number | null;
  waitlist: boolean;
  updatedAt: Date | null;
}
const CapacityRef = builder.objectRef<Capacity>('Capacity').implement({
  authScopes: { public: true },
  fields: (t) => ({
    places: t.exposeInt('places', { nullable: true }),
    free: t.exposeInt('free', { nullable: true, description: 'Free places now, as last reported.' }),
    waitlist: t.exposeBoolean('waitlist'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const ContactRef = builder
  .objectRef<{ name: string | null; email: string | null; phone: string | null }>('Contact')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      name: t.exposeString('name', { nullable: true }),
      email: t.exposeString('email', { nullable: true }),
      phone: t.exposeString('phone', { nullable: true }),
    }),
  });

const MissingTranslation = builder
  .objectRef<{ field: string; languages: string[] }>('MissingTranslation')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      field: t.exposeString('field'),
      languages: t.exposeStringList('languages'),
    }),
  });

const ALL_ROLES = Object.values(Role);

export const OfferNode = builder.prismaNode('Offer', {
  description: 'An offer of the shared catalogue (HSDS service).',
  id: { field: 'id' },
  nullable: true,
  // Node refetches apply the same rule as every list: drafts stay inside their organisation.
  ...nodeLookup('Offer', (id, ctx) => ({ id: asUuid(id), AND: [visibleOffersWhere(ctx.viewer)] })),
  authScopes: { public: true },
  fields: (t) => ({
    organisation: t.relation('organisation'),
    title: t.field({
      type: LocalizedText,
      extensions: reads('title'),
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (o, { lang }, ctx) =>
        localize(o.title, askedLanguages(lang, ctx)) ?? { text: '', language: 'fr' as const, fallback: true },
    }),
    titleTranslations: t.field({
      type: [Translation],
      extensions: reads('title'),
      resolve: (o) => translationList(o.title),
    }),
    description: t.field({
      type: LocalizedText,
      nullable: true,
      extensions: reads('description'),
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (o, { lang }, ctx) => localize(o.description, askedLanguages(lang, ctx)),
    }),
    descriptionTranslations: t.field({
      type: [Translation],
      extensions: reads('description'),
      resolve: (o) => translationList(o.description),
    }),
    status: t.expose('status', { type: OfferStatusEnum }),
    version: t.exposeInt('version', { description: 'Send it back as `expectedVersion` when updating.' }),
    themes: t.relation('themes', { query: { orderBy: { code: 'asc' } } }),
    audiences: t.expose('audiences', { type: [AudienceEnum] }),
    minAge: t.exposeInt('minAge', { nullable: true }),
    maxAge: t.exposeInt('maxAge', { nullable: true }),
    eligibility: t.field({
      type: LocalizedText,
      nullable: true,
      extensions: reads('eligibility'),
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (o, { lang }, ctx) => localize(o.eligibility, askedLanguages(lang, ctx)),
    }),
    languages: t.exposeStringList('languages', { description: 'Languages the offer is delivered in.' }),
    costKind: t.expose('costKind', { type: CostKindEnum }),
    costDescription: t.field({
      type: LocalizedText,
      nullable: true,
      extensions: reads('costDescription'),
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (o, { lang }, ctx) => localize(o.costDescription, askedLanguages(lang, ctx)),
    }),
    sites: t.relation('sites', { query: { orderBy: { name: 'asc' } } }),
    serviceArea: t.exposeStringList('serviceArea', { description: 'Communes served without a site there.' }),
    schedule: t.field({
      type: [ScheduleEntryRef],
      extensions: reads('schedule'),
      resolve: (o) => (Array.isArray(o.schedule) ? (o.schedule as unknown as ScheduleEntry[]) : []),
    }),
    contact: t.field({
      type: ContactRef,
      nullable: true,
      extensions: reads('contactName', 'contactEmail', 'contactPhone'),
      resolve: (o) =>
        o.contactName || o.contactEmail || o.contactPhone
          ? { name: o.contactName, email: o.contactEmail, phone: o.contactPhone }
          : null,
    }),
    website: t.exposeString('website', { nullable: true }),
    capacity: t.field({
      type: CapacityRef,
      extensions: reads('capacityPlaces', 'capacityFree', 'waitlist', 'capacityUpdatedAt'),
      resolve: (o) => ({
        places: o.capacityPlaces,
        free: o.capacityFree,
        waitlist: o.waitlist,
        updatedAt: o.capacityUpdatedAt,
      }),
    }),
    acceptsReferrals: t.exposeBoolean('acceptsReferrals'),
    referralRequirements: t.field({
      type: LocalizedText,
      nullable: true,
      description: 'What a referral to this offer must contain.',
      extensions: reads('referralRequirements'),
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (o, { lang }, ctx) => localize(o.referralRequirements, askedLanguages(lang, ctx)),
    }),
    responseDays: t.exposeInt('responseDays', {
      description: 'Working days for a first answer to a referral.',
    }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    missingTranslations: t.field({
      type: [MissingTranslation],
      nullable: true,
      description: "Expected languages (fr, de, lb, en) each text lacks. For the organisation's editors.",
      authScopes: (o, _args, ctx) => canEditCatalogue(ctx.viewer, o.organisationId),
      resolve: (o) =>
        (['title', 'description', 'eligibility', 'referralRequirements'] as const)
          .filter((f) => f === 'title' || (o[f] !== null && Object.keys(o[f] as object).length > 0))
          .map((field) => ({ field, languages: missingLanguages(o[field]) }))
          .filter((m) => m.languages.length > 0),
    }),
    changes: t.relatedConnection('changes', {
      cursor: 'id',
      description: 'Every change to this offer, newest first (its organisation only).',
      authScopes: (o) => ({ orgRole: { organisationId: o.organisationId, roles: ALL_ROLES } }),
      query: { orderBy: [{ at: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

builder.prismaObject('CatalogueChange', {
  description: 'One change in the catalogue: who, when, which fields, before and after.',
  authScopes: { authenticated: true },
  fields: (t) => ({
    entityType: t.exposeString('entityType'),
    action: t.exposeString('action'),
    fields: t.exposeStringList('fields'),
    before: t.string({
      nullable: true,
      description: 'JSON of the changed fields before.',
      resolve: (c) => (c.before === null ? null : JSON.stringify(c.before)),
    }),
    after: t.string({
      nullable: true,
      description: 'JSON of the changed fields after.',
      resolve: (c) => (c.after === null ? null : JSON.stringify(c.after)),
    }),
    actor: t.relation('actorUser', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const OfferFilterInput = builder.inputType('OfferFilter', {
  fields: (t) => ({
    text: t.string({
      description: `Free text: accent- and case-insensitive, French and German stemming. At most ${SEARCH_MAX_LENGTH} characters and ${SEARCH_MAX_WORDS} words.`,
      extensions: searchTextExtensions,
    }),
    themes: t.stringList({ description: 'Theme codes; sub-themes are included.' }),
    communes: t.stringList({ description: 'Offers with a site in, or serving, one of these communes.' }),
    audiences: t.field({ type: [AudienceEnum] }),
    languages: t.stringList({ description: 'ISO 639-1 codes the offer is delivered in (any of them).' }),
    hasFreePlaces: t.boolean(),
    acceptsReferrals: t.boolean(),
    organisation: t.globalID({ for: [Organisation] }),
    statuses: t.field({
      type: [OfferStatusEnum],
      description:
        "Default PUBLISHED. Other statuses match only offers you may see: your organisations' (an API client needs CATALOGUE_READ).",
    }),
  }),
});

export const MAX_PAGE = 100;

/** Pothos' plan of a page's offers (`edges { node }`), kept per document field (lookup-plans.ts). */
const pagePlan = lookupPlanner('Offer', (query) => query, ['edges', 'node']);

builder.queryFields((t) => ({
  offers: t.connection(
    {
      type: OfferNode,
      description: 'Finds offers. The published catalogue is readable without a token.',
      authScopes: { public: true },
      args: {
        filter: t.arg({ type: OfferFilterInput }),
        orderBy: t.arg({ type: OfferOrderEnum, defaultValue: 'RELEVANCE' }),
        lang: t.arg({
          type: LanguageEnum,
          description: 'Language for sorting by name (else Accept-Language).',
        }),
      },
      resolve: async (_root, args, ctx, info) => {
        if ((args.first ?? 0) > MAX_PAGE || (args.last ?? 0) > MAX_PAGE) {
          throw new InvalidInputError(`At most ${MAX_PAGE} offers per page.`, [
            { path: [args.first ? 'first' : 'last'], message: `must be at most ${MAX_PAGE}` },
          ]);
        }
        const filter = args.filter ?? {};
        let totalCount = 0;
        const connection = await resolveOffsetConnection(
          { args, defaultSize: 20, maxSize: MAX_PAGE },
          async ({ limit, offset }) => {
            const { shape: query } = await pagePlan(ctx, info);
            // The usual selection (offer, organisation, sites, themes) comes with the search itself.
            const relations = pageRelations(query);
            const found = await searchOffers(
              ctx,
              ctx.viewer,
              { ...filter, organisationId: filter.organisation?.id ?? null },
              {
                order: args.orderBy ?? 'RELEVANCE',
                languages: askedLanguages(args.lang, ctx),
                limit,
                offset,
                count: fieldsOf(
                  info.fieldNodes.flatMap((f) => f.selectionSet?.selections ?? []),
                  info.fragments,
                ).has('totalCount'),
              },
              relations,
              pageSelection(info),
            );
            totalCount = found.totalCount ?? 0;
            if (found.offers) return found.offers as never[];
            if (found.ids.length === 0) return [];
            const rows = await ctx.prisma.offer.findMany({ ...query, where: { id: { in: found.ids } } });
            const byId = new Map(rows.map((r) => [r.id, r]));
            return found.ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
          },
        );
        return { ...connection, totalCount };
      },
    },
    {
      fields: (c) => ({
        totalCount: c.int({ resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }),
      }),
    },
  ),
}));
