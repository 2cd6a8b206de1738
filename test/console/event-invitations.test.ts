/**
 * The invitations page of the console, in Chromium against a hub with the demo data: Anne
 * (EVENT_ORGANISER, Ville de Luxembourg) opens the Assises sociales 2022's invited organisations
 * from her events, each with its registration code (the one the database holds: its SHA-256 is the
 * row's `codeHash`) and its expiry; she copies a code; she invites an organisation not yet invited
 * (it appears with a code, the database has it, the codes already handed out do not change); an
 * organisation gone meanwhile is said in French and invites nobody; Sophie (Inter-Actions' admin,
 * not an organiser) meets a plain refusal. Every page: axe-core, a screenshot, a phone's width.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
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
const SLUG = 'assises-sociales-2022';
const TITLE = 'Assises sociales 2022 – deuxième édition';
const INVITATIONS = `/organiser/${SLUG}/invitations`;
const HEADING = `Organisations invitées – ${TITLE}`;

let hub: ConsoleHub;

beforeAll(async () => {
  hub = await startConsoleHub();
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

/** An organisation's card on the page (its global ID, as the API gives it). */
const cardOf = (page: Page, organisationId: string) =>
  page.locator(`.ev-invitation[data-organisation="${encodeGlobalID('Organisation', organisationId)}"]`);

const sha256 = (code: string) => createHash('sha256').update(code).digest('hex');

/** The edition's invitations as the database holds them, by organisation name. */
const invitationRows = () =>
  hub.t.db.prisma.editionInvitation.findMany({
    where: { edition: { slug: SLUG } },
    select: {
      organisationId: true,
      codeHash: true,
      codeSealed: true,
      expiresAt: true,
      organisation: { select: { name: true } },
    },
    orderBy: { organisationId: 'asc' },
  });

/** The organisations the page lists, with the code shown, top to bottom. */
const listed = (page: Page) =>
  page.locator('.ev-invitation').evaluateAll((lis) =>
    lis.map((li) => ({
      id: li.getAttribute('data-organisation'),
      name: li.querySelector('h3')?.textContent,
      code: li.querySelector('code')?.textContent,
    })),
  );

