/**
 * The event organisers' screens of the console, in Chromium against a hub with the demo data:
 * Anne (EVENT_ORGANISER, Ville de Luxembourg) opens the Assises sociales 2022, filters the
 * participants and sees the counts follow, downloads the CSV export; at the door she types badge
 * codes (welcome, already arrived, unknown) while a second browser on the same check-in screen
 * sees the arrival appear without reloading. Léa (a case worker) finds no menu entry and a plain
 * refusal at the edition's address. Every page: axe-core, a screenshot, and a phone's width.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateSessionDocument,
  RegisterForEventDocument,
  UpdateEventEditionDocument,
} from '../../clients/generated/graphql.ts';
import { fromLuxembourgDayAndTime } from '../../clients/web/src/i18n/luxembourg-time.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { createEdition } from '../helpers/events.ts';
import {
  expectAccessible,
  expectFitsPhone,
  openConsole,
  screenshot,
  signInAs,
  startConsoleHub,
  WAIT,
  type ConsoleHub,
} from '../helpers/console.ts';

const ANNE = 'anne.weber@vdl.example';
const LEA = 'lea.hoffmann@office-social.example';
const SLUG = 'assises-sociales-2022';
const TITLE = 'Assises sociales 2022 – deuxième édition';

let hub: ConsoleHub;

beforeAll(async () => {
  hub = await startConsoleHub();
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

/** The instant of a day and time on Luxembourg's clock. */
const fromLuxembourg = (day: string, time: string) => fromLuxembourgDayAndTime(day, time)!;

/** What the list says of `n` matching participants, in French. */
const matching = (n: number) =>
  n === 0
    ? 'Aucun participant ne correspond à ces filtres.'
    : n === 1
      ? '1 participant·e correspond aux filtres.'
      : `${new Intl.NumberFormat('fr-LU').format(n)} participant·es correspondent aux filtres.`;

/** Registered (not cancelled) participants of the edition, narrowed as the list's filter does. */
async function registered(where: Record<string, unknown> = {}): Promise<number> {
  return hub.t.db.prisma.registration.count({
    where: { edition: { slug: SLUG }, status: 'REGISTERED', ...where },
  });
}

