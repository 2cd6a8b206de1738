/** ApiClient: machine credentials, visible to and managed by their organisation's admins. */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { ApiClient } from '../../generated/prisma/client.ts';
import { ApiScope } from '../../generated/prisma/enums.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { createApiClient, revokeApiClient } from './api-client.service.ts';
import { viewerOrganisationIds, type Viewer } from './viewer.ts';

const ApiScopeEnum = builder.enumType(ApiScope, {
  name: 'ApiScope',
  description: 'What an API client may do.',
});

/** API clients of the organisations the viewer administers. */
function adminOrganisationIds(viewer: Viewer | null): string[] {
  if (viewer?.kind !== 'user') return [];
  return viewerOrganisationIds(viewer).filter((id) => viewer.roles.get(id)?.has('ORG_ADMIN'));
}

const ApiClientNode = builder.prismaNode('ApiClient', {
  description: "An organisation's machine credential. The key itself is shown only once, at creation.",
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({
    id: asUuid(id),
    OR: [
      { organisationId: { in: adminOrganisationIds(ctx.viewer) } },
      ...(ctx.viewer?.kind === 'apiClient' ? [{ id: ctx.viewer.apiClientId }] : []),
    ],
  }),
  // Visible to its organisation's admins and to itself; loading applies the rule.
  authScopes: { authenticated: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'Public part of the key, to recognise it.' }),
    scopes: t.expose('scopes', { type: [ApiScopeEnum] }),
    organisation: t.relation('organisation'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  viewerApiClient: t.prismaField({
    type: 'ApiClient',
    nullable: true,
    description: 'The API client making the request; null for people and anonymous callers.',
    authScopes: { public: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.viewer?.kind === 'apiClient'
        ? ctx.prisma.apiClient.findUnique({ ...query, where: { id: ctx.viewer.apiClientId } })
        : null,
  }),
}));

builder.prismaObjectFields('Organisation', (t) => ({
  apiClients: t.relatedConnection('apiClients', {
    cursor: 'id',
    description: "The organisation's API clients (its admins only).",
    authScopes: (org) => ({ orgRole: { organisationId: org.id, roles: ['ORG_ADMIN'] } }),
    query: { orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] },
  }),
}));

const CreateApiClientInput = builder.inputType('CreateApiClientInput', {
  fields: (t) => ({
    organisationId: t.globalID({ required: true, for: [Organisation] }),
    name: t.string({ required: true, validate: z.string().trim().min(1).max(100) }),
    scopes: t.field({ type: [ApiScopeEnum], required: true, validate: z.array(z.string()).min(1) }),
    expiresAt: t.field({ type: 'DateTime', required: false }),
  }),
});

const CreateApiClientPayload = builder
  .objectRef<{ key: string; apiClient: ApiClient }>('CreateApiClientPayload')
  .implement({
    authScopes: { person: true },
    fields: (t) => ({
      apiClient: t.field({ type: ApiClientNode, resolve: (p) => p.apiClient }),
      key: t.exposeString('key', { description: 'The API key. Shown only now: store it safely.' }),
    }),
  });

const RevokeApiClientInput = builder.inputType('RevokeApiClientInput', {
  fields: (t) => ({ id: t.globalID({ required: true, for: [ApiClientNode] }) }),
});

const RevokeApiClientPayload = builder
  .objectRef<{ apiClient: ApiClient }>('RevokeApiClientPayload')
  .implement({
    authScopes: { person: true },
    fields: (t) => ({
      apiClient: t.field({ type: ApiClientNode, resolve: (p) => p.apiClient }),
    }),
  });

builder.mutationFields((t) => ({
  createApiClient: t.field({
    type: CreateApiClientPayload,
    description: 'Creates a machine credential for an organisation you administer.',
    authScopes: { person: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: CreateApiClientInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createApiClient(ctx.prisma, ctx.viewer, {
        organisationId: input.organisationId.id,
        name: input.name.trim(),
        scopes: input.scopes,
        expiresAt: input.expiresAt,
      }),
  }),
  revokeApiClient: t.field({
    type: RevokeApiClientPayload,
    description: 'Revokes a machine credential: its key stops working at once.',
    authScopes: { person: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { input: t.arg({ type: RevokeApiClientInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      apiClient: await revokeApiClient(ctx.prisma, ctx.viewer, input.id.id),
    }),
  }),
}));
