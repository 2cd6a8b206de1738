/**
 * The network page ("the network's picture", issue 16) in Chromium, on a hub with the demo data
 * and a year of generated referral history (prisma/seed/demo-history.ts): the hub admin sees the
 * whole network — the Sankey and the network diagram the hub draws, side by side, the matrix as
 * a table, the pairs, response times by pair and by theme, the unmet needs' map and table — and
 * downloads the flows as CSV and the monthly report; a case worker of Inter-Actions sees only the
 * pairs involving Inter-Actions. Every count shown is as the hub published it. Each page passes
 * axe-core and is screenshotted, and nothing goes wrong in it (a chart's inline SVG blocked by
 * the console's Content-Security-Policy would be a console error).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { seedHistory } from '../../prisma/seed/demo-history.ts';
import {
  expectAccessible,
  openConsole,
  screenshot,
  signInAs,
  startConsoleHub,
  WAIT,
  type ConsoleHub,
} from '../helpers/console.ts';

const ADMIN = 'admin@maillage.example';
const MARC = 'marc.schmit@inter-actions.example';
const IA = 'Inter-Actions';
const PHONE = { width: 390, height: 844 };
/** A count as published (a multiple of 5, "< 5", withheld), or "—" where the pair is not shown. */
const PUBLISHED = /^(\d+|< 5|masqué|—)$/;

/** The page's default period: the last full month in Luxembourg. */
const lastMonth = () => DateTime.now().setZone('Europe/Luxembourg').minus({ months: 1 }).toFormat('yyyy-MM');

let hub: ConsoleHub;

beforeAll(async () => {
  hub = await startConsoleHub();
  await seedHistory(hub.t.db.prisma);
  await hub.t.hub.networkFacts.refreshNow();
}, 300_000);

afterAll(async () => {
  await hub?.close();
});

async function openNetworkPage(page: Page): Promise<void> {
  await page.locator('#main-menu').getByRole('link', { name: 'Réseau', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Réseau' }).waitFor();
}

const section = (page: Page, heading: string | RegExp) =>
  page.locator('section.nw-section', { has: page.getByRole('heading', { level: 2, name: heading }) });

/** The matrix as text: its receivers, and each sender's row of cells. */
async function readMatrix(page: Page): Promise<{ receivers: string[]; rows: [string, string[]][] }> {
  const matrix = page.getByRole('table', { name: 'Matrice des orientations' });
  await matrix.locator('tbody tr').first().waitFor();
  const receivers = (await matrix.locator('thead th').allTextContents()).slice(1, -1);
  const rows = await matrix
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [
        tr.querySelector('th')?.textContent ?? '',
        [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      ]),
    );
  return { receivers, rows: rows as [string, string[]][] };
}

/** The pairs of the edges' table: [sender, receiver]. */
async function readPairs(page: Page): Promise<string[][]> {
  const edges = page.getByRole('table', { name: 'Par paire d’organisations' });
  await edges.locator('tbody tr').first().waitFor();
  return edges
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent ?? '')),
    );
}

