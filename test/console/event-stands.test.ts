/**
 * The stands page of the console, in Chromium against a hub with the demo data: Anne (EVENT_ORGANISER,
 * Ville de Luxembourg) opens the Assises sociales 2022's 36 stands from the edition, in stand-number
 * order with their teams, offers and figures; she sets up a stand for an invited organisation with
 * a team member and an offer (it appears last, and the database and the API have it); a number
 * already taken is shown next to the number field and changes nothing; Sophie (Inter-Actions'
 * admin) may change her organisation's stands only. Every page: axe-core, a screenshot, a phone's width.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { PublicEditionOverviewDocument } from '../../clients/generated/graphql.ts';
import { edition2022 } from '../../prisma/seed/demo-events-2022.ts';
import {
  expectAccessible,
  expectFitsPhone,
  openConsole,
  screenshot,
  signInAs,
  startConsoleHub,
  type ConsoleHub,
} from '../helpers/console.ts';

const ANNE = 'anne.weber@vdl.example';
const SOPHIE = 'sophie.weber@inter-actions.example';
const LEA = 'lea.hoffmann@office-social.example';
const SLUG = 'assises-sociales-2022';
const TITLE = 'Assises sociales 2022 – deuxième édition';
const STANDS = `/organiser/${SLUG}/stands`;

let hub: ConsoleHub;

beforeAll(async () => {
  hub = await startConsoleHub();
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

/** The stand numbers the page lists, top to bottom. */
const listed = (page: Page) =>
  page.locator('.ev-stands > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-stand')));

/** A stand as the database holds it: must not move when a change is refused. */
const standRow = (number: string) =>
  hub.t.db.prisma.stand.findFirstOrThrow({
    where: { edition: { slug: SLUG }, number },
    select: {
      id: true,
      number: true,
      version: true,
      title: true,
      description: true,
      results: true,
      figures: true,
      offers: { select: { id: true }, orderBy: { id: 'asc' } },
      team: { select: { registrationId: true }, orderBy: { registrationId: 'asc' } },
    },
  });

