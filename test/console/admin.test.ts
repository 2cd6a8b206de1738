/**
 * The organisation admins' console in a real Chromium, on a hub with the demo data: Sophie
 * (Inter-Actions' admin) changes a colleague's roles (kept after a reload), is stopped from leaving
 * her organisation without an admin, invites someone (the mail is kept by the hub) and withdraws the
 * invitation, disables a colleague and invites her again; Carole (ONA's admin) creates an API key,
 * sees it once, uses it against /graphql, does not see it again after leaving the page, and revokes
 * it (then it gets 401); Sophie registers a webhook to a receiver on 127.0.0.1, sees its delivery
 * after an offer change and redelivers it (the receiver gets it again); on a phone, in German, the
 * pages fit the screen; a hub admin picks any organisation's members; a case worker has none of
 * these pages. Each page passes axe-core and is screenshotted; nothing goes wrong in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Page } from 'playwright-core';
import { UpdateOfferCapacityDocument } from '../../clients/generated/graphql.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import {
  expectAccessible,
  openConsole,
  screenshot,
  signInAs,
  startConsoleHub,
  WAIT,
  type ConsoleHub,
} from '../helpers/console.ts';
import { Receiver } from '../webhooks/helpers.ts';

const SOPHIE = 'sophie.weber@inter-actions.example';
const CAROLE = 'carole.kremer@ona.example';
const LEA = 'lea.hoffmann@office-social.example';
const MARC = 'marc.schmit@inter-actions.example';
const INVITEE = 'jeanne.muller@inter-actions.example';

let hub: ConsoleHub;
const receivers: Receiver[] = [];

beforeAll(async () => {
  // Quick outbox polling and retries: a delivery follows its event within a fraction of a second.
  hub = await startConsoleHub({ OUTBOX_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '50' });
}, 180_000);

afterAll(async () => {
  for (const r of receivers) await r.close();
  await hub?.close();
});

/** The card (an <article>) whose heading is `name`. */
const card = (page: Page, name: string | RegExp) =>
  page.locator('article', { has: page.getByRole('heading', { name, exact: true }) });

async function openFromMenu(page: Page, label: string, heading = label): Promise<void> {
  await page.locator('#main-menu').getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}

