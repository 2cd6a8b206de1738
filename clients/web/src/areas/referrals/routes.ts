import { lazy } from 'react';
import type { ConsoleRoute } from '../../app/route.ts';

/** Case workers' pages: the catalogue search, matches, sending, inboxes, a referral. */
export const referralRoutes: ConsoleRoute[] = [
  {
    path: '/catalogue',
    component: lazy(() => import('./CataloguePage.tsx')),
    nav: { label: 'navCatalogue', roles: null },
  },
  { path: '/matches', component: lazy(() => import('./MatchesPage.tsx')) },
  {
    path: '/inbox',
    component: lazy(() => import('./InboxPage.tsx')),
    nav: { label: 'navInbox', roles: ['CASE_WORKER', 'ORG_ADMIN'] },
  },
  {
    path: '/referrals/new',
    component: lazy(() => import('./NewReferralPage.tsx')),
    nav: { label: 'navNewReferral', roles: ['CASE_WORKER'] },
  },
  { path: '/referrals/:id', component: lazy(() => import('./ReferralPage.tsx')) },
  {
    path: '/access-log',
    component: lazy(() => import('./AccessLogPage.tsx')),
    nav: { label: 'navAccessLog', roles: ['ORG_ADMIN'] },
  },
];
