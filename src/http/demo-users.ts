/**
 * Which demo user (prisma/seed/demo-accounts.ts; the event organiser: demo-events-organiser.ts) to
 * act as for which story: the README's first lines, the page at `/` and GraphiQL's example tabs
 * say the same (test/readme checks the README and `npm run token -- --list` against this list).
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Role } from '../generated/prisma/enums.ts';

export interface DemoStory {
  story: string;
  email: string;
  /** The role the story needs (the user may have more). */
  role: Role;
}

export const DEMO_STORIES: readonly DemoStory[] = [
  {
    story: 'case worker who sends referrals (Office social de Luxembourg)',
    email: 'lea.hoffmann@office-social.example',
    role: 'CASE_WORKER',
  },
  {
    story: 'case worker who receives them (Inter-Actions)',
    email: 'marc.schmit@inter-actions.example',
    role: 'CASE_WORKER',
  },
  {
    story: 'catalogue editor (Inter-Actions)',
    email: 'sophie.weber@inter-actions.example',
    role: 'CATALOGUE_EDITOR',
  },
  {
    story: "Welcome coordinator (Caritas: a foyer's draft guide)",
    email: 'olena.kovalenko@caritas.example',
    role: 'WELCOME_COORDINATOR',
  },
  {
    story: "Welcome coordinator (Inter-Actions: the SHUK's guide)",
    email: 'lucie.thill@inter-actions.example',
    role: 'WELCOME_COORDINATOR',
  },
  {
    story: "shelter operator's admin (ONA: the SHUK)",
    email: 'carole.kremer@ona.example',
    role: 'ORG_ADMIN',
  },
  {
    story: 'event organiser (Ville de Luxembourg: the Assises sociales)',
    email: 'anne.weber@vdl.example',
    role: 'EVENT_ORGANISER',
  },
  { story: 'hub administrator', email: 'admin@maillage.example', role: 'HUB_ADMIN' },
];

/** A demo story whose user is here: with the user's name and the organisation the role is in. */
export interface DemoUser extends DemoStory {
  name: string;
  organisation: string;
}

/** The demo stories whose user exists here, active, with the story's role in an active membership. */
export async function demoUsersPresent(prisma: PrismaClient): Promise<DemoUser[]> {
  const users = await prisma.user.findMany({
    where: { email: { in: DEMO_STORIES.map((s) => s.email) }, disabledAt: null },
    // A disabled membership gives no access: its roles do not count (auth.service.ts).
    select: {
      email: true,
      name: true,
      memberships: {
        where: { disabledAt: null },
        select: { roles: true, organisation: { select: { name: true } } },
      },
    },
  });
  return DEMO_STORIES.flatMap((story) => {
    const user = users.find((u) => u.email === story.email);
    const membership = user?.memberships.find((m) => m.roles.includes(story.role));
    return user && membership
      ? [{ ...story, name: user.name, organisation: membership.organisation.name }]
      : [];
  });
}
