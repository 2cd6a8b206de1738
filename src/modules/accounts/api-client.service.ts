/** API clients: an organisation's machine credentials, managed by its admins. */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { ApiScope } from '../../generated/prisma/enums.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { generateApiKey } from './api-key.ts';
import { hasRole, type Viewer } from './viewer.ts';

export interface CreateApiClientInput {
  organisationId: string;
  name: string;
  scopes: ApiScope[];
  expiresAt?: Date | null | undefined;
}

/**
 * Creates an API client for an organisation the viewer administers. The key is returned once
 * and never stored: only its hash is.
 */
export async function createApiClient(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: CreateApiClientInput,
) {
  const organisation = await prisma.organisation.findUnique({
    where: { id: asUuid(input.organisationId) },
    select: { id: true },
  });
  if (!organisation) throw new NotFoundError('organisation');
  if (!hasRole(viewer, organisation.id, ['ORG_ADMIN']) || viewer?.kind !== 'user') {
    throw new ForbiddenError("manage this organisation's API clients");
  }
  if (input.expiresAt && input.expiresAt <= new Date()) {
    throw new InvalidInputError('Some fields are invalid.', [
      { path: ['input', 'expiresAt'], message: 'must be in the future', reason: 'PAST' },
    ]);
  }
  const { key, prefix, hash } = generateApiKey();
  const apiClient = await prisma.apiClient.create({
    data: {
      organisationId: organisation.id,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      prefix,
      keyHash: hash,
      createdById: viewer.userId,
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { apiClient, key };
}

/** Revokes an API client; later requests with its key get 401. Revoking twice is harmless. */
export async function revokeApiClient(prisma: PrismaClient, viewer: Viewer | null, id: string) {
  const client = await prisma.apiClient.findUnique({ where: { id: asUuid(id) } });
  // Someone who may not manage the client must not learn that it exists.
  if (!client || !hasRole(viewer, client.organisationId, ['ORG_ADMIN'])) {
    throw new NotFoundError('API client');
  }
  if (client.revokedAt) return client;
  return prisma.apiClient.update({ where: { id: client.id }, data: { revokedAt: new Date() } });
}
