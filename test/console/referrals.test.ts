/**
 * The referral story in the console, in Chromium, three people in three browser contexts: Léa (a
 * case worker of the Office social) finds an offer and sends a referral; Marc (a case worker of
 * Inter-Actions, the receiving side) sees it arrive in his inbox without reloading and accepts it;
 * Léa sees the new status without reloading; a case worker of a third organisation finds no trace
 * of it anywhere in the console. Plus each case worker page checked by axe-core, and the inbox
 * catching up after its connection was lost.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import {
  expectAccessible,
  openConsole,
  screenshot,
  signInAs,
  startConsoleHub,
  type ConsoleHub,
  type ConsolePage,
} from '../helpers/console.ts';

const LEA = 'lea.hoffmann@office-social.example';
const MARC = 'marc.schmit@inter-actions.example';
/** A case worker of a third organisation (Red Cross). */
let outsider: string;

/** Each step may wait for a browser and a hub that share a busy machine. */
const STEP = 120_000;
/** Nothing sticks out of a 390 px screen; what does is named in the failure. */
async function expectFits(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 391)
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
  );
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect({ width, wide }).toEqual({ width: 390, wide: [] });
}
const menu = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name, exact: true });

let hub: ConsoleHub;
let lea: ConsolePage;
let marc: ConsolePage;
let other: ConsolePage;
let reference = '';
let referralPath = '';