describe('the network page', () => {
  it(
    'the hub admin sees the whole network: charts, matrix, pairs, response times, unmet needs, files',
    async () => {
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, ADMIN);
      await openNetworkPage(page);
      expect(await page.getByLabel('Période', { exact: true }).inputValue()).toBe(lastMonth());
      await page.getByText('Tout le réseau', { exact: true }).waitFor();
      await page.getByText(/^Données à jour au /).waitFor();

      // The hub's two pictures of the flows, side by side on a desktop.
      const sankey = page.locator('.nw-sankey svg[role="img"]');
      const diagram = page.locator('.nw-diagram svg[role="img"]');
      await sankey.waitFor();
      await diagram.waitFor();
      expect(await sankey.locator('title').count()).toBe(1);
      const [left, right] = await Promise.all([
        page.locator('.nw-sankey').boundingBox(),
        page.locator('.nw-diagram').boundingBox(),
      ]);
      expect(right!.x).toBeGreaterThan(left!.x + left!.width - 1);
      expect(Math.abs(right!.y - left!.y)).toBeLessThan(2);

      // The matrix: senders in rows, receivers in columns, totals; every cell as published.
      const { receivers, rows } = await readMatrix(page);
      expect(receivers).toContain('Office social de la Ville de Luxembourg');
      expect(receivers).toContain(IA);
      expect(rows.length).toBeGreaterThan(3);
      const matrix = page.getByRole('table', { name: 'Matrice des orientations' });
      await matrix.getByRole('columnheader', { name: 'Total envoyé' }).waitFor();
      await matrix.getByRole('rowheader', { name: 'Total reçu' }).waitFor();
      const cells = [
        ...rows.flatMap(([, row]) => row),
        ...(await matrix.locator('tfoot td').allTextContents()),
      ];
      expect(cells.filter((c) => c !== '' && !PUBLISHED.test(c))).toEqual([]);

      // The whole network: pairs that do not involve Inter-Actions too.
      const pairs = await readPairs(page);
      expect(pairs.some(([from, to]) => from !== IA && to !== IA)).toBe(true);
      const edgeCells = await page
        .getByRole('table', { name: 'Par paire d’organisations' })
        .locator('td.nw-n')
        .allTextContents();
      expect(edgeCells.filter((c) => !PUBLISHED.test(c))).toEqual([]);

      // Response times: the chart follows the chosen measure and grouping, and so does the table.
      const times = section(page, 'Délais de réponse');
      await times
        .locator('.nw-times-chart svg title', { hasText: 'Délai de première réponse' })
        .waitFor({ state: 'attached' });
      await times.getByRole('columnheader', { name: 'Paire' }).waitFor();
      await times.getByLabel('Délai', { exact: true }).selectOption('ACCEPTANCE');
      await times.getByLabel('Regrouper par', { exact: true }).selectOption('themes');
      await times
        .locator('.nw-times-chart svg title', { hasText: 'Délai d’acceptation' })
        .waitFor({ state: 'attached' });
      await times.getByRole('columnheader', { name: 'Thème' }).waitFor();
      await times.getByText('Acceptation : médiane et 90e centile, en jours ouvrés.').waitFor();
      const medians = await times.locator('tbody tr td:nth-child(4)').allTextContents();
      expect(medians.length).toBeGreaterThan(0);
      expect(medians.filter((m) => !/^(\d+(,\d)?|—)$/.test(m))).toEqual([]);

      // Unmet needs of the month: the map, for one theme too, and the widest gaps.
      const gaps = section(page, /^Besoins non couverts/);
      await gaps.locator('.nw-map svg[role="img"]').waitFor();
      const gapRows = gaps.locator('tbody tr');
      await gapRows.first().waitFor();
      const theme = await gaps
        .getByLabel('Thème de la carte', { exact: true })
        .locator('option')
        .nth(1)
        .textContent();
      await gaps.getByLabel('Thème de la carte', { exact: true }).selectOption({ label: theme! });
      await gaps.locator('.nw-map svg[role="img"]').waitFor();
      const themesShown = await gapRows.locator('td:first-child').allTextContents();
      expect(new Set(themesShown)).toEqual(new Set([theme]));
      await expectAccessible(page, 'network page (hub admin)');
      await screenshot(page, 'network-hub-admin');

      // The flows as CSV: the header row first (after the byte order mark).
      const [csvDownload] = await Promise.all([
        page.waitForEvent('download', { timeout: WAIT }),
        page.getByRole('button', { name: 'Flux (CSV)' }).click(),
      ]);
      expect(csvDownload.suggestedFilename()).toMatch(
        /^maillage-flows-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/,
      );
      const csv = await readFile(await csvDownload.path(), 'utf8');
      expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(
        /^sender,receiver,sent,pending,accepted,completed,declined,cancelled,declined_/,
      );
      await page.getByRole('status').filter({ hasText: 'Fichier téléchargé : maillage-flows-' }).waitFor();

      // The monthly report: a printable page, downloaded.
      const [reportDownload] = await Promise.all([
        page.waitForEvent('download', { timeout: WAIT }),
        page.getByRole('button', { name: /^Rapport mensuel/ }).click(),
      ]);
      expect(reportDownload.suggestedFilename()).toBe(`maillage-report-${lastMonth()}.html`);
      const report = await readFile(await reportDownload.path(), 'utf8');
      expect(report).toMatch(/^<!doctype html>/i);
      expect(report).toContain('<svg');

      // The last 12 months: in the address, and the figures follow.
      await page.getByLabel('Période', { exact: true }).selectOption('12m');
      await page.waitForURL(/[?&]period=12m/);
      await sankey.waitFor();
      await readMatrix(page);

      expect(problems).toEqual([]);
      await cp.context.close();
    },
    WAIT * 6,
  );

  it(
    'a case worker of Inter-Actions sees only the pairs involving Inter-Actions',
    async () => {
      const cp = await openConsole(hub);
      const { page, problems } = cp;
      await signInAs(hub, cp, MARC);
      await openNetworkPage(page);
      await page.getByText(`Paires impliquant : ${IA}`, { exact: true }).waitFor();
      await page.locator('.nw-sankey svg[role="img"]').waitFor();

      const pairs = await readPairs(page);
      expect(pairs.length).toBeGreaterThan(0);
      expect(pairs.filter(([from, to]) => from !== IA && to !== IA)).toEqual([]);

      // In the matrix, a pair without Inter-Actions is not shown ("—").
      const { receivers, rows } = await readMatrix(page);
      const leaks = rows.flatMap(([sender, cells]) =>
        sender === IA
          ? []
          : receivers
              .map((receiver, i) => [receiver, cells[i]] as const)
              .filter(([receiver, cell]) => receiver !== IA && cell !== '—')
              .map(([receiver, cell]) => `${sender} → ${receiver}: ${cell}`),
      );
      expect(leaks).toEqual([]);

      const times = section(page, 'Délais de réponse');
      await times.locator('.nw-times-chart svg[role="img"]').waitFor();
      const timePairs = await times.locator('tbody th').allTextContents();
      expect(timePairs.length).toBeGreaterThan(0);
      expect(timePairs.filter((p) => !p.includes(IA))).toEqual([]);
      await section(page, /^Besoins non couverts/)
        .locator('.nw-map svg[role="img"]')
        .waitFor();
      await expectAccessible(page, 'network page (case worker)');
      await screenshot(page, 'network-case-worker');

      // On a phone: no sideways scrolling of the page (the tables scroll in their frame).
      await page.setViewportSize(PHONE);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await screenshot(page, 'network-case-worker-phone');

      expect(problems).toEqual([]);
      await cp.context.close();
    },
    WAIT * 4,
  );
});
