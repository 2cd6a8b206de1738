import type { ConsoleRoute } from '../../app/route.ts';

/** Case workers' pages: the catalogue search, matches, sending, inboxes, a referral. */
export const referralRoutes: ConsoleRoute[] = [];