describe('console: event organisers', () => {
  it('Anne opens the edition, filters the participants, downloads the CSV; check-in by badge code, live on a second screen', async () => {
    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);

    // Her events, from the menu.
    await page.locator('#main-menu').getByRole('link', { name: 'Événements' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vos événements' }).waitFor();
    await page.getByRole('heading', { level: 3, name: TITLE }).waitFor();
    await expectAccessible(page, 'events list');
    await screenshot(page, 'events-list');
    await expectFitsPhone(page, 'events-list');

    // The edition: every registered participant, then fewer as filters narrow the list.
    await page.getByRole('heading', { level: 3, name: TITLE }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/organiser/${SLUG}`);
    const all = await registered();
    expect(all).toBeGreaterThan(100);
    await page.locator('.ev-matching', { hasText: matching(all) }).waitFor();
    await expectAccessible(page, 'edition');
    await screenshot(page, 'events-edition');

    const staff = await registered({ category: 'PARTNER_STAFF' });
    expect(staff).toBeLessThan(all);
    await page.getByLabel('Catégorie', { exact: true }).selectOption('PARTNER_STAFF');
    await page.locator('.ev-matching', { hasText: matching(staff) }).waitFor();
    expect(new URL(page.url()).searchParams.get('category')).toBe('PARTNER_STAFF');

    const staffAway = await registered({ category: 'PARTNER_STAFF', checkedInAt: null });
    expect(staffAway).toBeLessThan(staff);
    await page.getByLabel('Arrivée', { exact: true }).selectOption('no');
    await page.locator('.ev-matching', { hasText: matching(staffAway) }).waitFor();
    const firstAway = await hub.t.db.prisma.registration.findFirstOrThrow({
      where: { edition: { slug: SLUG }, status: 'REGISTERED', category: 'PARTNER_STAFF', checkedInAt: null },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    await page.locator('.ev-list tbody tr', { hasText: firstAway.name }).first().waitFor();

    // The CSV export of the list as filtered: the header row first (after the byte order mark).
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: WAIT }),
      page.getByRole('button', { name: 'Participants (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${SLUG}-participants.csv`);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Nom,E-mail,Organisation,Fonction,Catégorie,Sessions,Arrivée,Inscription,Source,Besoins d’accessibilité',
    );
    expect(csv).toContain(firstAway.email);
    await page
      .getByRole('status')
      .filter({ hasText: `${SLUG}-participants.csv` })
      .waitFor();

    // Cleared, the list is whole again.
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await page.locator('.ev-matching', { hasText: matching(all) }).waitFor();
    await expectFitsPhone(page, 'events-edition');

    // A second screen at the door, live before anyone arrives.
    const desk = await openConsole(hub);
    await signInAs(hub, desk, ANNE);
    await desk.page.goto(`${hub.base}/organiser/${SLUG}/check-in`);
    await desk.page.locator('.ev-arrivals [data-live="live"]').waitFor();

    // Anne's check-in screen: the badge box has the focus.
    await page.getByRole('link', { name: 'Accueil (check-in)' }).first().click();
    await page.getByRole('heading', { level: 1, name: `Accueil – ${TITLE}` }).waitFor();
    await page.locator('.ev-arrivals [data-live="live"]').waitFor();
    const box = page.getByRole('textbox', { name: 'Code du badge' });
    await expect(page.evaluate<string>('document.activeElement.id')).resolves.toBe('ev-badge');
    // No camera detector in headless Chromium on Linux: it says so, and typing stays.
    await page
      .locator('.ev-scan')
      .getByText(/ne sait pas lire les codes QR|Scanner avec la caméra/)
      .waitFor();
    await expectAccessible(desk.page, 'check-in (second screen)');
    await screenshot(desk.page, 'events-check-in-second-screen');

    const arrivedBefore = await registered({ checkedInAt: { not: null } });
    const feedback = page.getByTestId('check-in-feedback');
    await page.keyboard.type(firstAway.badgeCode.toLowerCase());
    await page.keyboard.press('Enter');
    await feedback.getByText(`Bienvenue, ${firstAway.name} !`).waitFor();
    await expect(feedback.getAttribute('aria-live')).resolves.toBe('assertive');
    await expect(box.inputValue()).resolves.toBe('');
    await expect(page.evaluate<string>('document.activeElement.id')).resolves.toBe('ev-badge');
    const arrived = await hub.t.db.prisma.registration.findUniqueOrThrow({ where: { id: firstAway.id } });
    expect(arrived.checkedInAt).not.toBeNull();
    await expectAccessible(page, 'check-in (welcome)');
    await screenshot(page, 'events-check-in-welcome');

    // The second screen, not reloaded: the arrival and the new count.
    await desk.page.locator('.ev-arrival-list li', { hasText: firstAway.name }).waitFor();
    await desk.page.locator('.ev-counter', { hasText: `${arrivedBefore + 1} / ${all}` }).waitFor();

    // The same badge again: already arrived; nothing counted twice.
    await page.keyboard.type(firstAway.badgeCode);
    await page.keyboard.press('Enter');
    await feedback.getByText(`${firstAway.name} est déjà arrivé·e`).waitFor();
    await expect(registered({ checkedInAt: { not: null } })).resolves.toBe(arrivedBefore + 1);

    // A code no badge has: a plain sentence.
    await page.keyboard.type('INCONNU-0000');
    await page.keyboard.press('Enter');
    await feedback.getByText('Code inconnu : « INCONNU-0000 ». Personne n’a été enregistré.').waitFor();
    // French typography (`clients/typography.ts`): no-break spaces hold the colon and the
    // guillemets to their words, so that no line starts with them.
    await expect(feedback.getByText(/^Code inconnu/).textContent()).resolves.toBe(
      'Code inconnu\u00a0: «\u00a0INCONNU-0000\u00a0». Personne n’a été enregistré.',
    );
    await expectAccessible(page, 'check-in (unknown code)');
    await screenshot(page, 'events-check-in-unknown');
    await expectFitsPhone(page, 'events-check-in');

    // A door device whose clock is an hour ahead: the hub refuses the scan (it would win over every
    // later one), and the screen says why in the organiser's words, not the hub's English.
    const scansBefore = await hub.t.db.prisma.checkIn.count();
    await page.clock.setFixedTime(Date.now() + 3_600_000);
    await page.keyboard.type(firstAway.badgeCode);
    await page.keyboard.press('Enter');
    await feedback
      .getByText(
        'L’arrivée n’a pas pu être enregistrée : l’horloge de cet appareil est en avance sur celle du hub. Remettez-la à l’heure, puis scannez à nouveau.',
      )
      .waitFor();
    await expect(hub.t.db.prisma.checkIn.count()).resolves.toBe(scansBefore);

    expect(await desk.page.locator('.ev-arrival-list li', { hasText: firstAway.name }).count()).toBe(1);
    expect(anne.problems).toEqual([]);
    expect(desk.problems).toEqual([]);
    await desk.context.close();
    await anne.context.close();
  }, 240_000);

  it('Anne moves a full workshop to a larger room with more seats: the first two waiting get them, by mail', async () => {
    // The workshop with the longest waitlist, and who waits first.
    const sessions = await hub.t.db.prisma.eventSession.findMany({
      where: { edition: { slug: SLUG } },
      include: { seats: { orderBy: [{ queuedAt: 'asc' }, { registrationId: 'asc' }] } },
    });
    const session = sessions
      .map((x) => ({ ...x, waiting: x.seats.filter((seat) => seat.status === 'WAITLISTED') }))
      .sort((a, b) => b.waiting.length - a.waiting.length)[0]!;
    expect(session.waiting.length).toBeGreaterThanOrEqual(3);
    const taken = session.seats.length - session.waiting.length;
    const title = (session.title as { fr: string }).fr;
    const started = new Date();

    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}/organiser/${SLUG}`);
    await page.getByRole('heading', { level: 2, name: 'Programme et places' }).waitFor();
    await page.getByRole('button', { name: `Modifier – ${title}` }).click();
    const form = page.getByRole('form', { name: `Modifier – ${title}` });
    await form.waitFor();
    await expectAccessible(page, 'session form');

    // Fewer seats than are taken: refused in her words, and nothing changes.
    const places = form.getByLabel('Places', { exact: true });
    await places.fill('1');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    const problem = form.locator('.field-error');
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toBe(
      `${taken} places sont déjà prises\u00a0: au moins ${taken}. Annulez des inscriptions pour libérer des places.`,
    );
    await expect(places.getAttribute('aria-invalid')).resolves.toBe('true');
    const unchanged = await hub.t.db.prisma.eventSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(unchanged.version).toBe(session.version);

    // Two more seats, another room, half an hour later.
    await places.fill(String(taken + 2));
    await form.getByLabel('Salle', { exact: true }).fill('Grande salle');
    await form.getByLabel('Début', { exact: true }).fill('14:30');
    await form.getByLabel('Fin', { exact: true }).fill('15:45');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '2 personnes de la liste d’attente ont reçu une place.' })
      .waitFor();
    await screenshot(page, 'events-session-saved');
    // The form is gone: the focus is back on the button that opened it.
    await expect(page.evaluate<string>('document.activeElement?.textContent ?? ""')).resolves.toBe(
      `Modifier – ${title}`,
    );
    const row = page.locator('#ev-sessions ~ * tbody tr', { hasText: title }).first();
    await row.getByText('Grande salle').waitFor();
    await row.getByText(`${taken + 2} / ${taken + 2}`).waitFor();
    await row.getByText('14:30–15:45').waitFor();

    const after = await hub.t.db.prisma.eventSession.findUniqueOrThrow({
      where: { id: session.id },
      include: { seats: true },
    });
    expect(after).toMatchObject({ room: 'Grande salle', capacity: taken + 2, version: session.version + 1 });
    // 14:30 on Luxembourg's clock in November: 13:30 UTC, the day unchanged.
    expect(after.startsAt.toISOString()).toBe(`${session.startsAt.toISOString().slice(0, 10)}T13:30:00.000Z`);
    const promoted = session.waiting.slice(0, 2).map((seat) => seat.registrationId);
    const status = (id: string) => after.seats.find((seat) => seat.registrationId === id)?.status;
    expect(promoted.map(status)).toEqual(['CONFIRMED', 'CONFIRMED']);
    expect(status(session.waiting[2]!.registrationId)).toBe('WAITLISTED');
    const mailed = await hub.t.db.prisma.mailMessage.findMany({
      where: { kind: 'event-registration-promoted', createdAt: { gte: started } },
      select: { to: true },
    });
    const emails = await hub.t.db.prisma.registration.findMany({
      where: { id: { in: promoted } },
      select: { email: true },
    });
    expect(mailed.map((m) => m.to).sort()).toEqual(emails.map((r) => r.email).sort());
    await anne.context.close();
  });

  it('Anne adds a round table to the programme: a blank title, an end before its start and one after the edition are refused, then it is listed', async () => {
    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}/organiser/${SLUG}`);
    await page.getByRole('button', { name: 'Ajouter une session' }).click();
    const form = page.getByRole('form', { name: 'Nouvelle session' });
    await form.waitFor();
    await expectAccessible(page, 'new session form');
    const before = await hub.t.db.prisma.eventSession.count({ where: { edition: { slug: SLUG } } });
    // A title of spaces passes the browser's check, not the hub's: the field says so.
    const titleField = form.getByLabel('Titre', { exact: true });
    await titleField.fill('   ');
    await form.getByLabel('Type', { exact: true }).selectOption('ROUND_TABLE');
    await form.getByLabel('Début', { exact: true }).fill('16:00');
    await form.getByLabel('Fin', { exact: true }).fill('15:00');
    await form.getByLabel('Salle', { exact: true }).fill('Salle 4');
    await form.getByLabel('Places', { exact: true }).fill('20');
    await form.getByRole('button', { name: 'Ajouter au programme' }).click();
    await form.getByText('à remplir', { exact: true }).waitFor();
    await expect(titleField.getAttribute('aria-invalid')).resolves.toBe('true');
    await titleField.fill('Atelier numérique et démarches en ligne');
    await form.getByRole('button', { name: 'Ajouter au programme' }).click();
    await form.getByText('La fin doit suivre le début.').waitFor();
    expect(await hub.t.db.prisma.eventSession.count({ where: { edition: { slug: SLUG } } })).toBe(before);
    // The edition ends at 17:30: a session takes place during it.
    await form.getByLabel('Fin', { exact: true }).fill('18:30');
    await form.getByRole('button', { name: 'Ajouter au programme' }).click();
    await form
      .getByText('en dehors de l’édition\u00a0: une session a lieu pendant l’édition', { exact: true })
      .waitFor();
    await expect(form.getByLabel('Fin', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await hub.t.db.prisma.eventSession.count({ where: { edition: { slug: SLUG } } })).toBe(before);

    await form.getByLabel('Fin', { exact: true }).fill('17:00');
    await form.getByRole('button', { name: 'Ajouter au programme' }).click();
    await page
      .getByRole('status')
      .filter({
        hasText: 'La session «\u00a0Atelier numérique et démarches en ligne\u00a0» est ajoutée au programme.',
      })
      .waitFor();
    const row = page.locator('#ev-sessions ~ * tbody tr', {
      hasText: 'Atelier numérique et démarches en ligne',
    });
    await row.getByText('16:00–17:00').waitFor();
    await row.getByText('0 / 20').waitFor();
    const added = await hub.t.db.prisma.eventSession.findFirstOrThrow({
      where: { edition: { slug: SLUG }, room: 'Salle 4' },
      include: { edition: true },
    });
    expect(added).toMatchObject({
      kind: 'ROUND_TABLE',
      title: { fr: 'Atelier numérique et démarches en ligne' },
      capacity: 20,
    });
    // 16:00 on Luxembourg's clock on the edition's day (November: UTC+1).
    expect(added.startsAt.toISOString()).toBe(
      `${added.edition.startsAt.toISOString().slice(0, 10)}T15:00:00.000Z`,
    );
    await anne.context.close();
  });

  it('Anne closes registration and reopens it: a closing time already past is refused, the public page follows', async () => {
    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}/organiser/${SLUG}`);
    const section = page.getByRole('region', { name: 'Inscriptions', exact: true });
    await section.getByText(/^Ouvertes jusqu’au /).waitFor();
    await expectAccessible(page, 'edition registration');
    const opened = await hub.t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug: SLUG } });

    // A closing day typed but not saved does not stand in the way of closing, nor is it sent.
    const day = section.getByLabel('Jour', { exact: true });
    const time = section.getByLabel('Heure', { exact: true });
    const kept = { day: await day.inputValue(), time: await time.inputValue() };
    await day.fill('2022-12-01');
    await section.getByRole('button', { name: 'Fermer les inscriptions' }).click();
    await page.getByRole('status').filter({ hasText: 'Inscriptions fermées.' }).waitFor();
    await section.getByText(/^Fermées\u00a0: la page publique reste en ligne/).waitFor();
    expect(await hub.t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug: SLUG } })).toMatchObject({
      status: 'CLOSED',
      version: opened.version + 1,
      registrationClosesAt: opened.registrationClosesAt,
    });
    const visitor = await anne.context.newPage();
    await visitor.goto(`${hub.base}/events/${SLUG}`);
    await visitor.locator('p.status', { hasText: 'Inscriptions closes' }).waitFor();

    // Reopening until a time already past would leave registration shut: refused at the field, nothing changes.
    await expect(day.inputValue()).resolves.toBe(kept.day);
    // The day before the edition: before it ends, as it must be, but past.
    const dayBefore = new Date(opened.startsAt.getTime() - 24 * 3600 * 1000).toISOString().slice(0, 10);
    await day.fill(dayBefore);
    await time.fill('18:00');
    await section.getByRole('button', { name: 'Rouvrir les inscriptions' }).click();
    await section.getByText('Ce moment est passé\u00a0: les inscriptions resteraient fermées.').waitFor();
    await expect(day.getAttribute('aria-invalid')).resolves.toBe('true');
    // The refusal is where the focus goes, so that it is heard.
    await expect(day.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect((await hub.t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug: SLUG } })).status).toBe(
      'CLOSED',
    );

    // With the closing time as it was, registration reopens, and the public page offers the form again.
    await day.fill(kept.day);
    await time.fill(kept.time);
    await section.getByRole('button', { name: 'Rouvrir les inscriptions' }).click();
    await page.getByRole('status').filter({ hasText: 'Inscriptions rouvertes.' }).waitFor();
    await section.getByText(/^Ouvertes jusqu’au /).waitFor();
    await expect(page.evaluate<string | undefined>('document.activeElement?.className')).resolves.toBe(
      'ev-registration-state',
    );
    expect(await hub.t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug: SLUG } })).toMatchObject({
      status: 'OPEN',
      registrationClosesAt: opened.registrationClosesAt,
    });
    await visitor.reload();
    await visitor.locator('p.status a.register').waitFor();
    await anne.context.close();
  });

  it('Anne prepares next year’s edition from the last one: an address already used is refused; the draft keeps the venue and invitations, then she publishes it', async () => {
    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}/organiser`);
    await page.getByRole('link', { name: /^Nouvelle édition/ }).click();
    const form = page.locator('form');
    const title = form.getByLabel('Titre', { exact: true });
    await title.waitFor();
    await expectAccessible(page, 'new edition');
    const year = new Date().getFullYear() + 1;
    await title.fill(`Assises sociales ${year} – troisième édition`);
    const address = form.getByLabel('Adresse de la page publique', { exact: true });
    // Proposed from the title, without accents.
    await expect(address.inputValue()).resolves.toBe(`assises-sociales-${year}-troisieme-edition`);
    await address.fill(SLUG);
    await form.getByLabel('Jour', { exact: true }).fill(`${year}-11-23`);
    // The hours and the choices start from the latest edition.
    await expect(form.getByLabel('Début', { exact: true }).inputValue()).resolves.toBe('08:30');
    await expect(form.getByLabel('Fin', { exact: true }).inputValue()).resolves.toBe('17:30');
    const last = await hub.t.db.prisma.eventEdition.findUniqueOrThrow({
      where: { slug: SLUG },
      include: { venue: true, invitations: true },
    });
    await expect(
      form.getByLabel(`Au même lieu que l’édition précédente\u00a0: ${last.venue!.name}`).isChecked(),
    ).resolves.toBe(true);
    await expect(form.getByLabel(/^Inviter les \d+ organisations invitées/).isChecked()).resolves.toBe(true);
    const editions = await hub.t.db.prisma.eventEdition.count();
    await form.getByRole('button', { name: 'Créer le brouillon' }).click();
    await form.getByText('Cette adresse est déjà prise\u00a0: choisissez-en une autre.').waitFor();
    await expect(address.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await hub.t.db.prisma.eventEdition.count()).toBe(editions);

    const slug = `assises-sociales-${year}`;
    await address.fill(slug);
    await form.getByRole('button', { name: 'Créer le brouillon' }).click();
    await page.waitForURL(`**/organiser/${slug}`);
    const section = page.getByRole('region', { name: 'Inscriptions', exact: true });
    await section.getByText(/^Brouillon\u00a0: l’édition n’est pas publiée/).waitFor();
    const created = await hub.t.db.prisma.eventEdition.findUniqueOrThrow({
      where: { slug },
      include: { invitations: true },
    });
    expect(created).toMatchObject({
      status: 'DRAFT',
      eventId: last.eventId,
      venueSiteId: last.venueSiteId,
      title: { fr: `Assises sociales ${year} – troisième édition` },
      registrationClosesAt: null,
    });
    // 08:30 on Luxembourg's clock in November (UTC+1).
    expect(created.startsAt.toISOString()).toBe(`${year}-11-23T07:30:00.000Z`);
    expect(created.invitations.map((i) => i.organisationId).sort()).toEqual(
      last.invitations.map((i) => i.organisationId).sort(),
    );
    // New codes, not last year's.
    const lastHashes = new Set(last.invitations.map((i) => i.codeHash));
    expect(created.invitations.some((i) => lastHashes.has(i.codeHash))).toBe(false);

    await section.getByRole('button', { name: 'Publier et ouvrir les inscriptions' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Édition publiée\u00a0: les inscriptions sont ouvertes.' })
      .waitFor();
    await section.getByText(/^Ouvertes jusqu’au 23 nov\. /).waitFor();
    expect((await hub.t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug } })).status).toBe('OPEN');
    await anne.context.close();
  });

  it('Anne takes a workshop off the programme: she is asked first, "keep" changes nothing; those registered are mailed and keep their registration', async () => {
    // A workshop ahead with people seated and waiting (the demo's day has passed: one is moved ahead).
    const sessions = await hub.t.db.prisma.eventSession.findMany({
      where: { edition: { slug: SLUG } },
      include: { seats: { include: { registration: true } } },
      orderBy: { id: 'asc' },
    });
    const session = sessions.find(
      (x) =>
        x.seats.some((seat) => seat.status === 'WAITLISTED') &&
        x.seats.some((seat) => seat.status === 'CONFIRMED'),
    )!;
    const title = (session.title as { fr: string }).fr;
    const ahead = new Date(Date.now() + 30 * 24 * 3600_000);
    const moved = await hub.t.db.prisma.eventSession.update({
      where: { id: session.id },
      data: { startsAt: ahead, endsAt: new Date(ahead.getTime() + 3600_000) },
    });
    const people = session.seats.filter((seat) => seat.registration.status === 'REGISTERED');
    const toTell = people.filter((seat) => !seat.registration.anonymisedAt);
    const started = new Date();

    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    let cancellations = 0;
    page.on('request', (request) => {
      if (request.postData()?.includes('cancelSession')) cancellations += 1;
    });
    await page.goto(`${hub.base}/organiser/${SLUG}`);
    await page.getByRole('heading', { level: 2, name: 'Programme et places' }).waitFor();
    // A session that has started has nothing to take off.
    const past = sessions.find((x) => x.id !== session.id)!;
    await page.getByRole('button', { name: `Modifier – ${(past.title as { fr: string }).fr}` }).click();
    const pastForm = page.getByRole('form', { name: `Modifier – ${(past.title as { fr: string }).fr}` });
    await pastForm.waitFor();
    await expect(pastForm.getByRole('button', { name: /Retirer du programme/ }).count()).resolves.toBe(0);
    await pastForm.getByRole('button', { name: 'Annuler' }).click();

    await page.getByRole('button', { name: `Modifier – ${title}` }).click();
    const form = page.getByRole('form', { name: `Modifier – ${title}` });
    await form.getByRole('button', { name: `Retirer du programme… – ${title}` }).click();
    const ask = form.getByText(`Retirer «\u00a0${title}\u00a0» du programme\u00a0?`, { exact: false });
    await ask.waitFor();
    await expect(ask.textContent()).resolves.toContain(`Les ${people.length} personnes inscrites`);
    // The safe answer has the focus.
    await expect(page.evaluate<string>('document.activeElement?.textContent ?? ""')).resolves.toBe(
      'Garder la session',
    );
    await expectAccessible(page, 'take a session off');
    await screenshot(page, 'events-session-drop-ask');
    await form.getByRole('button', { name: 'Garder la session' }).click();
    // "Keep" sent nothing, and the focus is back where the question was asked.
    await expect(page.evaluate<string>('document.activeElement?.textContent ?? ""')).resolves.toBe(
      `Retirer du programme… – ${title}`,
    );
    expect(cancellations).toBe(0);
    expect(await hub.t.db.prisma.eventSession.findUnique({ where: { id: session.id } })).toEqual(moved);

    await form.getByRole('button', { name: `Retirer du programme… – ${title}` }).click();
    await form.getByRole('button', { name: 'Retirer et prévenir' }).click();
    await page
      .getByRole('status')
      .filter({
        hasText: `La session «\u00a0${title}\u00a0» est retirée du programme. ${toTell.length} personnes sont prévenues par e-mail.`,
      })
      .waitFor();
    await expect(page.evaluate<string>('document.activeElement?.id ?? ""')).resolves.toBe('ev-sessions');
    // The edition is read again: its row goes.
    await page
      .locator('#ev-sessions ~ * tbody tr', { hasText: title })
      .first()
      .waitFor({ state: 'detached' });

    expect(cancellations).toBe(1);
    expect(await hub.t.db.prisma.eventSession.findUnique({ where: { id: session.id } })).toBeNull();
    const mailed = await hub.t.db.prisma.mailMessage.findMany({
      where: { kind: 'event-registration-session-cancelled', createdAt: { gte: started } },
      select: { to: true },
    });
    expect(mailed.map((m) => m.to).sort()).toEqual(toTell.map((seat) => seat.registration.email).sort());
    // Their registrations stand.
    expect(
      await hub.t.db.prisma.registration.count({
        where: { id: { in: people.map((seat) => seat.registrationId) }, status: 'REGISTERED' },
      }),
    ).toBe(people.length);
    expect(anne.problems).toEqual([]);
    await anne.context.close();
  });

  it('Anne edits an edition: titles in more languages, a week later with its programme (those registered are mailed); hours that leave a session out, no title and a change made meanwhile are refused', async () => {
    // A 2027-like edition ahead, with a workshop and two people registered, set up over the API.
    const prisma = hub.t.db.prisma;
    const user = await prisma.user.findUniqueOrThrow({ where: { email: ANNE } });
    const token = await signUserToken(prisma, user, {
      issuer: hub.t.config.AUTH_ISSUER,
      audience: hub.t.config.AUTH_AUDIENCE,
      ttlSeconds: 600,
    });
    // Organised by the demo edition's organisation, which Anne organises for.
    const { organisationId } = await prisma.eventEdition.findUniqueOrThrow({ where: { slug: SLUG } });
    const interActions = await prisma.organisation.findUniqueOrThrow({ where: { slug: 'inter-actions' } });
    // 40 days ahead, 09:00–17:00 in Luxembourg whatever the season: 08:00 UTC in winter, 07:00 in summer.
    const day = new Date(Date.now() + 40 * 24 * 3600_000).toISOString().slice(0, 10);
    const start = fromLuxembourg(day, '09:00');
    const slug = 'forum-emploi-edit';
    const edition = await createEdition(hub.t, token, {
      organisationId: encodeGlobalID('Organisation', organisationId),
      slug,
      startsAt: start,
      invited: [encodeGlobalID('Organisation', interActions.id)],
    });
    const opened = await hub.t.send(
      UpdateEventEditionDocument,
      { input: { id: edition.id, expectedVersion: edition.version, status: 'OPEN' } },
      { token },
    );
    expect(opened.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
    const created = await hub.t.send(
      CreateSessionDocument,
      {
        input: {
          editionId: edition.id,
          kind: 'WORKSHOP',
          title: [{ language: 'FR', text: 'Atelier CV' }],
          startsAt: fromLuxembourg(day, '14:00').toISOString(),
          endsAt: fromLuxembourg(day, '16:00').toISOString(),
        },
      },
      { token },
    );
    const c = created.body.data!.createSession;
    if (c.__typename !== 'MutationCreateSessionSuccess') throw new Error(JSON.stringify(c));
    const code = await edition.code('inter-actions');
    for (const [name, locale] of [
      ['Nora Berg', 'DE'],
      ['Paul Faber', 'FR'],
    ] as const) {
      const r = await hub.t.send(RegisterForEventDocument, {
        input: {
          edition: slug,
          code,
          participant: {
            name,
            email: `${name.toLowerCase().replace(' ', '.')}@inter-actions.example`,
            category: 'PARTNER_STAFF',
            sessionIds: [c.data.session.id],
            locale,
          },
        },
      });
      expect(r.body.data!.registerForEvent.__typename).toBe('MutationRegisterForEventSuccess');
    }
    const started = new Date();

    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}/organiser/${slug}`);
    await page.getByRole('link', { name: 'Modifier l’édition' }).click();
    await page.getByRole('heading', { level: 1, name: `Modifier – Édition ${slug}` }).waitFor();
    const group = (name: string) => page.getByRole('group', { name, exact: true });
    // The console's three languages, the French title as it stands.
    await expect(group('Français').getByLabel('Titre').inputValue()).resolves.toBe(`Édition ${slug}`);
    await expect(group('Deutsch').getByLabel('Titre').inputValue()).resolves.toBe('');
    await expect(group('English').getByLabel('Titre').count()).resolves.toBe(1);
    await page
      .getByText(
        'Décaler l’édition de quelques jours (le premier et le dernier jour d’autant) déplace aussi la session du programme et la clôture des inscriptions, à la même heure.',
      )
      .waitFor();
    await page
      .getByText('Les 2 personnes inscrites reçoivent un message avec les nouvelles dates.')
      .waitFor();
    await expectAccessible(page, 'edit edition');
    await screenshot(page, 'events-edit-edition');

    await group('Deutsch').getByLabel('Titre').fill('Beschäftigungsforum');
    await group('Français').getByLabel('Présentation').fill('Une journée pour trouver un emploi.');
    // Luxembourgish, added on demand: its title gets the focus.
    await page.getByLabel('Ajouter une langue', { exact: true }).selectOption('LB');
    await page.getByRole('button', { name: 'Ajouter une langue' }).click();
    const lb = group('Lëtzebuergesch').getByLabel('Titre');
    await expect(lb.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await lb.fill('Aarbechtsforum');
    // A week later, same hours.
    const later = new Date(Date.parse(`${day}T12:00:00Z`) + 7 * 24 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel('Premier jour').fill(later);
    await page.getByLabel('Dernier jour').fill(later);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Modifications enregistrées\u00a0; 2 personnes inscrites ont reçu un message.' })
      .waitFor();
    // The news has the focus (the form is drawn anew from what was saved).
    await expect(page.evaluate<string>('document.activeElement?.textContent ?? ""')).resolves.toContain(
      'Modifications enregistrées',
    );
    const saved = await prisma.eventEdition.findUniqueOrThrow({
      where: { slug },
      include: { sessions: true },
    });
    expect(saved).toMatchObject({
      title: { fr: `Édition ${slug}`, de: 'Beschäftigungsforum', lb: 'Aarbechtsforum' },
      description: { fr: 'Une journée pour trouver un emploi.' },
      startsAt: fromLuxembourg(later, '09:00'),
      endsAt: fromLuxembourg(later, '17:00'),
    });
    expect(saved.sessions.map((x) => x.startsAt)).toEqual([fromLuxembourg(later, '14:00')]);
    const mailed = await prisma.mailMessage.findMany({
      where: { kind: 'event-registration-edition-moved', createdAt: { gte: started } },
      select: { to: true, subject: true },
      orderBy: { to: 'asc' },
    });
    expect(mailed).toEqual([
      { to: 'nora.berg@inter-actions.example', subject: 'Neuer Termin: Beschäftigungsforum' },
      { to: 'paul.faber@inter-actions.example', subject: `Nouvelle date\u00a0: Édition ${slug}` },
    ]);
    // The form is drawn again from what was saved.
    await expect(group('Lëtzebuergesch').getByLabel('Titre').inputValue()).resolves.toBe('Aarbechtsforum');

    // Ending at 15:00 would leave the workshop (until 16:00) out: said at the last day, nothing changes.
    await page.getByLabel('Fin', { exact: true }).fill('15:00');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    const outside = page.getByText(
      'Une session du programme finirait après l’édition\u00a0: déplacez-la ou retirez-la d’abord.',
    );
    await outside.waitFor();
    await expect(page.getByLabel('Dernier jour').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(
      page.getByLabel('Dernier jour').evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await page.getByLabel('Fin', { exact: true }).fill('17:00');
    // No title in any language.
    for (const name of ['Français', 'Deutsch', 'Lëtzebuergesch'])
      await group(name).getByLabel('Titre').fill('');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('alert').filter({ hasText: 'Donnez un titre dans au moins une langue.' }).waitFor();
    // Neither refusal changed anything.
    const { sessions: _sessions, ...savedEdition } = saved;
    expect(await prisma.eventEdition.findUniqueOrThrow({ where: { slug } })).toEqual(savedEdition);

    // Changed meanwhile (a colleague's English title): the form says so and shows it.
    const changed = await hub.t.send(
      UpdateEventEditionDocument,
      {
        input: {
          id: edition.id,
          expectedVersion: saved.version,
          title: [
            { language: 'FR', text: `Édition ${slug}` },
            { language: 'EN', text: 'Jobs forum' },
          ],
        },
      },
      { token },
    );
    expect(changed.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
    await group('Français').getByLabel('Titre').fill('Forum emploi');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page
      .getByRole('alert')
      .filter({
        hasText:
          'L’édition a été modifiée entre-temps\u00a0: le formulaire montre maintenant la version actuelle. Refaites vos changements si besoin.',
      })
      .waitFor();
    await expect(group('English').getByLabel('Titre').inputValue()).resolves.toBe('Jobs forum');
    await expect(group('Français').getByLabel('Titre').inputValue()).resolves.toBe(`Édition ${slug}`);
    expect((await prisma.eventEdition.findUniqueOrThrow({ where: { slug } })).title).toEqual({
      fr: `Édition ${slug}`,
      en: 'Jobs forum',
    });
    await expectFitsPhone(page, 'events-edit-edition');
    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('a case worker has no events entry and meets a plain refusal at the edition', async () => {
    const lea = await openConsole(hub, { locale: 'en-GB' });
    const { page } = lea;
    await signInAs(hub, lea, LEA);
    await expect(page.locator('#main-menu').getByRole('link', { name: 'Events' }).count()).resolves.toBe(0);

    await page.goto(`${hub.base}/organiser/${SLUG}`);
    await page.getByRole('heading', { level: 1, name: 'For the organisers only' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.not.toMatch(/@/);
    await expectAccessible(page, 'edition refused');
    await screenshot(page, 'events-refused');

    await page.goto(`${hub.base}/organiser/${SLUG}/check-in`);
    await page.getByRole('heading', { level: 1, name: 'For the organisers only' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Badge code' }).count()).resolves.toBe(0);

    await page.goto(`${hub.base}/organiser/no-such-edition`);
    await page.getByRole('heading', { level: 1, name: 'Edition not found' }).waitFor();
    await expectAccessible(page, 'edition not found');
    await screenshot(page, 'events-not-found');
    await expectFitsPhone(page, 'events-refused');

    expect(lea.problems).toEqual([]);
    await lea.context.close();
  }, 120_000);
});
