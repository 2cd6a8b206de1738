import { lazy } from 'react';
import type { ConsoleRoute } from '../../app/route.ts';

/**
 * Catalogue editors' pages: an organisation's offers and sites, an offer's form, translations and
 * change log. (The catalogue search, for case workers, is in areas/referrals.) The more specific
 * paths come first: the menu's Switch takes the first that matches.
 */
export const catalogueRoutes: ConsoleRoute[] = [
  {
    path: '/offers',
    component: lazy(() => import('./OffersPage.tsx')),
    nav: { label: 'navOffers', roles: ['CATALOGUE_EDITOR', 'ORG_ADMIN'] },
  },
  { path: '/offers/new', component: lazy(() => import('./NewOfferPage.tsx')) },
  { path: '/offers/sites/:id', component: lazy(() => import('./SitePage.tsx')) },
  { path: '/offers/:id/translations', component: lazy(() => import('./OfferTranslationsPage.tsx')) },
  { path: '/offers/:id/changes', component: lazy(() => import('./OfferChangesPage.tsx')) },
  { path: '/offers/:id', component: lazy(() => import('./OfferPage.tsx')) },
];
