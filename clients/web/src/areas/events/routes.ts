import { lazy } from 'react';
import type { ConsoleRoute } from '../../app/route.ts';

/**
 * Event organisers' pages, under `/organiser` (`/events/…` are the hub's public event pages):
 * their events and editions, an edition's participants, sessions and exports, its check-in, its
 * stands (also for the invited organisations' admins, who prepare their own).
 */
export const eventRoutes: ConsoleRoute[] = [
  {
    path: '/organiser',
    component: lazy(() => import('./OrganiserEventsPage.tsx')),
    nav: { label: 'navEvents', roles: ['EVENT_ORGANISER'] },
  },
  {
    path: '/organiser/events/:event/new-edition',
    component: lazy(() => import('./NewEditionPage.tsx')),
  },
  { path: '/organiser/:slug', component: lazy(() => import('./EditionPage.tsx')) },
  { path: '/organiser/:slug/edit', component: lazy(() => import('./EditEditionPage.tsx')) },
  { path: '/organiser/:slug/check-in', component: lazy(() => import('./CheckInPage.tsx')) },
  { path: '/organiser/:slug/stands', component: lazy(() => import('./StandsPage.tsx')) },
  { path: '/organiser/:slug/invitations', component: lazy(() => import('./InvitationsPage.tsx')) },
];
