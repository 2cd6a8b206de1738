import type { ConsoleRoute } from '../../app/route.ts';

/** Organisation admins' pages. */
export const adminRoutes: ConsoleRoute[] = [];
