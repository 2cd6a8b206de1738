import { lazy } from 'react';
import type { ConsoleRoute } from '../../app/route.ts';

/** Organisation admins' pages: members and invitations, API keys, webhooks and their delivery logs. */
export const adminRoutes: ConsoleRoute[] = [
  {
    path: '/admin/members',
    component: lazy(() => import('./MembersPage.tsx')),
    nav: { label: 'navMembers', roles: ['ORG_ADMIN'] },
  },
  {
    path: '/admin/api-keys',
    component: lazy(() => import('./ApiKeysPage.tsx')),
    nav: { label: 'navApiKeys', roles: ['ORG_ADMIN'] },
  },
  {
    path: '/admin/webhooks',
    component: lazy(() => import('./WebhooksPage.tsx')),
    nav: { label: 'navWebhooks', roles: ['ORG_ADMIN'] },
  },
  { path: '/admin/webhooks/:id', component: lazy(() => import('./WebhookPage.tsx')) },
];
