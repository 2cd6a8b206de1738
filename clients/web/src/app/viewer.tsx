/**
 * Who is signed in: the Viewer query, read once per session, and what the console shows by it.
 * The hub decides what each person may see and do; the console only hides what would fail.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { ViewerQuery, Role } from '../../../generated/graphql.ts';

export type Viewer = NonNullable<ViewerQuery['viewer']>;

const ViewerContext = createContext<Viewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside a signed-in page');
  return viewer;
}

/** The signed-in viewer, or null on a page that is also shown signed out. */
export function useMaybeViewer(): Viewer | null {
  return useContext(ViewerContext);
}

/** Whether the viewer has one of the roles in some organisation (HUB_ADMIN counts everywhere). */
export function hasRole(viewer: Viewer, roles: readonly Role[]): boolean {
  return viewer.memberships.some((m) => m.roles.some((r) => roles.includes(r) || r === 'HUB_ADMIN'));
}

/** The organisations in which the viewer has one of the roles. */
export function organisationsWith(viewer: Viewer, roles: readonly Role[]) {
  return viewer.memberships
    .filter((m) => m.roles.some((r) => roles.includes(r) || r === 'HUB_ADMIN'))
    .map((m) => m.organisation);
}
