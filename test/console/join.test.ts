/**
 * Joining the network from the invitation mail, in a real Chromium on a hub with the demo data:
 * Sophie (Inter-Actions' admin) invites a new colleague from the members page; the mail's link
 * opens `/join` with the code filled in (and gone from the address); the colleague gives her name
 * and lands in the console with the invited roles. The spent code, a wrong one and an invitation
 * sent to someone else's address get plain refusals and change nothing. Marc, already signed in,
 * accepts an invitation to a second organisation with his own account.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { InviteMemberDocument } from '../../clients/generated/graphql.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { CODE } from '../accounts/helpers.ts';
import {
  expectAccessible,
  openConsole,
  screenshot,
  signInAs,
  startConsoleHub,
  WAIT,
  type ConsoleHub,
} from '../helpers/console.ts';

const SOPHIE = 'sophie.weber@inter-actions.example';
const MARC = 'marc.schmit@inter-actions.example';
const LEA = 'lea.hoffmann@office-social.example';
const JEAN = 'jean.muller@croix-rouge.example';
const INVITEE = 'ines.lopes@inter-actions.example';

let hub: ConsoleHub;

beforeAll(async () => {
  hub = await startConsoleHub();
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

/** The link of the newest invitation mail to `to`, on the test hub's address, and its code. */
async function invitationLink(to: string): Promise<{ link: string; code: string }> {
  const mail = await hub.t.db.prisma.mailMessage.findFirstOrThrow({
    where: { to, kind: 'invitation' },
    orderBy: { createdAt: 'desc' },
  });
  const url = /https?:\/\/\S+\/join#code=\S+/.exec(mail.text)?.[0];
  const code = CODE.exec(mail.text)?.[0];
  expect(url).toBeDefined();
  expect(code).toBeDefined();
  const { pathname, hash } = new URL(url!);
  expect(hash).toBe(`#code=${code}`);
  return { link: `${hub.base}${pathname}${hash}`, code: code! };
}

/** An invitation sent through the API by an admin of `slug`. */
async function invite(adminEmail: string, slug: string, email: string): Promise<void> {
  const prisma = hub.t.db.prisma;
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: adminEmail } });
  const organisation = await prisma.organisation.findUniqueOrThrow({ where: { slug } });
  const token = await signUserToken(prisma, admin, {
    issuer: hub.t.config.AUTH_ISSUER,
    audience: hub.t.config.AUTH_AUDIENCE,
    ttlSeconds: 600,
  });
  const sent = await hub.t.client(token).request(InviteMemberDocument, {
    input: { organisationId: encodeGlobalID('Organisation', organisation.id), email, roles: ['CASE_WORKER'] },
  });
  expect(sent.inviteMember.__typename).toBe('MutationInviteMemberSuccess');
}

