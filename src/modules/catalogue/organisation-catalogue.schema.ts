/** The catalogue seen from an organisation: its description, offers, sites and change log. */
import { builder } from '../../builder.ts';
import { reads } from '../../shared/db/prisma-json.ts';
import { Role } from '../../generated/prisma/enums.ts';
import { visibleOffersWhere } from './catalogue.access.ts';
import {
  askedLanguages,
  LanguageEnum,
  LocalizedText,
  Translation,
  translationList,
} from './localized.schema.ts';
import { localize } from './translations.ts';

builder.prismaObjectFields('Organisation', (t) => ({
  description: t.field({
    type: LocalizedText,
    nullable: true,
    args: { lang: t.arg({ type: LanguageEnum, required: false }) },
    extensions: reads('description'),
    resolve: (o, { lang }, ctx) => localize(o.description, askedLanguages(lang, ctx)),
  }),
  descriptionTranslations: t.field({
    type: [Translation],
    extensions: reads('description'),
    resolve: (o) => translationList(o.description),
  }),
  email: t.exposeString('email', { nullable: true }),
  phone: t.exposeString('phone', { nullable: true }),
  offers: t.relatedConnection('offers', {
    cursor: 'id',
    description:
      "The organisation's offers you may see (published ones; all of them for its members and its API clients with CATALOGUE_READ).",
    totalCount: true,
    query: (_args, ctx) => ({
      where: visibleOffersWhere(ctx.viewer),
      orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
    }),
  }),
  sites: t.relatedConnection('sites', {
    cursor: 'id',
    totalCount: true,
    query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
  }),
  catalogueChanges: t.relatedConnection('changes', {
    cursor: 'id',
    description: "Every change to the organisation's catalogue, newest first (its members only).",
    authScopes: (o) => ({ orgRole: { organisationId: o.id, roles: Object.values(Role) } }),
    query: { orderBy: [{ at: 'desc' }, { id: 'desc' }] },
  }),
}));