describe('console: stands of an edition', () => {
  it('Anne opens the stands from the edition: every stand in number order, with its team, offers and figures', async () => {
    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}/organiser/${SLUG}`);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByRole('link', { name: 'Stands', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Stands – ${TITLE}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(STANDS);

    // The seed's numbers are in floor-plan order (A1…A12, B1…, C1…C12): A10 after A9, not after A1.
    const numbers = edition2022.stands.map((s) => s.number);
    await expect(hub.t.db.prisma.stand.count({ where: { edition: { slug: SLUG } } })).resolves.toBe(36);
    await page.locator('.ev-stands > li').nth(35).waitFor();
    await expect(listed(page)).resolves.toEqual(numbers);
    await page.getByText('36 stands', { exact: true }).waitFor();

    // A1: its organisation, project, team (registrations), offers and figures.
    const a1 = await hub.t.db.prisma.stand.findFirstOrThrow({
      where: { edition: { slug: SLUG }, number: 'A1' },
      include: {
        team: { include: { registration: true } },
        offers: true,
        organisation: true,
      },
    });
    const card = page.locator('.ev-stand[data-stand="A1"]');
    await card
      .getByRole('heading', { level: 3, name: /Streetwork : aller vers les personnes dans la rue/ })
      .waitFor();
    await card.getByText(a1.organisation.name, { exact: true }).waitFor();
    expect(a1.team.length).toBeGreaterThan(0);
    for (const m of a1.team) await card.getByText(m.registration.name).waitFor();
    expect(a1.offers.length).toBe(2);
    for (const o of a1.offers)
      await card.getByText((o.title as Record<string, string>).fr!, { exact: true }).waitFor();
    const n1240 = new Intl.NumberFormat('fr-LU').format(1240);
    await expect(card.locator('.ev-stand-figures li').first().textContent()).resolves.toBe(
      `${n1240} personnes rencontrées`,
    );
    await card.getByRole('button', { name: 'Modifier – Stand A1 – Inter-Actions' }).waitFor();
    await expectAccessible(page, 'stands');
    await screenshot(page, 'event-stands');

    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('Anne sets up a stand for an invited organisation, with a team member and an offer: it appears, the hub has it', async () => {
    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}${STANDS}`);
    await page.getByRole('heading', { level: 1, name: `Stands – ${TITLE}` }).waitFor();

    const org = await hub.t.db.prisma.organisation.findUniqueOrThrow({ where: { slug: 'inter-actions' } });
    const member = await hub.t.db.prisma.registration.findFirstOrThrow({
      where: { edition: { slug: SLUG }, organisationId: org.id, status: 'REGISTERED' },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    const offer = await hub.t.db.prisma.offer.findFirstOrThrow({
      where: { organisationId: org.id, status: 'PUBLISHED' },
      orderBy: { id: 'asc' },
    });
    const offerTitle = (offer.title as Record<string, string>).fr!;

    await page.getByRole('button', { name: 'Nouveau stand' }).click();
    const form = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Nouveau stand' }),
    });
    await form.getByLabel('Organisation qui présente').selectOption({ label: org.name });
    await form.getByLabel('Numéro du stand').fill('C13');
    await form.getByLabel('Projet présenté').fill('Permanence mobile : le stand de démonstration');
    await form.getByLabel('Ce qui a marché, en quelques phrases').fill('Des rendez-vous pris sur place.');
    await form.getByRole('button', { name: 'Ajouter un chiffre' }).click();
    await form.getByRole('group', { name: 'Chiffre 1' }).getByLabel('Nombre').fill('42');
    await form.getByRole('group', { name: 'Chiffre 1' }).getByLabel('Libellé').fill('rendez-vous pris');
    await form
      .getByRole('group', { name: 'Équipe du stand' })
      .getByRole('checkbox', { name: member.name })
      .first()
      .check();
    await form
      .getByRole('group', { name: 'Offres du catalogue présentées' })
      .getByRole('checkbox', { name: offerTitle })
      .first()
      .check();
    await expectAccessible(page, 'stand form (new)');
    await form.getByRole('button', { name: 'Créer le stand' }).click();

    await page
      .getByRole('status')
      .filter({ hasText: `Stand créé : Stand C13 – ${org.name}.` })
      .waitFor();
    const card = page.locator('.ev-stand[data-stand="C13"]');
    await card
      .getByRole('heading', { level: 3, name: /Permanence mobile : le stand de démonstration/ })
      .waitFor();
    await card.getByText(member.name).waitFor();
    await card.getByText(offerTitle, { exact: true }).waitFor();
    await card.getByText(/42\s+rendez-vous pris/).waitFor();
    // After C12: the directory's order.
    await expect(listed(page)).resolves.toEqual([...edition2022.stands.map((s) => s.number), 'C13']);

    const row = await standRow('C13');
    expect(row).toMatchObject({
      title: { fr: 'Permanence mobile : le stand de démonstration' },
      results: { fr: 'Des rendez-vous pris sur place.' },
      figures: [{ label: { fr: 'rendez-vous pris' }, value: 42 }],
      offers: [{ id: offer.id }],
      team: [{ registrationId: member.id }],
    });
    const created = await hub.t.db.prisma.stand.findUniqueOrThrow({ where: { id: row.id } });
    expect(created.organisationId).toBe(org.id);
    // The public directory (the edition is open) lists it last.
    const res = await hub.t.client().request(PublicEditionOverviewDocument, { slug: SLUG, lang: 'FR' });
    expect(res.eventEdition!.stands.at(-1)).toMatchObject({
      number: 'C13',
      organisation: { slug: 'inter-actions' },
      title: { text: 'Permanence mobile : le stand de démonstration' },
    });

    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('a number already taken is shown next to the number field, and the stand does not change', async () => {
    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}${STANDS}`);
    const before = await standRow('A1');

    const card = page.locator('.ev-stand[data-stand="A1"]');
    await card.getByRole('button', { name: 'Modifier – Stand A1 – Inter-Actions' }).click();
    await card.getByRole('heading', { level: 3, name: 'Modifier : Stand A1 – Inter-Actions' }).waitFor();
    const number = card.getByLabel('Numéro du stand');
    await expect(number.inputValue()).resolves.toBe('A1');
    await expect(card.getByLabel('Projet présenté').inputValue()).resolves.toBe(
      'Streetwork : aller vers les personnes dans la rue',
    );
    await number.fill('A2');
    await card.getByLabel('Projet présenté').fill('Un autre titre');
    await card.getByRole('button', { name: 'Enregistrer', exact: true }).click();

    const problem = card.locator('.field-error', {
      hasText: 'Ce numéro est déjà celui d’un autre stand de cette édition.',
    });
    await problem.waitFor();
    await expect(number.getAttribute('aria-invalid')).resolves.toBe('true');
    const described = (await number.getAttribute('aria-describedby'))!.split(' ');
    expect(described).toContain(await problem.getAttribute('id'));
    await card.getByRole('alert').filter({ hasText: 'Certains champs sont à corriger.' }).waitFor();
    await expectAccessible(page, 'stand form (problem)');
    await screenshot(page, 'event-stands-problem');
    await expect(standRow('A1')).resolves.toEqual(before);

    // Corrected, it saves: the version read is sent back and goes up by one.
    await number.fill('A1');
    await card.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Stand enregistré : Stand A1 – Inter-Actions.' })
      .waitFor();
    const after = await standRow('A1');
    expect(after).toMatchObject({
      number: 'A1',
      version: before.version + 1,
      offers: before.offers,
      team: before.team,
    });
    // The other languages of the title are kept.
    expect(after.title).toEqual({ ...(before.title as object), fr: 'Un autre titre' });

    // A team member cancels while the form is open: the hub's reason is said in French next to
    // the team, and nothing changes.
    expect(after.team.length).toBeGreaterThan(0);
    const leaving = after.team[0]!.registrationId;
    await card.getByRole('button', { name: 'Modifier – Stand A1 – Inter-Actions' }).click();
    await card.getByRole('group', { name: 'Équipe du stand' }).getByRole('checkbox').first().waitFor();
    await hub.t.db.prisma.registration.update({ where: { id: leaving }, data: { status: 'CANCELLED' } });
    try {
      await card.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await card
        .locator('.field-error', { hasText: 'Une personne choisie a annulé son inscription.' })
        .waitFor();
      await expect(standRow('A1')).resolves.toEqual(after);
    } finally {
      await hub.t.db.prisma.registration.update({ where: { id: leaving }, data: { status: 'REGISTERED' } });
    }

    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('fits a 390 px phone: the directory and a stand’s form', async () => {
    const anne = await openConsole(hub, { viewport: { width: 390, height: 844 } });
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}${STANDS}`);
    await page.locator('.ev-stands > li').nth(35).waitFor();
    await expectFitsPhone(page, 'event-stands');
    const card = page.locator('.ev-stand[data-stand="A1"]');
    await card.getByRole('button', { name: 'Modifier – Stand A1 – Inter-Actions' }).click();
    await card.getByRole('group', { name: 'Équipe du stand' }).getByRole('checkbox').first().waitFor();
    await card.getByRole('button', { name: 'Ajouter un chiffre' }).click();
    await expectFitsPhone(page, 'event-stands-form');
    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('an organisation’s admin changes her own stands only; a case worker meets a plain refusal', async () => {
    const sophie = await openConsole(hub);
    await signInAs(hub, sophie, SOPHIE);
    // Her start page leads there: her organisation is invited to the open edition.
    await sophie.page.getByRole('link', { name: /^Stands – Assises sociales 2022/ }).click();
    await sophie.page.waitForURL(`${hub.base}${STANDS}`);
    await sophie.page.locator('.ev-stands > li').nth(35).waitFor();
    const editable = await sophie.page
      .locator('.ev-stand', { has: sophie.page.getByRole('button', { name: /^Modifier/ }) })
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-stand')));
    const own = await hub.t.db.prisma.stand.findMany({
      where: { edition: { slug: SLUG }, organisation: { slug: 'inter-actions' } },
      select: { number: true },
    });
    expect(editable.sort()).toEqual(own.map((s) => s.number).sort());
    expect(editable.length).toBeGreaterThan(0);
    expect(sophie.problems).toEqual([]);
    await sophie.context.close();

    const lea = await openConsole(hub);
    await signInAs(hub, lea, LEA);
    await lea.page.goto(`${hub.base}${STANDS}`);
    await lea.page.getByRole('heading', { level: 1, name: 'Réservé aux organisateurs' }).waitFor();
    await expect(lea.page.locator('.ev-stands').count()).resolves.toBe(0);
    expect(lea.problems).toEqual([]);
    await lea.context.close();
  }, 180_000);
});