beforeAll(async () => {
  // With the demo's year of history, as `npm start` loads it: inboxes of hundreds of referrals.
  hub = await startConsoleHub({}, {}, { history: true });
  const third = await hub.t.db.prisma.user.findFirstOrThrow({
    where: {
      disabledAt: null,
      email: { endsWith: '.example' },
      memberships: {
        some: {
          roles: { has: 'CASE_WORKER' },
          disabledAt: null,
          organisation: { slug: { notIn: ['office-social', 'inter-actions'] } },
        },
        none: { organisation: { slug: { in: ['office-social', 'inter-actions'] } } },
      },
    },
    select: { email: true },
  });
  outsider = third.email;
  // Whether a demo referral is overdue depends on the day the history is seeded: make sure one in
  // Marc's first page is, so that the order (overdue ones first) is checked on every day.
  const waiting = await hub.t.db.prisma.referral.findFirstOrThrow({
    where: { status: 'SENT', firstAnswerAt: null, receiverOrganisation: { slug: 'inter-actions' } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  await hub.t.db.prisma.referral.update({
    where: { id: waiting.id },
    data: { dueAt: new Date(Date.now() - 86_400_000) },
  });
  [lea, marc, other] = await Promise.all([openConsole(hub), openConsole(hub), openConsole(hub)]);
  await signInAs(hub, lea, LEA);
  await signInAs(hub, marc, MARC);
  await signInAs(hub, other, outsider);
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

describe('a referral, from the catalogue to its acceptance, live on both sides', () => {
  it(
    'Léa finds a debt advice offer in the catalogue',
    async () => {
      const { page } = lea;
      await menu(page, 'Catalogue').click();
      await page.getByRole('searchbox', { name: 'Que cherchez-vous ?' }).fill('surendettement');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      const result = page.locator('.result', { hasText: 'Inter-Actions' }).first();
      await result.waitFor();
      await expectAccessible(page, 'catalogue');
      await screenshot(page, 'case-worker-catalogue');
      await result.getByRole('link', { name: 'Orienter une personne' }).click();
      await page.getByRole('heading', { name: 'Nouvelle orientation' }).waitFor();
      // Each label's colon as French sets it, after a no-break space.
      await expect(
        page.locator('strong', { hasText: /^Organisation destinataire/ }).textContent(),
      ).resolves.toBe('Organisation destinataire\u00a0: ');
    },
    STEP,
  );

  it(
    'Marc keeps his incoming inbox open',
    async () => {
      const { page } = marc;
      await menu(page, 'Orientations').click();
      await page.locator('table.inbox').waitFor();
      // Hundreds of referrals: a page of 100, then the next one on demand.
      const rows = page.locator('table.inbox tbody tr');
      expect(await rows.count()).toBe(100);
      await page.getByRole('button', { name: 'Plus de résultats' }).click();
      await rows.nth(100).waitFor();
      expect(await rows.count()).toBe(200);
      // The rows marked overdue are those the hub counts as overdue (all of them among these 200).
      const overdue = await page.getByRole('button', { name: /en retard/ }).innerText();
      expect(await page.locator('td.overdue').count()).toBe(Number(/\d+/.exec(overdue)?.[0]));
      await expectAccessible(page, 'inbox');
      await screenshot(marc.page, 'case-worker-inbox');
    },
    STEP,
  );

  it(
    "Léa sends the referral with the person's consent",
    async () => {
      const { page } = lea;
      await expectAccessible(page, 'new referral');
      // Without initials or name and without a phone number: each field says what is missing, in
      // French, and nothing is created.
      const before = await hub.t.db.prisma.referral.count();
      await page
        .getByLabel('Ce dont la personne a besoin')
        .fill('Loyer impayé depuis deux mois; souhaite un plan.');
      await page
        .getByLabel('Ce à quoi la personne consent')
        .fill("Orientation vers le conseil en surendettement d'Inter-Actions");
      await page.getByRole('button', { name: 'Envoyer l’orientation' }).click();
      // The problem is inside the field's label too: "Initiales Indiquez les…".
      const initials = page.getByRole('textbox', { name: /^Initiales/ });
      const problem = (field: string) => page.locator(`[id="problem-${field}"]`);
      await problem('person.initials').waitFor();
      expect(await problem('person.initials').innerText()).toBe(
        'Indiquez les initiales ou le nom de la personne (au moins l’un des deux).',
      );
      expect(await problem('person.contact').innerText()).toBe(
        'Indiquez les coordonnées qui permettent de la joindre de cette façon.',
      );
      expect(await initials.getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'new referral with problems');
      expect(await hub.t.db.prisma.referral.count()).toBe(before);
      await initials.fill('K. B.');
      await page.getByLabel('Langues (codes séparés par des virgules, ex. fr, ar)').fill('fr, ar');
      await page.getByRole('textbox', { name: /^Coordonnées/ }).fill('+352 621 000 000');
      await page.getByLabel('Urgence').selectOption('URGENT');
      await screenshot(page, 'case-worker-new-referral');
      await page.getByRole('button', { name: 'Envoyer l’orientation' }).click();
      await page.getByText(/Orientation .* envoyée\./).waitFor();
      const title = await page.getByRole('heading', { level: 1 }).innerText();
      reference = title.replace(/^Orientation /, '').trim();
      expect(reference).toMatch(/\S+/);
      referralPath = new URL(page.url()).pathname;
      await expectAccessible(page, 'referral (sender)');
      await screenshot(page, 'case-worker-referral-sent');
    },
    STEP,
  );

  it(
    'Marc sees it arrive without reloading, opens it and accepts it',
    async () => {
      const { page } = marc;
      const row = page.locator(`tr[data-reference="${reference}"]`);
      await row.waitFor();
      // Overdue ones first (at least one, see beforeAll), then newest first, the pages read before
      // still shown.
      const rows = page.locator('table.inbox tbody tr');
      const overdue = await page.locator('table.inbox tbody tr:has(td.overdue)').count();
      expect(overdue).toBeGreaterThan(0);
      expect(await rows.nth(overdue).getAttribute('data-reference')).toBe(reference);
      expect(await row.locator('td.overdue').count()).toBe(0);
      expect(await page.locator('table.inbox tbody tr').count()).toBe(200);
      await row.getByRole('link', { name: reference }).click();
      await page.getByRole('heading', { name: `Orientation ${reference}` }).waitFor();
      // Only the steps the receiving side may take from SENT.
      const steps = await page.locator('#steps-title + .row button').allInnerTexts();
      expect(steps.sort()).toEqual(['Accepter', 'Accuser réception', 'Refuser'].sort());
      await expectAccessible(page, 'referral (receiver)');
      await page.getByRole('button', { name: 'Accepter' }).click();
      await page.getByText('C’est fait.').waitFor();
      await page.locator('.page-actions .badge', { hasText: 'Acceptée' }).waitFor();
    },
    STEP,
  );

  it(
    'Léa sees the new status on her open page without reloading',
    async () => {
      await lea.page.locator('.page-actions .badge', { hasText: 'Acceptée' }).waitFor();
      await lea.page.locator('.timeline', { hasText: 'Marc' }).waitFor();
      await screenshot(lea.page, 'case-worker-referral-accepted');
    },
    STEP,
  );

  it(
    'a case worker of a third organisation finds no trace of it anywhere',
    async () => {
      const { page } = other;
      await menu(page, 'Orientations').click();
      await page.locator('.page table, .page .state-empty').first().waitFor();
      expect(await page.content()).not.toContain(reference);
      await page.getByRole('button', { name: 'Envoyées' }).click();
      await page.locator('.page table, .page .state-empty').first().waitFor();
      expect(await page.content()).not.toContain(reference);
      await page.goto(`${hub.base}${referralPath}`);
      await page.getByText(/Introuvable/).waitFor();
      expect(await page.content()).not.toContain(reference);
      expect(await page.content()).not.toContain('K. B.');
    },
    STEP,
  );

  it(
    'on a phone, the catalogue and its results fit the screen',
    async () => {
      const { page } = other;
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: 'Menu' }).click();
      await menu(page, 'Catalogue').click();
      // Every offer's card fits, the first page before any search as well as the results: a long
      // theme ("Déclaration d’arrivée et inscription communale") widened the page to 440 px.
      await page.locator('.result').nth(19).waitFor();
      await expectFits(page);
      await page.getByRole('searchbox', { name: 'Que cherchez-vous ?' }).fill('surendettement');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      // The search's few results replace the first page of 20.
      await page.waitForFunction(() => document.querySelectorAll('.result').length < 20);
      await page.locator('.result').first().waitFor();
      await expectFits(page);
      await screenshot(page, 'case-worker-catalogue-phone');
    },
    STEP,
  );

  it(
    'a further page still loading when the filter changes stays out of the new list',
    async () => {
      const { page } = lea;
      await menu(page, 'Orientations').click();
      const rows = page.locator('table.inbox tbody tr');
      await rows.nth(99).waitFor();
      // The status with the most referrals, more than one page of them.
      const counts = page.locator('ul.counts li button');
      await counts.first().waitFor();
      const labels = (await counts.allInnerTexts()).slice(2);
      const sizes = labels.map((l) => Number(/\((\d+)\)$/.exec(l)?.[1] ?? 0));
      const largest = labels[sizes.indexOf(Math.max(...sizes))] ?? '';
      expect(Math.max(...sizes)).toBeGreaterThan(100);
      // Hold the next page's answer until the filter has changed.
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      let held = () => {};
      const holding = new Promise<void>((resolve) => (held = resolve));
      await page.route('**/graphql', async (route) => {
        if (route.request().postData()?.includes('"ConsoleInboxPage"')) {
          held();
          await released;
        }
        await route.continue();
      });
      const more = page.getByRole('button', { name: 'Plus de résultats' });
      await more.click();
      await holding;
      await page.getByRole('button', { name: largest }).click();
      const status = largest.replace(/ \(\d+\)$/, '');
      await page.getByRole('button', { name: largest, pressed: true }).waitFor();
      const onlyStatus = (label: string) => {
        const badges = [...document.querySelectorAll('table.inbox tbody .badge')];
        return badges.length === 100 && badges.every((b) => b.textContent === label);
      };
      await page.waitForFunction(onlyStatus, status);
      const answered = page.waitForResponse(
        (r) => r.request().postData()?.includes('"ConsoleInboxPage"') ?? false,
      );
      release();
      await answered;
      // The held page's answer has been handled once the button is usable again.
      await page.waitForFunction(() =>
        [...document.querySelectorAll('button')].some(
          (b) => b.textContent === 'Plus de résultats' && !b.disabled,
        ),
      );
      await page.unroute('**/graphql');
      expect(await rows.count()).toBe(100);
      expect(await page.evaluate(onlyStatus, status)).toBe(true);
    },
    STEP,
  );

  it(
    'nothing went wrong in any of the three browsers',
    () => {
      expect(lea.problems).toEqual([]);
      expect(marc.problems).toEqual([]);
      expect(other.problems).toEqual([]);
    },
    STEP,
  );
});
