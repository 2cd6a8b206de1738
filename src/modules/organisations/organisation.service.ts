/**
 * Hub admins add organisations to the network (a sub-unit names its parent) and invite their
 * first admin in the same step. Audited like every member change.
 */
import type { Invitation, Organisation, PrismaClient } from '../../generated/prisma/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { OrganisationKind } from '../../generated/prisma/enums.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { MailStatus } from '../mail/mailer.ts';
import type { AccountServices } from '../accounts/account-services.ts';
import { recordAudit } from '../accounts/audit-log.service.ts';
import { generateSecret } from '../accounts/secret-codes.ts';
import { createInvitation, sendInvitationMail } from '../accounts/invitation.service.ts';
import { lockOrganisationMembers } from '../accounts/members.access.ts';
import type { Viewer } from '../accounts/viewer.ts';

const CREATE = 'create organisations (hub admins only)';

export interface CreateOrganisationInput {
  slug: string;
  name: string;
  kind: OrganisationKind;
  legalForm?: string | null;
  website?: string | null;
  email?: string | null;
  phone?: string | null;
  parentId?: string | null;
  firstAdmin?: { email: string; name?: string | null; locale?: string | null } | null;
}

export interface OrganisationCreated {
  organisation: Organisation;
  invitation: Invitation | null;
  mail: MailStatus | null;
}

export async function createOrganisation(
  prisma: PrismaClient,
  services: AccountServices,
  viewer: Viewer | null,
  input: CreateOrganisationInput,
): Promise<OrganisationCreated> {
  if (viewer?.kind !== 'user' || !viewer.hubAdmin) throw new ForbiddenError(CREATE);
  const actor = viewer;
  const parentId = input.parentId ? asUuid(input.parentId) : null;
  if (parentId && !(await prisma.organisation.count({ where: { id: parentId } }))) {
    throw new NotFoundError('parent organisation');
  }
  if (await prisma.organisation.count({ where: { slug: input.slug } })) throw slugTaken(input.slug);
  const code = input.firstAdmin ? generateSecret('inv') : null;
  let created: { organisation: Organisation; invitation: Invitation | null };
  try {
    created = await prisma.$transaction(async (tx) => {
      const organisation = await tx.organisation.create({
        data: {
          slug: input.slug,
          name: input.name,
          kind: input.kind,
          legalForm: input.legalForm ?? null,
          website: input.website ?? null,
          email: input.email ?? null,
          phone: input.phone ?? null,
          parentId,
        },
      });
      // The hub admin's right, as of now (the token's roles were read before the transaction).
      const rights = await lockOrganisationMembers(tx, actor, organisation.id, CREATE);
      if (!rights.hubAdmin) throw new ForbiddenError(CREATE);
      await recordAudit(tx, {
        organisationId: organisation.id,
        action: 'ORGANISATION_CREATED',
        actorUserId: actor.userId,
      });
      const invitation =
        input.firstAdmin && code
          ? await createInvitation(tx, services, actor, {
              organisationId: organisation.id,
              ...input.firstAdmin,
              roles: ['ORG_ADMIN'],
              codeHash: code.hash,
            })
          : null;
      return { organisation, invitation };
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw slugTaken(input.slug);
    }
    throw err;
  }
  const mail =
    created.invitation && code
      ? await sendInvitationMail(prisma, services, created.invitation, code.code)
      : null;
  return { ...created, mail };
}

function slugTaken(slug: string): InvalidInputError {
  return new InvalidInputError(null, [
    { path: ['input', 'slug'], message: `"${slug}" is taken by another organisation`, reason: 'TAKEN' },
  ]);
}
