/**
 * The demo data holds one pending invitation: a newcomer reads its code in the kept mail (as
 * `npm run mail:list` prints it) and joins Inter-Actions with it, as the README says.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { AcceptInvitationDocument, ViewerDocument } from '../../clients/generated/graphql.ts';
import { DEMO_INVITEE } from '../../prisma/seed/demo-invitations.ts';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { keptCode, ok } from './helpers.ts';

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
  expect((await seedDemo(t.db.prisma)).invitations).toBe(1);
  // Loading the demo again sends no second invitation.
  expect((await seedDemo(t.db.prisma)).invitations).toBe(0);
}, 60_000);
afterAll(() => t.close());

it('the demo invitation is accepted with the code from its mail', async () => {
  expect(await t.db.prisma.mailMessage.count({ where: { to: DEMO_INVITEE } })).toBe(1);
  const accepted = await t.client().request(AcceptInvitationDocument, {
    input: { code: await keptCode(t.db.prisma, DEMO_INVITEE) },
  });
  const { token, organisation, roles } = ok(accepted.acceptInvitation);
  expect({ slug: organisation.slug, roles }).toEqual({ slug: 'inter-actions', roles: ['CASE_WORKER'] });
  const viewer = await t.client(token!).request(ViewerDocument);
  expect(viewer.viewer).toMatchObject({ email: DEMO_INVITEE, name: 'Nadia Benali', locale: 'en' });
});
