import type { ConsoleRoute } from '../../app/route.ts';

/** Catalogue editors' pages (and the catalogue search, for everyone). */
export const catalogueRoutes: ConsoleRoute[] = [];
