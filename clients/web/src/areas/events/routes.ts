import type { ConsoleRoute } from '../../app/route.ts';

/** Event organisers' pages. */
export const eventRoutes: ConsoleRoute[] = [];
