/** Themes: the catalogue's hierarchical taxonomy, public. */
import { builder, nodeLookup } from '../../builder.ts';
import { reads } from '../../shared/db/prisma-json.ts';
import { asUuid } from '../../shared/ids.ts';
import {
  askedLanguages,
  LanguageEnum,
  LocalizedText,
  Translation,
  translationList,
} from './localized.schema.ts';
import { localize } from './translations.ts';

builder.prismaNode('Theme', {
  description: 'A theme of the taxonomy (housing, health, language courses…), with sub-themes.',
  id: { field: 'id' },
  nullable: true,
  ...nodeLookup('Theme', (id) => ({ id: asUuid(id) })),
  authScopes: { public: true },
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable dotted code, e.g. `housing.emergency_shelter`.' }),
    label: t.field({
      type: LocalizedText,
      // The code stands in for a label in no language.
      extensions: reads('label', 'code'),
      args: { lang: t.arg({ type: LanguageEnum, required: false }) },
      resolve: (theme, { lang }, ctx) =>
        localize(theme.label, askedLanguages(lang, ctx)) ?? {
          text: theme.code,
          language: 'fr' as const,
          fallback: true,
        },
    }),
    labelTranslations: t.field({
      type: [Translation],
      extensions: reads('label'),
      resolve: (theme) => translationList(theme.label),
    }),
    parent: t.relation('parent', { nullable: true }),
    children: t.relation('children', { query: { orderBy: [{ position: 'asc' }, { code: 'asc' }] } }),
  }),
});

builder.queryFields((t) => ({
  themes: t.prismaField({
    type: ['Theme'],
    description: 'The theme tree: top-level themes, with `children` below them.',
    authScopes: { public: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.theme.findMany({
        ...query,
        where: { parentId: null },
        orderBy: [{ position: 'asc' }, { code: 'asc' }],
      }),
  }),
}));
