/**
 * Loads the demo data. Idempotent: organisations are matched by slug, users by e-mail, catalogue
 * rows by code or HSDS id (seed-catalogue.ts), so running it again updates rather than duplicates.
 */
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { demoOrganisations, demoUsers } from './demo-accounts.ts';
import { seedCatalogue } from './seed-catalogue.ts';
import { seedReferrals } from './demo-referrals.ts';
import { seedInvitations } from './demo-invitations.ts';
import { seedWelcome } from './demo-welcome.ts';
import { seedEvents } from './demo-events.ts';

export async function seedDemo(prisma: PrismaClient): Promise<{
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
  return {
    organisations: ids.size,
    users: demoUsers.length + eventUsers,
    ...catalogue,
    sites: catalogue.sites + shelterSites + eventSites,
    referrals,
    invitations,
    ...welcome,
    ...events,
  };
}
