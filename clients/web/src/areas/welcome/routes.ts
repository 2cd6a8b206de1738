import { lazy } from 'react';
import type { ConsoleRoute } from '../../app/route.ts';

/**
 * Welcome coordinators' pages, under `/welcome` (`/guides/…` is the hub's public residents' guide):
 * their guides, a guide's builder, and the residents' preview.
 */
export const welcomeRoutes: ConsoleRoute[] = [
  {
    path: '/welcome',
    component: lazy(() => import('./GuidesPage.tsx')),
    nav: { label: 'navWelcome', roles: ['WELCOME_COORDINATOR', 'ORG_ADMIN'] },
  },
  { path: '/welcome/:id', component: lazy(() => import('./GuidePage.tsx')) },
  { path: '/welcome/:id/preview', component: lazy(() => import('./PreviewPage.tsx')) },
];