describe('organisation admins in the console', () => {
  it('an admin changes a member’s roles (kept after a reload), is kept from removing the last admin, invites someone and disables a member', async () => {
    const cp = await openConsole(hub);
    const { page, problems } = cp;
    const prisma = hub.t.db.prisma;
    await signInAs(hub, cp, SOPHIE);
    await openFromMenu(page, 'Membres');

    // Marc is a case worker: he becomes a catalogue editor too.
    const marc = card(page, 'Marc Schmit');
    const editor = marc.getByRole('checkbox', { name: 'Éditeur·rice du catalogue' });
    expect(await editor.isChecked()).toBe(false);
    await editor.check();
    await marc.getByRole('button', { name: 'Enregistrer les rôles de Marc Schmit' }).click();
    await marc.getByRole('status').getByText('Les rôles de Marc Schmit sont enregistrés.').waitFor();
    const membership = await prisma.membership.findFirstOrThrow({
      where: { user: { email: MARC }, organisation: { slug: 'inter-actions' } },
    });
    expect([...membership.roles].sort()).toEqual(['CASE_WORKER', 'CATALOGUE_EDITOR']);
    // The audit log tells who did it.
    await page
      .locator('.audit-log')
      .getByText(/Sophie Weber a changé les rôles de Marc Schmit/)
      .waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Membres' }).waitFor();
    await card(page, 'Marc Schmit').getByRole('checkbox', { name: 'Éditeur·rice du catalogue' }).waitFor();
    expect(
      await card(page, 'Marc Schmit')
        .getByRole('checkbox', { name: 'Éditeur·rice du catalogue' })
        .isChecked(),
    ).toBe(true);

    // Sophie is Inter-Actions' only admin: the hub refuses, the page says why in plain words.
    const sophie = card(page, 'Sophie Weber (vous)');
    await sophie.getByRole('checkbox', { name: 'Administration de l’organisation' }).uncheck();
    await sophie.getByRole('button', { name: 'Enregistrer les rôles de Sophie Weber' }).click();
    await sophie
      .getByRole('alert')
      .getByText(/l’organisation n’aurait plus aucune personne pour l’administrer/)
      .waitFor();
    await sophie.getByRole('button', { name: 'Annuler les changements' }).click();
    expect(await sophie.getByRole('checkbox', { name: 'Administration de l’organisation' }).isChecked()).toBe(
      true,
    );

    // The demo's open invitation is listed.
    await card(page, 'nadia.benali@inter-actions.example').waitFor();

    // Inviting an existing member: a typed error, in plain words.
    const invite = page.locator('form', { has: page.getByRole('button', { name: 'Envoyer l’invitation' }) });
    await invite.getByLabel('Adresse e-mail').fill(MARC);
    await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await invite
      .getByRole('alert')
      .getByText(/déjà membre de l’organisation/)
      .waitFor();

    // A new colleague, as a case worker and Welcome coordinator.
    await invite.getByLabel('Adresse e-mail').fill(INVITEE);
    await invite.getByLabel('Nom (facultatif)').fill('Jeanne Muller');
    await invite.getByRole('checkbox', { name: 'Coordination Welcome' }).check();
    await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await invite.getByRole('status').getByText(`Invitation envoyée à ${INVITEE}.`).waitFor();
    await invite
      .getByRole('status')
      .getByText(/le hub garde le message/)
      .waitFor();
    const invitation = card(page, INVITEE);
    await invitation.getByText('Travailleur·se social·e, Coordination Welcome').waitFor();
    // The code went by mail only: the hub kept the mail (no SMTP server in tests).
    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { to: INVITEE } });
    expect(mail.kind).toBe('invitation');
    expect(mail.locale).toBe('fr');
    await page
      .locator('.audit-log')
      .getByText(`Sophie Weber a invité ${INVITEE}`, { exact: false })
      .waitFor();

    await expectAccessible(page, 'members');
    await screenshot(page, 'admin-members');

    // Withdrawn: it leaves the list, and its code stops working.
    await invitation.getByRole('button', { name: `Retirer Invitation de ${INVITEE}` }).click();
    await invitation.getByRole('button', { name: 'Confirmer' }).click();
    await invitation.waitFor({ state: 'detached' });
    const revoked = await prisma.invitation.findFirstOrThrow({ where: { email: INVITEE } });
    expect(revoked.revokedAt).not.toBeNull();

    // Lucie's account is disabled (after a confirmation); inviting her again is how she comes back.
    const lucie = card(page, 'Lucie Thill');
    await lucie.getByRole('button', { name: 'Désactiver Lucie Thill' }).click();
    await lucie.getByRole('group', { name: 'Retirer à Lucie Thill tout accès à l’organisation ?' }).waitFor();
    await lucie.getByRole('button', { name: 'Confirmer' }).click();
    await lucie.getByText('Désactivé', { exact: true }).waitFor();
    await lucie.getByRole('status').getByText('Lucie Thill n’a plus accès à l’organisation.').waitFor();
    expect(await lucie.getByRole('checkbox').count()).toBe(0);
    const disabled = await prisma.membership.findFirstOrThrow({
      where: {
        user: { email: 'lucie.thill@inter-actions.example' },
        organisation: { slug: 'inter-actions' },
      },
    });
    expect(disabled.disabledAt).not.toBeNull();
    await page
      .locator('.audit-log')
      .getByText('Sophie Weber a désactivé le compte de Lucie Thill.')
      .waitFor();
    await lucie.getByRole('button', { name: 'Inviter de nouveau Lucie Thill' }).click();
    await lucie
      .getByRole('status')
      .getByText(/Invitation envoyée à lucie.thill@inter-actions.example/)
      .waitFor();
    await card(page, 'lucie.thill@inter-actions.example').getByText('Coordination Welcome').waitFor();

    expect(problems).toEqual([]);
    await cp.context.close();
  }, 180_000);

  it('an admin creates an API key, sees it once, uses it, and revokes it', async () => {
    const cp = await openConsole(hub);
    const { page, problems, context } = cp;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.base });
    await signInAs(hub, cp, CAROLE);
    await openFromMenu(page, 'Clés d’API');
    await page.getByText('Aucune clé pour le moment.').waitFor();
    await expectAccessible(page, 'API keys (empty)');

    await page.getByLabel('Nom de la clé').fill('Suivi des dossiers');
    await page.getByRole('checkbox', { name: 'Lire le catalogue' }).check();
    await page.getByRole('checkbox', { name: 'Lire les guides Welcome' }).check();
    await page.getByRole('button', { name: 'Créer la clé' }).click();

    // Shown once, with a warning and a copy button.
    const once = page.locator('.once-secret');
    await once.getByRole('heading', { name: 'Nouvelle clé « Suivi des dossiers »' }).waitFor();
    await once.getByText(/elle ne sera plus jamais affichée/).waitFor();
    const key = await once.getByLabel('Clé d’API').inputValue();
    expect(key.length).toBeGreaterThan(20);
    await once.getByRole('button', { name: 'Copier' }).click();
    await once.getByText('Copié dans le presse-papiers.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    const listed = card(page, 'Suivi des dossiers');
    await listed.getByText('Active', { exact: true }).waitFor();
    await listed.getByText('Lire le catalogue, Lire les guides Welcome').waitFor();
    await expectAccessible(page, 'API keys (new key shown)');
    await screenshot(page, 'admin-api-keys-new-key');

    // The key works against the API.
    const ask = () =>
      fetch(`${hub.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ viewerApiClient { name scopes organisation { slug } } }' }),
      });
    const res = await ask();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: {
        viewerApiClient: {
          name: 'Suivi des dossiers',
          scopes: ['CATALOGUE_READ', 'GUIDES_READ'],
          organisation: { slug: 'ona' },
        },
      },
    });

    // The hub records the use after answering (not to slow the request): wait for the record.
    const deadline = Date.now() + 30_000;
    while (
      !(await hub.t.db.prisma.apiClient.findFirst({ where: { name: 'Suivi des dossiers' } }))?.lastUsedAt
    ) {
      if (Date.now() > deadline) throw new Error('the use of the API key was never recorded');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Leaving the page forgets it: back on the page, the key is listed, not shown.
    await openFromMenu(page, 'Accueil', 'Bonjour Carole Kremer');
    await openFromMenu(page, 'Clés d’API');
    await card(page, 'Suivi des dossiers').waitFor();
    expect(await page.locator('.once-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    // Its last use shows: the console shows the list it holds at once and then the hub's
    // (cache-and-network), so "Jamais" may show for a moment before the refreshed list replaces it.
    await card(page, 'Suivi des dossiers').getByText('Jamais').waitFor({ state: 'detached' });
    await card(page, 'Suivi des dossiers').getByText('Dernière utilisation').waitFor();

    // Revoked: refused at once.
    const revoking = card(page, 'Suivi des dossiers');
    await revoking.getByRole('button', { name: 'Révoquer la clé Suivi des dossiers' }).click();
    await revoking.getByRole('button', { name: 'Confirmer' }).click();
    await revoking.getByText('Révoquée', { exact: true }).waitFor();
    await revoking.getByRole('status').getByText('La clé « Suivi des dossiers » est révoquée.').waitFor();
    expect((await ask()).status).toBe(401);
    await screenshot(page, 'admin-api-keys-revoked');

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('an admin registers a webhook, sees a delivery after an event, and redelivers it', async () => {
    const receiver = await Receiver.start(200);
    receivers.push(receiver);
    const prisma = hub.t.db.prisma;
    const cp = await openConsole(hub);
    const { page, problems } = cp;
    await signInAs(hub, cp, SOPHIE);
    await openFromMenu(page, 'Webhooks');
    await page.getByText('Aucun webhook pour le moment.').waitFor();

    const form = page.locator('form', { has: page.getByRole('button', { name: 'Ajouter le webhook' }) });
    // An address inside a private network: refused, in plain words.
    await form.getByLabel('Adresse de réception (URL)').fill('https://10.1.2.3/hooks');
    await form.getByRole('checkbox', { name: /Offre modifiée/ }).check();
    await form.getByRole('button', { name: 'Ajouter le webhook' }).click();
    await form
      .getByRole('alert')
      .getByText(/l’adresse mène à un réseau interne/)
      .waitFor();
    expect(await form.getByLabel('Adresse de réception (URL)').getAttribute('aria-invalid')).toBe('true');
    // A port of another protocol: the reason the hub names, in the console's words.
    await form.getByLabel('Adresse de réception (URL)').fill('https://crm.example.org:22/hooks');
    await form.getByRole('button', { name: 'Ajouter le webhook' }).click();
    await form
      .getByRole('alert')
      .getByText(/ce port est réservé à un autre protocole/)
      .waitFor();

    await form.getByLabel('Adresse de réception (URL)').fill(receiver.url);
    await form.getByLabel('Description (facultative)').fill('Tableau de bord des places');
    await form.getByRole('button', { name: 'Ajouter le webhook' }).click();
    const once = page.locator('.once-secret');
    await once.getByRole('heading', { name: 'Secret de signature du nouveau webhook' }).waitFor();
    expect(await once.getByLabel('Secret de signature').inputValue()).not.toBe('');
    const hook = card(page, receiver.url);
    await hook.getByText('Offre modifiée (statut, places, liste d’attente)').waitFor();
    await expectAccessible(page, 'webhooks');
    await screenshot(page, 'admin-webhooks');

    // Disabled, then enabled again; edited.
    await hook.getByRole('button', { name: `Désactiver du webhook ${receiver.url}` }).click();
    await hook.getByText('Désactivé', { exact: true }).waitFor();
    await hook.getByRole('button', { name: `Réactiver du webhook ${receiver.url}` }).click();
    await hook.getByText('Actif', { exact: true }).waitFor();
    await hook.getByRole('button', { name: `Modifier du webhook ${receiver.url}` }).click();
    await hook.getByLabel('Description (facultative)').fill('Tableau de bord des places libres');
    await hook.getByRole('button', { name: 'Enregistrer' }).click();
    await hook.getByRole('status').getByText('Webhook enregistré.').waitFor();
    await hook.getByText('Tableau de bord des places libres').waitFor();

    await hook.getByRole('link', { name: `Journal des envois du webhook ${receiver.url}` }).click();
    await page.getByRole('heading', { level: 1, name: 'Journal des envois' }).waitFor();
    await page.getByText(/Aucun envoi pour le moment/).waitFor();

    // An event: one of Inter-Actions' published offers changes its places, through the API.
    const offer = await prisma.offer.findFirstOrThrow({
      where: { organisation: { slug: 'inter-actions' }, status: 'PUBLISHED' },
      orderBy: { id: 'asc' },
    });
    const sophie = await prisma.user.findUniqueOrThrow({ where: { email: SOPHIE } });
    const token = await signUserToken(prisma, sophie, {
      issuer: hub.t.config.AUTH_ISSUER,
      audience: hub.t.config.AUTH_AUDIENCE,
      ttlSeconds: 3600,
    });
    const changed = await hub.t.client(token).request(UpdateOfferCapacityDocument, {
      input: { id: encodeGlobalID('Offer', offer.id), places: 12, free: 3 },
    });
    expect(changed.updateOfferCapacity.__typename).toBe('MutationUpdateOfferCapacitySuccess');
    await receiver.requests.waitFor(
      (items) => items.some((r) => r.eventType === 'offer.changed'),
      'the offer change',
    );
    const first = receiver.requests.items.find((r) => r.eventType === 'offer.changed')!;

    // The log shows it without a reload: delivered, HTTP 200.
    const delivery = page.locator('article.delivery', { hasText: first.eventId });
    await delivery.getByText('Livré', { exact: true }).waitFor({ timeout: WAIT });
    await delivery.getByText('HTTP 200').waitFor();
    await delivery.getByText('Offre modifiée (statut, places, liste d’attente)').waitFor();
    await expectAccessible(page, 'webhook delivery log');
    await screenshot(page, 'admin-webhook-deliveries');

    // Redelivered: the receiver gets the same event again.
    const before = receiver.requests.items.filter((r) => r.eventId === first.eventId).length;
    await delivery.getByRole('button', { name: `Renvoyer l’événement ${first.eventId}` }).click();
    await delivery
      .getByRole('status')
      .getByText(/Renvoi programmé/)
      .waitFor();
    await receiver.requests.waitFor(
      (items) => items.filter((r) => r.eventId === first.eventId).length > before,
      'the redelivery',
    );
    const again = receiver.requests.items.filter((r) => r.eventId === first.eventId).at(-1)!;
    expect(again.body).toBe(first.body);
    await delivery.getByText('Livré', { exact: true }).waitFor({ timeout: WAIT });

    expect(problems).toEqual([]);
    await cp.context.close();
  }, 180_000);

  it('on a phone, in German, the members page fits the screen', async () => {
    const cp = await openConsole(hub, { locale: 'de-DE' });
    const { page, problems } = cp;
    // Signed in on a wide screen (the helper waits for the menu to show), then on a phone's.
    await signInAs(hub, cp, CAROLE);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Menü' }).click();
    await openFromMenu(page, 'Mitglieder');
    await card(page, 'Carole Kremer (Sie)')
      .getByRole('checkbox', { name: 'Verwaltung der Organisation' })
      .waitFor();
    await page.getByRole('heading', { name: 'Protokoll der Änderungen' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page, 'members (phone, German)');
    await screenshot(page, 'admin-members-phone-de');

    await page.getByRole('button', { name: 'Menü' }).click();
    await openFromMenu(page, 'Webhooks');
    await page.getByText('Noch keine Webhooks.').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'admin-webhooks-phone-de');

    expect(problems).toEqual([]);
    await cp.context.close();
  }, 180_000);

  it('a hub admin chooses any organisation for its members; API keys stay with an organisation’s own admins', async () => {
    const cp = await openConsole(hub);
    const { page, problems } = cp;
    await signInAs(hub, cp, 'admin@maillage.example');
    await openFromMenu(page, 'Membres');
    const chooser = page.getByLabel('Organisation', { exact: true });
    await chooser.selectOption({ label: 'Inter-Actions' });
    await card(page, 'Marc Schmit').waitFor();
    expect(new URL(page.url()).searchParams.get('org')).toBe('inter-actions');
    // Hub admins may give the network's admin role.
    await card(page, 'Marc Schmit').getByRole('checkbox', { name: 'Administration du réseau' }).waitFor();
    await expectAccessible(page, 'members (hub admin)');
    await screenshot(page, 'admin-members-hub-admin');

    await openFromMenu(page, 'Clés d’API');
    await page.getByText(/Vous n’administrez aucune organisation/).waitFor();
    expect(problems).toEqual([]);
    await cp.context.close();
  }, 180_000);

  it('a case worker has none of these pages, and the members page refuses plainly', async () => {
    const cp = await openConsole(hub, { locale: 'en-GB' });
    const { page, problems } = cp;
    await signInAs(hub, cp, LEA);
    const menu = page.locator('#main-menu');
    await menu.getByRole('link', { name: 'Home', exact: true }).waitFor();
    for (const label of ['Members', 'API keys', 'Webhooks']) {
      expect(await menu.getByRole('link', { name: label, exact: true }).count()).toBe(0);
    }
    await page.goto(`${hub.base}/admin/members`);
    await page.getByRole('heading', { level: 1, name: 'Restricted access' }).waitFor();
    await page.getByText(/This page is for the people who administer an organisation/).waitFor();
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await expectAccessible(page, 'members (refused)');
    await screenshot(page, 'admin-members-refused');

    expect(problems).toEqual([]);
    await cp.context.close();
  }, 180_000);
});
