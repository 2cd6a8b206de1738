/** Every page of the console; each area lists its own. */
import { lazy } from 'react';
import { adminRoutes } from '../areas/admin/routes.ts';
import { catalogueRoutes } from '../areas/catalogue/routes.ts';
import { eventRoutes } from '../areas/events/routes.ts';
import { networkRoutes } from '../areas/network/routes.ts';
import { referralRoutes } from '../areas/referrals/routes.ts';
import { welcomeRoutes } from '../areas/welcome/routes.ts';
import type { ConsoleRoute } from './route.ts';

export const ROUTES: ConsoleRoute[] = [
  { path: '/', component: lazy(() => import('./HomePage.tsx')), nav: { label: 'navHome', roles: null } },
  ...referralRoutes,
  ...catalogueRoutes,
  ...welcomeRoutes,
  ...eventRoutes,
  ...networkRoutes,
  ...adminRoutes,
];
