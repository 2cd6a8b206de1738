import type { ConsoleRoute } from '../../app/route.ts';

/** Welcome coordinators' pages. */
export const welcomeRoutes: ConsoleRoute[] = [];
