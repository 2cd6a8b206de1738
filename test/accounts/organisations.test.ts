/**
 * Hub admins add organisations (and sub-units) and invite their first admin in the same step; that
 * admin accepts and runs the organisation. Nobody else may, and refusals change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  AcceptInvitationDocument,
  AuditLogDocument,
  CreateOrganisationDocument,
  InviteMemberDocument,
  OrganisationDocument,
  type CreateOrganisationInput,
} from '../../clients/generated/graphql.ts';
import { seedScenario, type Person, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { failed, keptCode, ok } from './helpers.ts';

let t: TestHub;
let s: Scenario;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
});
afterAll(() => t.close());

async function create(person: Person, input: Partial<CreateOrganisationInput>) {
  const res = await t.client(await s.token(person)).request(CreateOrganisationDocument, {
    input: { slug: 'gamma-aide', name: 'Gamma Aide', kind: 'ASSOCIATION', ...input },
  });
  return res.createOrganisation;
}

describe('createOrganisation', () => {
  it('a hub admin adds an organisation and invites its first admin, who accepts and invites a colleague', async () => {
    const created = ok(
      await create('hugo', {
        legalForm: 'asbl',
        website: 'https://gamma.example',
        firstAdmin: { email: 'Greta@Gamma.example', name: 'Greta', locale: 'en' },
      }),
    );
    expect(created.organisation).toMatchObject({ slug: 'gamma-aide', name: 'Gamma Aide', parent: null });
    expect(created.invitation).toMatchObject({
      email: 'greta@gamma.example',
      roles: ['ORG_ADMIN'],
      status: 'PENDING',
    });
    expect(created.mailDelivery).toBe('KEPT');
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({ where: { to: 'greta@gamma.example' } });
    expect(mail.subject).toContain('Invitation to join Gamma Aide on Maillage');
    expect(mail.text).toContain('Hugo vous invite à rejoindre Gamma Aide');

    const accepted = (
      await t.client().request(AcceptInvitationDocument, {
        input: { code: await keptCode(t.db.prisma, 'greta@gamma.example') },
      })
    ).acceptInvitation;
    const { token, roles } = ok(accepted);
    expect(roles).toEqual(['ORG_ADMIN']);
    const invited = await t.client(token!).request(InviteMemberDocument, {
      input: {
        organisationId: created.organisation.id,
        email: 'colleague@gamma.example',
        roles: ['CASE_WORKER'],
      },
    });
    ok(invited.inviteMember);

    const log = await t.client(await s.token('hugo')).request(AuditLogDocument, {
      organisationId: created.organisation.id,
    });
    expect(log.auditLog.edges.map((e) => [e.node.action, e.node.actor?.email])).toEqual([
      ['INVITATION_SENT', 'greta@gamma.example'],
      ['INVITATION_ACCEPTED', 'greta@gamma.example'],
      ['INVITATION_SENT', 'hugo@hub.example'],
      ['ORGANISATION_CREATED', 'hugo@hub.example'],
    ]);
  });

  it('a sub-unit names its parent; without a first admin no invitation is sent', async () => {
    const created = ok(
      await create('hugo', {
        slug: 'alpha-accueil',
        name: 'Accueil de jour',
        parentId: s.org.alpha.globalId,
      }),
    );
    expect(created).toMatchObject({
      invitation: null,
      mailDelivery: null,
      organisation: { parent: { slug: 'alpha' } },
    });
    const alpha = await t.client().request(OrganisationDocument, { slug: 'alpha' });
    expect(alpha.organisation?.children.map((c) => c.slug)).toContain('alpha-accueil');
  });

  it('refusals are typed and write nothing', async () => {
    const counts = async () => [
      await t.db.prisma.organisation.count(),
      await t.db.prisma.invitation.count(),
      await t.db.prisma.auditLogEntry.count(),
      await t.db.prisma.mailMessage.count(),
    ];
    const before = await counts();
    expect((await create('alice', { slug: 'by-alice' })).__typename).toBe('ForbiddenError');
    const taken = failed(await create('hugo', { slug: 'alpha', name: 'Another alpha' }), 'InvalidInputError');
    expect(taken.fields).toEqual([
      {
        path: ['input', 'slug'],
        message: '"alpha" is taken by another organisation',
        reason: 'TAKEN',
        limit: null,
      },
    ]);
    const invalid = failed(
      await create('hugo', { slug: 'Not A Slug', website: 'ftp://x', firstAdmin: { email: 'nope' } }),
      'InvalidInputError',
    );
    expect(invalid.fields.map((f) => f.path.join('.')).sort()).toEqual([
      'input.firstAdmin.email',
      'input.slug',
      'input.website',
    ]);
    const unknownParent = await create('hugo', {
      slug: 'orphan',
      parentId: encodeGlobalID('Organisation', '01900000-0000-7000-8000-000000000000'),
    });
    expect(unknownParent.__typename).toBe('NotFoundError');
    const anonymous = await t.send(CreateOrganisationDocument, {
      input: { slug: 'anon', name: 'Anonymous', kind: 'OTHER' },
    });
    expect(anonymous.body.data?.createOrganisation ?? null).toBeNull();
    expect(await counts()).toEqual(before);
  });
});
