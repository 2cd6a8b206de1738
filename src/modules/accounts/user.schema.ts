/** User accounts, their memberships, and `viewer` (who is asking). */
import { builder } from '../../builder.ts';
import { Role } from '../../generated/prisma/enums.ts';
import { asUuid } from '../../shared/ids.ts';
import { visibleUsersWhere } from './user.service.ts';

export const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  description: 'A role a user holds in one organisation.',
});

builder.prismaNode('User', {
  description: 'A person with an account. Visible to themselves and to members of their organisations.',
  id: { field: 'id' },
  nullable: true,
  // Node refetches apply the same visibility rule as every other path.
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [visibleUsersWhere(ctx.viewer)] }),
  authScopes: { person: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    locale: t.exposeString('locale', { description: 'Preferred language (fr, de, lb, en…).' }),
    memberships: t.relation('memberships', {
      description: 'Active memberships (a disabled one gives no access and is not listed here).',
      query: { where: { disabledAt: null }, orderBy: { createdAt: 'asc' } },
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The person asking, with memberships and roles; null without a token or for an API client.',
    authScopes: { public: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.viewer?.kind === 'user'
        ? ctx.prisma.user.findUnique({ ...query, where: { id: ctx.viewer.userId } })
        : null,
  }),
}));
