/**
 * Who is asking: a person (with their memberships) or an organisation's API client.
 * Built once per request or WebSocket connection, never shared between them.
 */
import type { ApiScope, Role } from '../../generated/prisma/enums.ts';

export interface UserViewer {
  kind: 'user';
  userId: string;
  email: string;
  /** organisationId → roles held there. */
  roles: ReadonlyMap<string, ReadonlySet<Role>>;
  hubAdmin: boolean;
  /** Token expiry (seconds since epoch); subscriptions end when it passes. */
  expiresAt?: number;
}

export interface ApiClientViewer {
  kind: 'apiClient';
  apiClientId: string;
  organisationId: string;
  scopes: ReadonlySet<ApiScope>;
}

export type Viewer = UserViewer | ApiClientViewer;

/** Organisation IDs the viewer belongs to (an API client belongs to its own). */
export function viewerOrganisationIds(viewer: Viewer | null): string[] {
  if (!viewer) return [];
  return viewer.kind === 'user' ? [...viewer.roles.keys()] : [viewer.organisationId];
}

/** True when the viewer is a person holding one of `roles` in `organisationId`. */
export function hasRole(viewer: Viewer | null, organisationId: string, roles: readonly Role[]): boolean {
  if (viewer?.kind !== 'user') return false;
  const held = viewer.roles.get(organisationId);
  return !!held && roles.some((r) => held.has(r));
}
