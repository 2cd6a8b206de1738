/** `npm run db:seed`: loads the demo data into the database (DATABASE_URL or the embedded one). */
import { seedDemo } from '../../prisma/seed/seed.ts';
import { withCliDatabase } from './cli-database.ts';

await withCliDatabase(async ({ prisma }) => {
  const counts = await seedDemo(prisma, { history: true });
  console.log(
    `Demo data loaded: ${counts.organisations} organisations, ${counts.users} users, ` +
      `${counts.themes} themes, ${counts.sites} sites, ${counts.offers} offers, ${counts.referrals} referrals, ` +
      `${counts.shelters} shelters, ${counts.guides} guides with ${counts.guideItems} entries, ` +
      `${counts.historyReferrals} referrals of generated history.`,
  );
});