describe('joining from the invitation mail', () => {
  it(
    'a new colleague opens the link, gives her name and lands in the console with her roles',
    async () => {
      const prisma = hub.t.db.prisma;
      // Sophie invites her from the members page.
      const admin = await openConsole(hub);
      await signInAs(hub, admin, SOPHIE);
      await admin.page.locator('#main-menu').getByRole('link', { name: 'Membres', exact: true }).click();
      const form = admin.page.locator('form', {
        has: admin.page.getByRole('button', { name: 'Envoyer l’invitation' }),
      });
      await form.getByLabel('Adresse e-mail').fill(INVITEE);
      await form.getByRole('checkbox', { name: 'Coordination Welcome' }).check();
      await form.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await form.getByRole('status').getByText(`Invitation envoyée à ${INVITEE}.`).waitFor();
      const { link, code } = await invitationLink(INVITEE);

      // She opens the link in her own browser: the code is filled in and gone from the address.
      const ines = await openConsole(hub);
      const { page } = ines;
      await page.goto(link);
      await page
        .getByRole('heading', { level: 1, name: 'Rejoindre une organisation sur Maillage' })
        .waitFor();
      expect(await page.getByLabel('Code d’invitation (inv_…)').inputValue()).toBe(code);
      // What she is joining, before she accepts.
      const invited = page.getByRole('region', {
        name: 'Inter-Actions vous invite à la rejoindre sur Maillage.',
      });
      await invited.getByText(`Adresse invitée : ${INVITEE}`).waitFor();
      await invited.getByText('Rôles : Travailleur·se social·e, Coordination Welcome').waitFor();
      expect(page.url()).toBe(`${hub.base}/join`);
      await expectAccessible(page, 'join, signed out');
      await screenshot(page, 'join');

      await page.getByLabel('Votre nom, tel que vos collègues le verront').fill('Inês Lopes');
      await page.getByRole('button', { name: 'Accepter l’invitation' }).click();
      // Signed in as herself, on the start page, with a case worker's menu.
      await page.locator('#main-menu').getByRole('link', { name: 'Orientations' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      const user = await prisma.user.findUniqueOrThrow({
        where: { email: INVITEE },
        include: { memberships: { include: { organisation: true } } },
      });
      expect(user.name).toBe('Inês Lopes');
      expect(user.memberships.map((m) => [m.organisation.slug, [...m.roles].sort()])).toEqual([
        ['inter-actions', ['CASE_WORKER', 'WELCOME_COORDINATOR']],
      ]);
      // Sophie's list no longer shows it as pending.
      await admin.page.reload();
      await admin.page.getByRole('heading', { level: 1, name: 'Membres' }).waitFor();
      await admin.page.getByRole('heading', { name: /Inês Lopes/ }).waitFor();

      // The same link again, in another browser: spent, and said so.
      const again = await openConsole(hub);
      await again.page.goto(link);
      // Said before trying, then on trying.
      await again.page
        .getByRole('alert')
        .getByText(/a déjà été acceptée/)
        .waitFor();
      await again.page.getByRole('button', { name: 'Accepter l’invitation' }).click();
      await again.page
        .getByRole('alert')
        .getByText(/a déjà été acceptée/)
        .waitFor();
      expect(await again.page.evaluate(() => localStorage.getItem('maillage.session'))).toBeNull();

      // A wrong code: refused, nothing written.
      const users = await prisma.user.count();
      await again.page.getByLabel('Code d’invitation (inv_…)').fill(`inv_${'A'.repeat(43)}`);
      await again.page.getByRole('button', { name: 'Accepter l’invitation' }).click();
      await again.page
        .getByRole('alert')
        .getByText(/n’est pas valable/)
        .waitFor();
      expect(await prisma.user.count()).toBe(users);

      for (const cp of [admin, ines, again]) {
        expect(cp.problems).toEqual([]);
        await cp.context.close();
      }
    },
    3 * WAIT,
  );

  it(
    'someone signed in accepts an invitation to a second organisation with their own account; another person cannot',
    async () => {
      const prisma = hub.t.db.prisma;
      await invite(JEAN, 'croix-rouge', MARC);
      const { link } = await invitationLink(MARC);

      // Léa, signed in, opens Marc's link: refused, and Marc's invitation stays usable.
      const lea = await openConsole(hub);
      await signInAs(hub, lea, LEA);
      await lea.page.goto(link);
      await lea.page.getByRole('button', { name: `Accepter l’invitation avec votre compte ${LEA}` }).click();
      await lea.page
        .getByRole('alert')
        .getByText(/envoyée à l’adresse d’un autre compte/)
        .waitFor();
      const pending = await prisma.invitation.findFirstOrThrow({ where: { email: MARC } });
      expect(pending.acceptedAt).toBeNull();

      const marc = await openConsole(hub);
      await signInAs(hub, marc, MARC);
      await marc.page.goto(link);
      await marc.page
        .getByRole('heading', { level: 1, name: 'Rejoindre une organisation sur Maillage' })
        .waitFor();
      await expectAccessible(marc.page, 'join, signed in');
      const marcSessions = await prisma.session.count({ where: { user: { email: MARC } } });
      await marc.page
        .getByRole('button', { name: `Accepter l’invitation avec votre compte ${MARC}` })
        .click();
      await marc.page
        .getByRole('status')
        .getByText(/Vous avez rejoint Croix-Rouge.*Vos rôles\u00a0: Travailleur·se social·e\./)
        .waitFor();
      const memberships = await prisma.membership.findMany({
        where: { user: { email: MARC } },
        include: { organisation: true },
      });
      expect(memberships.map((m) => m.organisation.slug).sort()).toEqual(['croix-rouge', 'inter-actions']);
      // He goes on with his session: accepting signed in starts no other one.
      expect(await prisma.session.count({ where: { user: { email: MARC } } })).toBe(marcSessions);

      for (const cp of [lea, marc]) {
        expect(cp.problems).toEqual([]);
        await cp.context.close();
      }
    },
    3 * WAIT,
  );
});
