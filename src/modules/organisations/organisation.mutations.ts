/** createOrganisation: hub admins add an organisation (or a sub-unit) and invite its first admin. */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Invitation, Organisation as OrganisationRow } from '../../generated/prisma/client.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import type { MailStatus } from '../mail/mailer.ts';
import { InvitationNode, InviteeFields, MailDeliveryEnum } from '../accounts/invitation.schema.ts';
import { Organisation, OrganisationKindEnum } from './organisation.schema.ts';
import { createOrganisation } from './organisation.service.ts';

const FirstAdminInput = builder.inputType('FirstAdminInput', {
  description: 'The person invited as the organisation’s first admin (ORG_ADMIN).',
  fields: (t) => ({
    email: t.string({ required: true, validate: InviteeFields.email }),
    name: t.string({ validate: InviteeFields.name }),
    locale: t.string({
      description: 'Their language (de, en; lb reads de).',
      validate: InviteeFields.locale,
    }),
  }),
});

const CreateOrganisationInput = builder.inputType('CreateOrganisationInput', {
  fields: (t) => ({
    slug: t.string({
      required: true,
      description:
        'Stable, URL-safe name: lower-case letters, digits and hyphens, e.g. `stemm-vun-der-strooss`.',
      validate: z
        .string()
        .min(2)
        .max(60)
        .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters and digits, joined by single hyphens'),
    }),
    name: t.string({ required: true, validate: z.string().trim().min(2).max(200) }),
    kind: t.field({ type: OrganisationKindEnum, required: true }),
    legalForm: t.string({
      description: 'e.g. asbl, fondation.',
      validate: z.string().trim().min(1).max(100),
    }),
    website: t.string({ validate: z.url({ protocol: /^https?$/ }).max(500) }),
    email: t.string({ validate: InviteeFields.email }),
    phone: t.string({ validate: z.string().trim().min(3).max(50) }),
    parentId: t.globalID({
      for: [Organisation],
      description: 'The organisation this one belongs to (a service of a foundation…).',
    }),
    firstAdmin: t.field({ type: FirstAdminInput, description: 'Invites its first admin at once.' }),
  }),
});

const CreateOrganisationPayload = builder
  .objectRef<{ organisation: OrganisationRow; invitation: Invitation | null; mail: MailStatus | null }>(
    'CreateOrganisationPayload',
  )
  .implement({
    authScopes: { person: true },
    fields: (t) => ({
      organisation: t.field({ type: Organisation, resolve: (p) => p.organisation }),
      invitation: t.field({ type: InvitationNode, nullable: true, resolve: (p) => p.invitation }),
      mailDelivery: t.field({
        type: MailDeliveryEnum,
        nullable: true,
        description: "What became of the first admin's invitation mail.",
        resolve: (p) => p.mail,
      }),
    }),
  });

builder.mutationField('createOrganisation', (t) =>
  t.field({
    type: CreateOrganisationPayload,
    description:
      'Adds an organisation to the network, and invites its first admin (hub admins only). Audited.',
    authScopes: { person: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: CreateOrganisationInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createOrganisation(ctx.prisma, ctx.accounts, ctx.viewer, {
        slug: input.slug,
        name: input.name.trim(),
        kind: input.kind,
        legalForm: input.legalForm?.trim() ?? null,
        website: input.website ?? null,
        email: input.email?.toLowerCase() ?? null,
        phone: input.phone?.trim() ?? null,
        parentId: input.parentId?.id ?? null,
        firstAdmin: input.firstAdmin
          ? {
              email: input.firstAdmin.email,
              name: input.firstAdmin.name ?? null,
              locale: input.firstAdmin.locale ?? null,
            }
          : null,
      }),
  }),
);