describe('console: organisations invited to an edition', () => {
  it('Anne opens the invited organisations from her events: each with its code and its expiry; she copies one', async () => {
    const anne = await openConsole(hub);
    const { page } = anne;
    await anne.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.base });
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}/organiser`);
    await page.getByRole('link', { name: `Organisations invitées – ${TITLE}` }).click();
    await page.getByRole('heading', { level: 1, name: HEADING }).waitFor();
    expect(new URL(page.url()).pathname).toBe(INVITATIONS);

    const rows = await invitationRows();
    expect(rows.length).toBeGreaterThan(1);
    await page
      .locator('.ev-invitation')
      .nth(rows.length - 1)
      .waitFor();
    const shown = await listed(page);
    // Every invited organisation, by name, each once.
    expect(shown.map((s) => s.id).sort()).toEqual(
      rows.map((r) => encodeGlobalID('Organisation', r.organisationId)).sort(),
    );
    // In the hub's order: by name.
    const byName = await hub.t.db.prisma.editionInvitation.findMany({
      where: { edition: { slug: SLUG } },
      select: { organisation: { select: { name: true } } },
      orderBy: { organisation: { name: 'asc' } },
    });
    expect(shown.map((s) => s.name)).toEqual(byName.map((r) => r.organisation.name));
    await page.getByText(`${rows.length} organisations invitées.`, { exact: true }).waitFor();
    // The code shown is the one the hub registers with (the database keeps its hash), and valid
    // until the edition's end.
    const date = new Intl.DateTimeFormat('fr-LU', { dateStyle: 'medium', timeZone: 'Europe/Luxembourg' });
    for (const row of rows) {
      const s = shown.find((x) => x.id === encodeGlobalID('Organisation', row.organisationId))!;
      expect(s.code).toMatch(/^evc_/);
      expect({ org: row.organisation.name, hash: sha256(s.code!) }).toEqual({
        org: row.organisation.name,
        hash: row.codeHash,
      });
      const card = cardOf(page, row.organisationId);
      await card.getByText(date.format(row.expiresAt), { exact: true }).waitFor();
    }

    // "Copier" puts the code on the clipboard, and says so.
    const first = shown[0]!;
    const card = page.locator(`.ev-invitation[data-organisation="${first.id}"]`);
    await card.getByRole('button', { name: `Copier – Code d’inscription – ${first.name}` }).click();
    await card
      .getByRole('status')
      .filter({ hasText: `Code de ${first.name} copié.` })
      .waitFor();
    await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(first.code);

    await expectAccessible(page, 'invitations');
    await screenshot(page, 'event-invitations');
    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('Anne invites an organisation not yet invited: it appears with its code, the database has it, other codes do not change', async () => {
    const before = await invitationRows();
    const invitedIds = new Set(before.map((r) => r.organisationId));
    const candidates = await hub.t.db.prisma.organisation.findMany({ orderBy: { name: 'asc' } });
    const newcomer = candidates.find((o) => !invitedIds.has(o.id))!;
    expect(newcomer).toBeDefined();

    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}${INVITATIONS}`);
    await page.getByRole('heading', { level: 1, name: HEADING }).waitFor();
    await page
      .locator('.ev-invitation')
      .nth(before.length - 1)
      .waitFor();
    const shownBefore = await listed(page);

    // Nothing ticked: said next to the list, nothing sent.
    const form = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Inviter d’autres organisations' }),
    });
    const list = form.getByRole('group', { name: 'Organisations à inviter' });
    await list.getByRole('checkbox').first().waitFor();
    // Those already invited are not offered.
    for (const r of before) {
      await expect(
        list.getByRole('checkbox', { name: r.organisation.name, exact: true }).count(),
      ).resolves.toBe(0);
    }
    await form.getByRole('button', { name: 'Inviter', exact: true }).click();
    await form.getByRole('alert').filter({ hasText: 'Cochez au moins une organisation.' }).waitFor();

    // Filtered by a part of its name, ticked, invited.
    await form.getByLabel('Filtrer par nom').fill(newcomer.name.slice(0, 12).toLowerCase());
    await list.getByRole('checkbox', { name: newcomer.name, exact: true }).check();
    await expectAccessible(page, 'invitations form');
    await form.getByRole('button', { name: 'Inviter 1 organisation' }).click();

    const status = page.getByRole('status').filter({
      hasText: `${newcomer.name} est invitée. Son code\u00a0: evc_`,
    });
    await status.waitFor();
    // The confirmation has the focus (the button it follows is gone from the list's place).
    await expect(status.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const card = cardOf(page, newcomer.id);
    await card.getByRole('heading', { level: 3, name: newcomer.name }).waitFor();
    await page.getByText(`${before.length + 1} organisations invitées.`, { exact: true }).waitFor();
    // No longer offered.
    await expect(list.getByRole('checkbox', { name: newcomer.name, exact: true }).count()).resolves.toBe(0);

    const after = await invitationRows();
    expect(after.length).toBe(before.length + 1);
    const added = after.find((r) => r.organisationId === newcomer.id)!;
    const code = await card.locator('code').textContent();
    expect(sha256(code!)).toBe(added.codeHash);
    // The confirmation, where the focus is, gives the same code.
    await expect(status.textContent()).resolves.toBe(`${newcomer.name} est invitée. Son code\u00a0: ${code}`);
    // Valid as long as the others: the demo edition's day is past, its registration open for a year.
    expect(new Set(after.map((r) => r.expiresAt.toISOString()))).toEqual(
      new Set(before.map((r) => r.expiresAt.toISOString())),
    );
    expect(added.expiresAt.getTime()).toBeGreaterThan(Date.now());
    // The codes already handed out are untouched, in the database and on the page.
    expect(after.filter((r) => r.organisationId !== newcomer.id)).toEqual(before);
    const shownAfter = await listed(page);
    expect(shownAfter.filter((s) => s.id !== encodeGlobalID('Organisation', newcomer.id))).toEqual(
      shownBefore,
    );

    await screenshot(page, 'event-invitations-invited');
    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('an organisation gone since the page was read: said in French, nobody is invited', async () => {
    const gone = await hub.t.db.prisma.organisation.create({
      data: { slug: 'association-ephemere', name: 'Association éphémère' },
    });
    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}${INVITATIONS}`);
    const list = page.getByRole('group', { name: 'Organisations à inviter' });
    await list.getByRole('checkbox', { name: 'Association éphémère', exact: true }).check();
    const before = await invitationRows();
    await hub.t.db.prisma.organisation.delete({ where: { id: gone.id } });
    await page.getByRole('button', { name: 'Inviter 1 organisation' }).click();
    const alert = page
      .getByRole('alert')
      .filter({ hasText: 'Une organisation choisie n’existe plus : rechargez la page.' });
    await alert.waitFor();
    await expect(alert.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(invitationRows()).resolves.toEqual(before);
    await expectAccessible(page, 'invitations form (problem)');
    await screenshot(page, 'event-invitations-problem');
    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('Anne withdraws an invitation whose code went astray, after a question, then invites the organisation again: a new code; those registered stay', async () => {
    const before = await invitationRows();
    // The invited organisation with the most people registered.
    const counts = await hub.t.db.prisma.registration.groupBy({
      by: ['organisationId'],
      where: { edition: { slug: SLUG }, status: 'REGISTERED', organisationId: { not: null } },
      _count: { _all: true },
    });
    const invitedIds = new Set(before.map((r) => r.organisationId));
    const top = counts
      .filter((c) => invitedIds.has(c.organisationId!))
      .sort((a, b) => b._count._all - a._count._all)[0]!;
    const target = before.find((r) => r.organisationId === top.organisationId)!;
    const name = target.organisation.name;
    const registered = top._count._all;
    expect(registered).toBeGreaterThan(0);

    const anne = await openConsole(hub);
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    let withdrawals = 0;
    page.on('request', (request) => {
      if (request.postData()?.includes('withdrawInvitation')) withdrawals += 1;
    });
    await page.goto(`${hub.base}${INVITATIONS}`);
    const card = cardOf(page, target.organisationId);
    await card.getByRole('button', { name: `Retirer l’invitation… – ${name}` }).click();
    await card.getByText(`Retirer l’invitation de ${name}\u00a0?`, { exact: false }).waitFor();
    // The safe answer has the focus; it changes nothing.
    await expect(page.evaluate<string>('document.activeElement?.textContent ?? ""')).resolves.toBe(
      'Garder l’invitation',
    );
    await expectAccessible(page, 'withdraw an invitation');
    await card.getByRole('button', { name: 'Garder l’invitation' }).click();
    // "Keep" sent nothing, and the focus is back where the question was asked.
    await expect(page.evaluate<string>('document.activeElement?.textContent ?? ""')).resolves.toBe(
      `Retirer l’invitation… – ${name}`,
    );
    expect(withdrawals).toBe(0);
    await expect(invitationRows()).resolves.toEqual(before);

    // The connection drops as she confirms: said in French, the focus back on her button, nothing changed.
    await page.route('**/graphql', (route) =>
      route.request().postData()?.includes('withdrawInvitation') ? route.abort() : route.fallback(),
    );
    await card.getByRole('button', { name: `Retirer l’invitation… – ${name}` }).click();
    await card.getByRole('button', { name: 'Retirer l’invitation', exact: true }).click();
    await card
      .getByRole('alert')
      .filter({ hasText: 'Le hub n’a pas pu répondre\u00a0: vérifiez la connexion puis réessayez.' })
      .waitFor();
    await expect(page.evaluate<string>('document.activeElement?.textContent ?? ""')).resolves.toBe(
      `Retirer l’invitation… – ${name}`,
    );
    await expect(invitationRows()).resolves.toEqual(before);
    await page.unroute('**/graphql');
    withdrawals = 0;

    await card.getByRole('button', { name: `Retirer l’invitation… – ${name}` }).click();
    await card.getByRole('button', { name: 'Retirer l’invitation', exact: true }).click();
    const status = page
      .getByRole('status')
      .filter({ hasText: `L’invitation de ${name} est retirée\u00a0: son code ne fonctionne plus.` });
    await status.waitFor();
    await expect(status.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await card.waitFor({ state: 'detached' });
    expect(withdrawals).toBe(1);
    const after = await invitationRows();
    expect(after).toEqual(before.filter((r) => r.organisationId !== target.organisationId));
    // Those registered with the old code stay.
    expect(
      await hub.t.db.prisma.registration.count({
        where: { edition: { slug: SLUG }, status: 'REGISTERED', organisationId: target.organisationId },
      }),
    ).toBe(registered);

    // Offered again in the form; invited, it gets a new code.
    const list = page.getByRole('group', { name: 'Organisations à inviter' });
    await list.getByRole('checkbox', { name, exact: true }).check();
    await page.getByRole('button', { name: 'Inviter 1 organisation' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${name} est invitée. Son code\u00a0: evc_` })
      .waitFor();
    const renewed = (await invitationRows()).find((r) => r.organisationId === target.organisationId)!;
    expect(renewed.codeHash).not.toBe(target.codeHash);
    await expect(cardOf(page, target.organisationId).locator('code').textContent()).resolves.toMatch(/^evc_/);
    expect(sha256((await cardOf(page, target.organisationId).locator('code').textContent())!)).toBe(
      renewed.codeHash,
    );
    // Only the request the test cut off, and the browser's word for it.
    expect(anne.problems).toEqual([
      expect.stringMatching(/^request failed: .*\/graphql net::ERR_FAILED$/),
      expect.stringMatching(/^console error: Failed to load resource: net::ERR_FAILED/),
    ]);
    await anne.context.close();
  }, 180_000);

  it('fits a 390 px phone: the codes and the form', async () => {
    const anne = await openConsole(hub, { viewport: { width: 390, height: 844 } });
    const { page } = anne;
    await signInAs(hub, anne, ANNE);
    await page.goto(`${hub.base}${INVITATIONS}`);
    await page.locator('.ev-invitation').first().waitFor();
    await page
      .getByRole('group', { name: 'Organisations à inviter' })
      .getByRole('checkbox')
      .first()
      .waitFor();
    await expectFitsPhone(page, 'event-invitations');
    expect(anne.problems).toEqual([]);
    await anne.context.close();
  }, 180_000);

  it('Sophie, who does not organise the edition, meets a plain refusal and no code', async () => {
    const sophie = await openConsole(hub);
    await signInAs(hub, sophie, SOPHIE);
    await sophie.page.goto(`${hub.base}${INVITATIONS}`);
    await sophie.page.getByRole('heading', { level: 1, name: 'Réservé aux organisateurs' }).waitFor();
    await expect(sophie.page.locator('code').count()).resolves.toBe(0);
    await expect(sophie.page.locator('.ev-invitation').count()).resolves.toBe(0);
    await expectAccessible(sophie.page, 'invitations (refused)');
    expect(sophie.problems).toEqual([]);
    await sophie.context.close();
  }, 180_000);
});
