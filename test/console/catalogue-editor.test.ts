/**
 * The catalogue editors' console in a real Chromium, on a hub with the demo data. Sophie
 * (Inter-Actions' catalogue editor) lists her organisation's offers, filters them by status, edits
 * one (the new title shows, and the change log says who changed what) and finds its translations
 * marked outdated, then writes the German one again; a save against a version someone else
 * changed meanwhile is explained and resolved both ways (hers re-applied on the current version;
 * the current one taken, with a second browser context as the other person); free places change in
 * two clicks; she pauses an offer and publishes it again; she edits a site and creates a draft.
 * Léa (a case worker of another organisation) has no such menu entry, reads a published offer of
 * Inter-Actions without a way to change it (the hub refuses her too), and cannot see its drafts.
 * On a phone, in German, the offers page fits the screen. Every page passes axe-core and is
 * screenshotted; nothing goes wrong in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Page } from 'playwright-core';
import { ConsoleCatalogueUpdateOfferDocument } from '../../clients/generated/graphql.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import {
  expectAccessible,
  openConsole,
  screenshot,
  signInAs,
  startConsoleHub,
  type ConsoleHub,
} from '../helpers/console.ts';

const SOPHIE = 'sophie.weber@inter-actions.example';
const LEA = 'lea.hoffmann@office-social.example';
/** A flow's steps each wait up to WAIT: the flow as a whole gets several of them. */
const FLOW = 5 * 60_000;

let hub: ConsoleHub;

