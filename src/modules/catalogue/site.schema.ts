/** Sites: public addresses where offers are delivered; editable by their organisation. */
import { z } from 'zod';
import { builder, nodeLookup, type InputFields } from '../../builder.ts';
import type { Site } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { reads } from '../../shared/db/prisma-json.ts';
import { asUuid } from '../../shared/ids.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { UnknownCommuneError } from './catalogue.errors.ts';
import { askedLanguages, LanguageEnum, LocalizedText, TranslationInput } from './localized.schema.ts';
import { createSite, updateSite, type SiteFields } from './site.service.ts';
import { canonicalCommune } from './communes.ts';
import { localize, toTranslations, translationsInput } from './translations.ts';

const OpeningHours = builder
  .objectRef<{ weekday: number; opens: string; closes: string }>('OpeningHours')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      weekday: t.exposeInt('weekday', { description: '1 = Monday … 7 = Sunday.' }),
      opens: t.exposeString('opens'),
      closes: t.exposeString('closes'),
    }),
  });

export const SiteNode = builder.prismaNode('Site', {
  description: 'A place where an organisation delivers offers (HSDS location).',
  id: { field: 'id' },
  nullable: true,
  ...nodeLookup('Site', (id) => ({ id: asUuid(id) })),
  authScopes: { public: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    organisation: t.relation('organisation'),
    street: t.exposeString('street', { nullable: true }),
    postcode: t.exposeString('postcode', { nullable: true }),
    commune: t.exposeString('commune'),
    quarter: t.exposeString('quarter', { nullable: true }),
    country: t.exposeString('country'),
    latitude: t.exposeFloat('latitude', { nullable: true }),
    longitude: t.exposeFloat('longitude', { nullable: true }),
    wheelchairAccessible: t.exposeBoolean('wheelchairAccessible', { nullable: true }),
    accessibility: t.field({
      type: LocalizedText,
      nullable: true,
      extensions: reads('accessibility'),
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (site, { lang }, ctx) => localize(site.accessibility, askedLanguages(lang, ctx)),
    }),
    openingHours: t.field({
      type: [OpeningHours],
      extensions: reads('openingHours'),
      resolve: (site) => (Array.isArray(site.openingHours) ? (site.openingHours as never[]) : []),
    }),
    version: t.exposeInt('version'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
const OpeningHoursInput = builder.inputType('OpeningHoursInput', {
  fields: (t) => ({
    weekday: t.int({ required: true, validate: z.number().int().min(1).max(7) }),
    opens: t.string({ required: true, validate: time }),
    closes: t.string({ required: true, validate: time }),
  }),
});

const siteFields = <Req extends boolean>(t: InputFields, req: Req) => ({
  name: t.string({ required: req, validate: z.string().trim().min(1).max(200) }),
  street: t.string({ required: false, validate: z.string().max(200) }),
  postcode: t.string({
    required: false,
    validate: z.string().regex(/^(L-)?\d{4}$/, 'a Luxembourg postcode'),
  }),
  commune: t.string({ required: req, validate: z.string().trim().min(1).max(100) }),
  quarter: t.string({ required: false, validate: z.string().max(100) }),
  latitude: t.float({ required: false, validate: z.number().min(-90).max(90) }),
  longitude: t.float({ required: false, validate: z.number().min(-180).max(180) }),
  wheelchairAccessible: t.boolean({ required: false }),
  accessibility: t.field({ type: [TranslationInput], required: false, validate: translationsInput(2000) }),
  openingHours: t.field({ type: [OpeningHoursInput], required: false }),
});

const CreateSiteInput = builder.inputType('CreateSiteInput', {
  fields: (t) => ({
    organisationId: t.globalID({ required: true, for: [Organisation] }),
    ...siteFields(t, true),
  }),
});
const UpdateSiteInput = builder.inputType('UpdateSiteInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [SiteNode] }),
    expectedVersion: t.int({ required: true }),
    ...siteFields(t, false),
  }),
});

type SiteInput = {
  [K in keyof SiteFields]?: unknown;
} & { accessibility?: { language: string; text: string }[] | null };

function fieldsOf(input: SiteInput): SiteFields {
  const { accessibility, ...rest } = input;
  const out = { ...rest } as SiteFields & Record<string, unknown>;
  delete out.id;
  delete out.organisationId;
  delete out.expectedVersion;
  if (accessibility !== undefined)
    out.accessibility = accessibility === null ? null : toTranslations(accessibility);
  if (typeof out.postcode === 'string') out.postcode = out.postcode.replace(/^L-/, '');
  return out;
}

const SitePayload = builder.objectRef<{ site: Site }>('SitePayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ site: t.field({ type: SiteNode, resolve: (p) => p.site }) }),
});

builder.mutationFields((t) => ({
  createSite: t.field({
    type: SitePayload,
    description: "Adds a site to your organisation's catalogue.",
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError, UnknownCommuneError] },
    args: { input: t.arg({ type: CreateSiteInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      site: await createSite(ctx.prisma, ctx.viewer, input.organisationId.id, fieldsOf(input) as never),
    }),
  }),
  updateSite: t.field({
    type: SitePayload,
    description: 'Changes a site; `expectedVersion` is the version you read.',
    authScopes: { authenticated: true },
    errors: {
      types: [InvalidInputError, NotFoundError, ForbiddenError, UnknownCommuneError, VersionConflictError],
    },
    args: { input: t.arg({ type: UpdateSiteInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      site: await updateSite(ctx.prisma, ctx.viewer, input.id.id, input.expectedVersion, fieldsOf(input)),
    }),
  }),
}));

builder.queryFields((t) => ({
  sites: t.prismaConnection({
    type: 'Site',
    cursor: 'id',
    description: 'Sites of the network, by name; optionally in one commune or of one organisation.',
    authScopes: { public: true },
    args: {
      commune: t.arg.string(),
      organisation: t.arg.globalID({ for: [Organisation] }),
    },
    totalCount: (_parent, args, ctx) => ctx.prisma.site.count({ where: sitesWhere(args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.site.findMany({
        ...query,
        where: sitesWhere(args),
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }),
}));

function sitesWhere(args: { commune?: string | null; organisation?: { id: string } | null }) {
  const commune = args.commune ? canonicalCommune(args.commune) : undefined;
  if (commune === null) throw new UnknownCommuneError([args.commune!], ['commune']);
  return {
    ...(commune ? { commune } : {}),
    ...(args.organisation ? { organisationId: asUuid(args.organisation.id) } : {}),
  };
}
