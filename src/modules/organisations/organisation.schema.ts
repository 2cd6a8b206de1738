/** Organisation: the partners of the network. Their public profile is readable without a token. */
import { builder, nodeLookup } from '../../builder.ts';
import { OrganisationKind } from '../../generated/prisma/enums.ts';
import { asUuid } from '../../shared/ids.ts';

export const OrganisationKindEnum = builder.enumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'What an organisation is, legally or administratively.',
});

export const Organisation = builder.prismaNode('Organisation', {
  description: 'A partner organisation: association, foundation, commune social office, agency…',
  id: { field: 'id' },
  nullable: true,
  ...nodeLookup('Organisation', (id) => ({ id: asUuid(id) })),
  authScopes: { public: true },
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable, URL-safe name, e.g. `inter-actions`.' }),
    name: t.exposeString('name'),
    legalForm: t.exposeString('legalForm', { nullable: true, description: 'e.g. asbl, fondation.' }),
    kind: t.expose('kind', { type: OrganisationKindEnum }),
    website: t.exposeString('website', { nullable: true }),
    parent: t.relation('parent', {
      nullable: true,
      description: 'The organisation this one belongs to (a service of a foundation…).',
    }),
    children: t.relation('children', { query: { orderBy: { name: 'asc' } } }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  organisation: t.prismaField({
    type: 'Organisation',
    nullable: true,
    description: 'An organisation by its slug.',
    authScopes: { public: true },
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, { slug }, ctx) =>
      ctx.prisma.organisation.findUnique({ ...query, where: { slug } }),
  }),
  organisations: t.prismaConnection({
    type: 'Organisation',
    cursor: 'id',
    description: 'All organisations of the network, by name.',
    authScopes: { public: true },
    totalCount: (_parent, _args, ctx) => ctx.prisma.organisation.count(),
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.organisation.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
}));