beforeAll(async () => {
  hub = await startConsoleHub();
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

async function tokenOf(email: string): Promise<string> {
  const prisma = hub.t.db.prisma;
  const user = await prisma.user.findUniqueOrThrow({ where: { email } });
  return signUserToken(prisma, user, {
    issuer: hub.t.config.AUTH_ISSUER,
    audience: hub.t.config.AUTH_AUDIENCE,
    ttlSeconds: 3600,
  });
}

/** A demo offer of Inter-Actions by its seed key: its row and its GraphQL id. */
async function demoOffer(key: string) {
  const offer = await hub.t.db.prisma.offer.findFirstOrThrow({ where: { hsdsId: `demo:${key}` } });
  return { offer, id: encodeGlobalID('Offer', offer.id) };
}

const frOf = (json: unknown) => (json as Record<string, string>).fr;

async function openOffer(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
}

describe('catalogue editors in the console', () => {
  it(
    'Sophie lists her offers, edits one (shown at once, in the change log), and keeps its translations up to date',
    async () => {
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, SOPHIE);
      await page.locator('#main-menu').getByRole('link', { name: 'Nos offres', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Nos offres' }).waitFor();
      const table = page.locator('table.offers-table');
      await table.getByRole('link', { name: 'Polygone – emplois d’insertion', exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Sites' }).waitFor();
      await page.getByRole('link', { name: /Modifier le site Atelier Schläifmillen/ }).waitFor();
      await expectAccessible(page, 'offers');
      await screenshot(page, 'catalogue-offers');

      // The filter by status: the two drafts only, then every offer again.
      await page.getByRole('button', { name: 'Brouillons (2)' }).click();
      await table.getByRole('link', { name: /Mon premier budget/ }).waitFor();
      expect(await table.locator('tbody tr').count()).toBe(2);
      await page.getByRole('button', { name: /^Toutes \(\d+\)$/ }).click();
      await table.getByRole('link', { name: 'Polygone – emplois d’insertion', exact: true }).waitFor();

      // Sophie edits the title; the page shows it at once, the hub has it.
      const { offer: polygone } = await demoOffer('ia-polygone');
      await openOffer(page, 'Polygone – emplois d’insertion');
      await expectAccessible(page, 'offer');
      await screenshot(page, 'catalogue-offer');
      const title = 'Polygone – emplois d’insertion et chantiers';
      await page.getByRole('textbox', { name: 'Titre (Français)' }).fill(title);
      await page.getByText('Modifications non enregistrées : Titre').waitFor();
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.getByText('Modifications enregistrées (version 2).').waitFor();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      const saved = await hub.t.db.prisma.offer.findUniqueOrThrow({ where: { id: polygone.id } });
      expect(frOf(saved.title)).toBe(title);
      expect(saved.version).toBe(2);

      // An address the hub refuses: the field's problem in French, by the reason the hub names.
      const website = page.getByRole('textbox', { name: 'Site web' });
      const before = await website.inputValue();
      await website.fill('ftp://polygone.example/');
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page
        .getByRole('alert')
        .getByText('Site web : saisissez une adresse web complète, par exemple https://organisation.lu')
        .waitFor();
      expect((await hub.t.db.prisma.offer.findUniqueOrThrow({ where: { id: polygone.id } })).version).toBe(2);
      await website.fill(before);

      // The change log: who, what, before and after.
      await page.getByRole('link', { name: 'Historique des modifications' }).click();
      await page.getByRole('heading', { level: 1, name: `Historique : ${title}` }).waitFor();
      const entry = page.locator('ol.changes > li').first();
      await entry.getByText('Modification', { exact: true }).waitFor();
      await entry.getByText('par Sophie Weber').waitFor();
      await entry.getByText('Champs modifiés : Titre').waitFor();
      await entry.getByText('Avant et après').click();
      await entry.getByRole('cell', { name: 'Polygone – emplois d’insertion', exact: true }).waitFor();
      await entry.getByRole('cell', { name: title, exact: true }).waitFor();
      await expectAccessible(page, 'change log');
      await screenshot(page, 'catalogue-changes');

      // Translations side by side: the French title changed after the others were written.
      await page.getByRole('link', { name: 'Traductions', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `Traductions : ${title}` }).waitFor();
      const column = (language: string) => page.locator(`section.translation[data-language="${language}"]`);
      const titleCell = (language: string) => column(language).locator('.text-cell').first();
      const descriptionCell = (language: string) => column(language).locator('.text-cell').nth(1);
      await titleCell('DE').getByText('À revoir').waitFor();
      await titleCell('EN').getByText('À revoir').waitFor();
      expect(await titleCell('FR').getByText('À revoir').count()).toBe(0);
      await column('FR').getByText('Langue source').waitFor();
      // The description was never translated into English nor Luxembourgish.
      await descriptionCell('EN').getByText('Traduction manquante').waitFor();
      await descriptionCell('LB').getByText('Traduction manquante').waitFor();
      expect(await descriptionCell('DE').getByText('Traduction manquante').count()).toBe(0);
      await expectAccessible(page, 'translations');
      await screenshot(page, 'catalogue-translations');

      // She writes the German title again: no longer to review.
      await page.getByRole('button', { name: 'Modifier la traduction : Deutsch' }).click();
      const german = 'Polygone – Beschäftigungsinitiative und Baustellen';
      await column('DE').getByRole('textbox', { name: 'Titre (Deutsch)' }).fill(german);
      await column('DE').getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.getByText('Traduction enregistrée : Deutsch.').waitFor();
      await titleCell('DE').getByText(german).waitFor();
      await page.locator('.state-loading').waitFor({ state: 'detached' });
      expect(await titleCell('DE').getByText('À revoir').count()).toBe(0);
      await titleCell('EN').getByText('À revoir').waitFor();
      const translated = await hub.t.db.prisma.offer.findUniqueOrThrow({ where: { id: polygone.id } });
      expect((translated.title as Record<string, string>).de).toBe(german);
      expect(frOf(translated.title)).toBe(title);
      expect(problems).toEqual([]);
      await cp.context.close();
    },
    FLOW,
  );

  it(
    'a save against a version changed meanwhile is explained, and resolved by keeping hers or taking the current one',
    async () => {
      const prisma = hub.t.db.prisma;
      const { offer, id } = await demoOffer('ia-obenthalt');
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, SOPHIE);
      await page.goto(`${hub.base}/offers/${id}`);
      const oldTitle = frOf(offer.title);
      await page.getByRole('heading', { level: 1, name: oldTitle }).waitFor();
      const newTitle = 'Obenthalt – logement de transition';
      await page.getByRole('textbox', { name: 'Titre (Français)' }).fill(newTitle);

      // Meanwhile a colleague's program changes the description through the API.
      const description = 'Seize places en appartements partagés, avec un accompagnement social quotidien.';
      const api = hub.t.client(await tokenOf(SOPHIE));
      const changed = await api.request(ConsoleCatalogueUpdateOfferDocument, {
        input: { id, expectedVersion: 1, description: [{ language: 'FR', text: description }] },
        lang: 'FR',
      });
      expect(changed.updateOffer.__typename).toBe('MutationUpdateOfferSuccess');

      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      const conflict = page.locator('section.conflict');
      await conflict
        .getByRole('heading', { name: 'Quelqu’un a modifié cette offre depuis que vous l’avez ouverte' })
        .waitFor();
      await conflict
        .getByText(/Vous aviez ouvert la version 1\u202f; la version actuelle est la 2\./)
        .waitFor();
      const titleRow = conflict.locator('tr[data-field="title"]');
      await titleRow.getByText(newTitle).waitFor();
      await titleRow.getByRole('cell', { name: 'vous', exact: true }).waitFor();
      const descriptionRow = conflict.locator('tr[data-field="description"]');
      await descriptionRow.getByText(description).waitFor();
      await descriptionRow.getByRole('cell', { name: 'l’autre personne', exact: true }).waitFor();
      // Nothing was saved by the refused save.
      expect(frOf((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).title)).toBe(oldTitle);
      await expectAccessible(page, 'version conflict');
      await screenshot(page, 'catalogue-conflict');

      // Hers, applied on the current version: both changes stay.
      await conflict.getByRole('button', { name: 'Garder mes modifications' }).click();
      await page.getByText('Modifications enregistrées (version 3).').waitFor();
      await page.getByRole('heading', { level: 1, name: newTitle }).waitFor();
      expect(await page.locator('section.conflict').count()).toBe(0);
      const merged = await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } });
      expect(frOf(merged.title)).toBe(newTitle);
      expect(frOf(merged.description)).toBe(description);
      expect(merged.version).toBe(3);

      // Two browser contexts: someone else saves the website first; Sophie takes the current one.
      const other = await openConsole(hub);
      await signInAs(hub, other, SOPHIE);
      await other.page.goto(`${hub.base}/offers/${id}`);
      await other.page.getByRole('heading', { level: 1, name: newTitle }).waitFor();
      await page.getByRole('textbox', { name: 'Site web' }).fill('https://obenthalt.example/sophie');
      await other.page.getByRole('textbox', { name: 'Site web' }).fill('https://obenthalt.example/');
      await other.page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await other.page.getByText('Modifications enregistrées (version 4).').waitFor();
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      const websiteRow = conflict.locator('tr[data-field="website"]');
      await websiteRow.getByText('https://obenthalt.example/sophie').waitFor();
      await websiteRow.getByText('https://obenthalt.example/', { exact: true }).waitFor();
      await websiteRow.getByRole('cell', { name: 'vous deux', exact: true }).waitFor();
      await conflict.getByRole('button', { name: 'Prendre la version actuelle' }).click();
      await page
        .getByText('Le formulaire montre maintenant la version actuelle.', { exact: false })
        .waitFor();
      expect(await page.getByRole('textbox', { name: 'Site web' }).inputValue()).toBe(
        'https://obenthalt.example/',
      );
      const taken = await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } });
      expect(taken.website).toBe('https://obenthalt.example/');
      expect(taken.version).toBe(4);
      // Saving again now changes nothing and conflicts with nothing.
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.getByText('Rien n’a changé depuis l’ouverture : rien à enregistrer.').waitFor();
      expect(problems).toEqual([]);
      expect(other.problems).toEqual([]);
      await other.context.close();
      await cp.context.close();
    },
    FLOW,
  );

  it(
    'free places change in two clicks; an offer is paused, then published again',
    async () => {
      const prisma = hub.t.db.prisma;
      const { offer, id } = await demoOffer('ia-maison-relais-mersch');
      expect([offer.capacityFree, offer.capacityPlaces]).toEqual([12, 150]);
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, SOPHIE);
      await page.locator('#main-menu').getByRole('link', { name: 'Nos offres', exact: true }).click();
      const row = page.locator(`tr[data-offer="${id}"]`);
      await row.getByText('12 sur 150').waitFor();
      const more = row.getByRole('button', { name: 'Une place libre de plus : Maison relais Mersch' });
      await more.click();
      await more.click();
      await row.getByText('14 sur 150').waitFor();
      await row.getByText('Places enregistrées.').waitFor();
      expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).capacityFree).toBe(14);
      // The version stays: an open form elsewhere does not conflict with the front desk.
      expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).version).toBe(offer.version);

      // Pause, then publish: only the steps the status allows are offered.
      await openOffer(page, 'Maison relais Mersch');
      const status = page.locator('section', {
        has: page.getByRole('heading', { name: 'Statut de l’offre' }),
      });
      expect(await status.getByRole('button', { name: 'Publier' }).count()).toBe(0);
      await status.getByRole('button', { name: 'Mettre en pause' }).click();
      await status.getByText('L’offre est en pause', { exact: false }).waitFor();
      await page.locator('.offer-meta').getByText('En pause', { exact: true }).waitFor();
      expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe('PAUSED');
      expect(await status.getByRole('button', { name: 'Mettre en pause' }).count()).toBe(0);
      await status.getByRole('button', { name: 'Publier' }).click();
      await status.getByText('L’offre est publiée', { exact: false }).waitFor();
      await page.locator('.offer-meta').getByText('Publiée', { exact: true }).waitFor();
      expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe('PUBLISHED');
      await status.getByRole('button', { name: 'Mettre en pause' }).waitFor();
      // Withdrawing asks first; she changes her mind.
      await status.getByRole('button', { name: 'Retirer' }).click();
      await status.getByRole('alertdialog').getByRole('button', { name: 'Annuler' }).click();
      expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe('PUBLISHED');

      // The form opened before the steps still saves: the steps were hers.
      await page.getByRole('textbox', { name: 'Personne de contact' }).fill('Claire Feller');
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.getByText(/Modifications enregistrées \(version \d+\)\./).waitFor();
      expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).contactName).toBe(
        'Claire Feller',
      );

      await page.getByRole('link', { name: 'Historique des modifications' }).click();
      const log = page.locator('ol.changes');
      await log.locator('li[data-action="PAUSE"]').getByText('par Sophie Weber').waitFor();
      await log.locator('li[data-action="PUBLISH"]').waitFor();
      expect(await log.locator('li[data-action="CAPACITY"]').count()).toBe(2);
      expect(problems).toEqual([]);
      await cp.context.close();
    },
    FLOW,
  );

  it(
    'Sophie edits a site and creates a draft offer',
    async () => {
      const prisma = hub.t.db.prisma;
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, SOPHIE);
      await page.locator('#main-menu').getByRole('link', { name: 'Nos offres', exact: true }).click();
      await page.getByRole('link', { name: 'Modifier le site Foyer de jour Pinocchio' }).click();
      await page.getByRole('heading', { level: 1, name: 'Site : Foyer de jour Pinocchio' }).waitFor();
      await expectAccessible(page, 'site');
      await screenshot(page, 'catalogue-site');
      await page.getByRole('textbox', { name: 'Rue et numéro' }).fill('12, rue de Strasbourg');
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.getByText(/Site enregistré \(version 2\)\./).waitFor();
      const site = await prisma.site.findFirstOrThrow({ where: { hsdsId: 'demo:ia-gare-pinocchio' } });
      expect(site.street).toBe('12, rue de Strasbourg');

      await page.goto(`${hub.base}/offers`);
      await page.getByRole('link', { name: 'Nouvelle offre' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nouvelle offre' }).waitFor();
      await page.getByRole('textbox', { name: 'Titre (Français)' }).waitFor();
      await expectAccessible(page, 'new offer');
      await screenshot(page, 'catalogue-new-offer');
      const title = 'Permanence logement – Gare';
      await page.getByRole('textbox', { name: 'Titre (Français)' }).fill(title);
      await page.getByText('Thèmes (aucun choisi)').click();
      await page.getByRole('checkbox', { name: 'Aide à la recherche de logement' }).check();
      await page.getByRole('checkbox', { name: 'Foyer de jour Pinocchio (Luxembourg)' }).check();
      await page.getByRole('button', { name: 'Créer le brouillon' }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.locator('.offer-meta').getByText('Brouillon', { exact: true }).waitFor();
      const created = await prisma.offer.findFirstOrThrow({
        where: { title: { path: ['fr'], equals: title } },
        include: { themes: true, sites: true },
      });
      expect(created.status).toBe('DRAFT');
      expect(created.themes.map((t) => t.code)).toEqual(['housing.search_help']);
      expect(created.sites.map((s) => s.id)).toEqual([site.id]);
      // A theme and a site: it can be published at once.
      await page.getByRole('button', { name: 'Publier' }).click();
      await page.getByText('L’offre est publiée', { exact: false }).waitFor();
      expect(problems).toEqual([]);
      await cp.context.close();
    },
    FLOW,
  );

  it(
    'Léa, a case worker elsewhere, has no offers menu, reads an offer without a way to change it, and the hub refuses her',
    async () => {
      const { offer, id } = await demoOffer('ia-polygone');
      const { id: draftId } = await demoOffer('ia-prevention-surendettement-jeunes');
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, LEA);
      expect(await page.locator('#main-menu').getByRole('link', { name: 'Nos offres' }).count()).toBe(0);

      await page.goto(`${hub.base}/offers/${id}`);
      const current = await hub.t.db.prisma.offer.findUniqueOrThrow({ where: { id: offer.id } });
      await page.getByRole('heading', { level: 1, name: frOf(current.title) }).waitFor();
      await page
        .getByText(
          'Vous pouvez lire cette offre, mais vous ne pouvez pas la modifier : seuls les éditeur·rice·s du catalogue et les administrateur·rice·s de Inter-Actions le peuvent.',
        )
        .waitFor();
      expect(await page.getByRole('textbox').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Enregistrer' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /place libre/ }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Historique des modifications' }).count()).toBe(0);
      await expectAccessible(page, 'offer, read only');
      await screenshot(page, 'catalogue-offer-read-only');

      // The hub refuses her, whatever the page shows.
      const api = hub.t.client(await tokenOf(LEA));
      const refused = await api.request(ConsoleCatalogueUpdateOfferDocument, {
        input: { id, expectedVersion: current.version, title: [{ language: 'FR', text: 'Piratage' }] },
        lang: 'FR',
      });
      expect(refused.updateOffer.__typename).toBe('ForbiddenError');

      // Its change log and translations say the same; a draft of Inter-Actions is not there for her.
      await page.goto(`${hub.base}/offers/${id}/changes`);
      await page.getByText(/Vous pouvez lire cette offre, mais vous ne pouvez pas la modifier/).waitFor();
      await page.goto(`${hub.base}/offers/${draftId}`);
      await page.getByText(/Cette offre n’existe pas, ou elle n’est pas visible pour vous/).waitFor();
      await page.goto(`${hub.base}/offers`);
      await page.getByText(/Vous ne modifiez le catalogue d’aucune organisation/).waitFor();
      expect(problems).toEqual([]);
      await cp.context.close();
    },
    FLOW,
  );

  it(
    'on a phone, in German, the offers page fits the screen and capacity still takes two taps',
    async () => {
      const cp = await openConsole(hub, { locale: 'de-DE' });
      const { page, problems } = cp;
      // Signed in on a wide screen (the helper waits for the menu, which a phone folds away), then a phone's.
      await signInAs(hub, cp, SOPHIE);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: 'Menü' }).click();
      await page.locator('#main-menu').getByRole('link', { name: 'Unsere Angebote', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Unsere Angebote' }).waitFor();
      await page.getByRole('button', { name: /^Entwürfe \(\d+\)$/ }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const { id } = await demoOffer('ia-maison-relais-leudelange');
      const row = page.locator(`tr[data-offer="${id}"]`);
      await row.getByText('4 von 85').waitFor();
      const less = row.getByRole('button', {
        name: 'Ein freier Platz weniger: Kindertagesstätte Leudelingen',
      });
      await less.click();
      await less.click();
      await row.getByText('2 von 85').waitFor();
      await row.getByText('Plätze gespeichert.').waitFor();
      await expectAccessible(page, 'offers on a phone');
      await screenshot(page, 'catalogue-offers-phone-de');
      expect(problems).toEqual([]);
      await cp.context.close();
    },
    FLOW,
  );
});
