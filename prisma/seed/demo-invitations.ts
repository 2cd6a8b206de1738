/**
 * One pending invitation, so that a newcomer can try joining: Sophie Weber (Inter-Actions' admin)
 * invites a new case worker. Its mail is kept (`npm run mail:list` shows the code, which
 * `acceptInvitation` takes). Not repeated once an invitation to that address exists.
 */
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { Role } from '../../src/generated/prisma/enums.ts';
import { inviteMember } from '../../src/modules/accounts/invitation.service.ts';
import type { UserViewer } from '../../src/modules/accounts/viewer.ts';
import { createMailer } from '../../src/modules/mail/mailer.ts';
import { createLogger } from '../../src/shared/logger.ts';

export const DEMO_INVITEE = 'nadia.benali@inter-actions.example';

export async function seedInvitations(prisma: PrismaClient): Promise<number> {
  const organisation = await prisma.organisation.findUniqueOrThrow({ where: { slug: 'inter-actions' } });
  if (await prisma.invitation.count({ where: { organisationId: organisation.id, email: DEMO_INVITEE } })) {
    return 0;
  }
  const admin = await prisma.user.findUniqueOrThrow({
    where: { email: 'sophie.weber@inter-actions.example' },
    include: { memberships: { where: { disabledAt: null } } },
  });
  const viewer: UserViewer = {
    kind: 'user',
    userId: admin.id,
    email: admin.email,
    roles: new Map(admin.memberships.map((m) => [m.organisationId, new Set<Role>(m.roles)])),
    hubAdmin: false,
  };
  // Demo addresses: always kept, never sent, whatever SMTP_URL says.
  const services = {
    mailer: createMailer({ MAIL_FROM: 'Maillage <no-reply@localhost>' }, prisma, createLogger('silent')),
    publicUrl: 'http://localhost:4000',
    invitationTtlDays: 90,
    sessionTtlDays: 30,
    identityProvider: false,
    issueToken: null,
  };
  await inviteMember(prisma, services, viewer, {
    organisationId: organisation.id,
    email: DEMO_INVITEE,
    name: 'Nadia Benali',
    locale: 'en',
    roles: ['CASE_WORKER'],
  });
  return 1;
}
