import { lazy } from 'react';
import type { ConsoleRoute } from '../../app/route.ts';
import type { Role } from '../../../../generated/graphql.ts';

/** Every role: the network page is for any member of an organisation (the hub decides the scope). */
const EVERY_ROLE: Record<Role, true> = {
  CASE_WORKER: true,
  CATALOGUE_EDITOR: true,
  EVENT_ORGANISER: true,
  HUB_ADMIN: true,
  NETWORK_COORDINATOR: true,
  ORG_ADMIN: true,
  WELCOME_COORDINATOR: true,
};

/** The network's picture: flows between organisations, response times, unmet needs. */
export const networkRoutes: ConsoleRoute[] = [
  {
    path: '/network',
    component: lazy(() => import('./NetworkPage.tsx')),
    nav: { label: 'navNetwork', roles: Object.keys(EVERY_ROLE) as Role[] },
  },
];
