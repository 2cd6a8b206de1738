/**
 * Loads the demo data. Idempotent: organisations are matched by slug, users by e-mail, catalogue
 * rows by code or HSDS id (seed-catalogue.ts), so running it again updates rather than duplicates.
 * With `history`, also a year of generated referrals and unmet demand for the network's
 * statistics (demo-history.ts): what `npm start` and `npm run db:seed` load; tests leave it out.
 */
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { demoOrganisations, demoUsers } from './demo-accounts.ts';
import { seedCatalogue } from './seed-catalogue.ts';
import { seedReferrals } from './demo-referrals.ts';
import { seedInvitations } from './demo-invitations.ts';
import { seedWelcome } from './demo-welcome.ts';
import { seedEvents } from './demo-events.ts';
import { seedHistory } from './demo-history.ts';

export async function seedDemo(
  prisma: PrismaClient,
  opts: { history?: boolean; now?: Date } = {},
): Promise<{
  organisations: number;
  users: number;
  themes: number;
  sites: number;
  offers: number;
  referrals: number;
  invitations: number;
  shelters: number;
  guides: number;
  guideItems: number;
  events: number;
  eventEditions: number;
  stands: number;
  eventRegistrations: number;
  /** Generated history referrals (0 without `history`). */
  historyReferrals: number;
}> {
  const ids = new Map<string, string>();
  // Parents first, so that children can point at them.
  const ordered = [...demoOrganisations].sort((a, b) => Number(!!a.parent) - Number(!!b.parent));
  for (const { parent, ...org } of ordered) {
    const data = { ...org, parentId: parent ? (ids.get(parent) ?? null) : null };
    const row = await prisma.organisation.upsert({ where: { slug: org.slug }, create: data, update: data });
    ids.set(org.slug, row.id);
  }
  for (const { memberships, ...user } of demoUsers) {
    const row = await prisma.user.upsert({ where: { email: user.email }, create: user, update: user });
    for (const m of memberships) {
      const organisationId = ids.get(m.organisation);
      if (!organisationId) throw new Error(`demo user ${user.email}: unknown organisation ${m.organisation}`);
      await prisma.membership.upsert({
        where: { userId_organisationId: { userId: row.id, organisationId } },
        create: { userId: row.id, organisationId, roles: m.roles },
        update: { roles: m.roles },
      });
    }
  }
  const catalogue = await seedCatalogue(prisma, ids);
  const referrals = await seedReferrals(prisma);
  const invitations = await seedInvitations(prisma);
  const { sites: shelterSites, ...welcome } = await seedWelcome(prisma, ids);
  const { sites: eventSites, users: eventUsers, ...events } = await seedEvents(prisma, ids);
  // After the demo referrals, so that theirs are the first references and the newest inboxes.
  const historyReferrals = opts.history ? await seedHistory(prisma, { now: opts.now }) : 0;
  return {
    organisations: ids.size,
    users: demoUsers.length + eventUsers,
    ...catalogue,
    sites: catalogue.sites + shelterSites + eventSites,
    referrals,
    invitations,
    ...welcome,
    ...events,
    historyReferrals,
  };
}
