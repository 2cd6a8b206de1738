/**
 * The web console in a real browser: a hub with the demo data (its own database), Debian's
 * Chromium, a page per person that records everything that went wrong on it, sign-in through the
 * console's own demo sign-in page, axe-core's accessibility checks, and screenshots of every page
 * into test-results/console/ (not committed).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from '@jest/globals';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { launchChromium } from './browser.ts';
import { startTestHub, type TestHub, type TestHubOptions } from './hub.ts';

/** Generous: CI shares its machine, and a cold browser renders slowly there. */
export const WAIT = 60_000;
export const SCREENSHOTS = path.resolve('test-results/console');

export interface ConsoleHub {
  t: TestHub;
  /** http://127.0.0.1:port */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** A hub with the demo data (with `history`, its year of referrals, as `npm start` loads it) and a browser. */
export async function startConsoleHub(
  env: Record<string, string> = {},
  opts: TestHubOptions = {},
  demo: { history?: boolean } = {},
): Promise<ConsoleHub> {
  const t = await startTestHub(env, opts);
  await seedDemo(t.db.prisma, demo);
  const base = t.graphqlUrl.replace(/\/graphql$/, '');
  const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(WAIT) });
  expect(ready.status).toBe(200);
  const browser = await launchChromium();
  return {
    t,
    base,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors (a CSP violation is one) and failed requests, in order. */
  problems: string[];
}

/**
 * A browser context of its own (its own storage: a second person), on a desktop screen unless
 * told, in French unless told.
 */
export async function openConsole(
  hub: ConsoleHub,
  opts: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<ConsolePage> {
  const context = await hub.browser.newContext({
    locale: opts.locale ?? 'fr-FR',
    viewport: opts.viewport ?? { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('requestfailed', (req) => {
    // A page left while its request ran, or a socket closed on sign-out, is not a fault.
    const error = req.failure()?.errorText ?? '';
    if (!/ERR_ABORTED/.test(error)) problems.push(`request failed: ${req.url()} ${error}`);
  });
  await page.goto(`${hub.base}/`);
  return { context, page, problems };
}

/** Signs in through the console's demo sign-in page as the demo user with this address. */
export async function signInAs(hub: ConsoleHub, cp: ConsolePage, email: string): Promise<void> {
  const user = await hub.t.db.prisma.user.findUniqueOrThrow({ where: { email }, select: { name: true } });
  const { page } = cp;
  await page.goto(`${hub.base}/`);
  const listed = page.locator('.demo-users li', { hasText: user.name });
  await page.locator('.demo-users').waitFor();
  if ((await listed.count()) > 0) await listed.getByRole('button').click();
  else {
    // Not one of the stories' users: by address.
    await page.locator('#demo-title ~ form input[type=email]').fill(email);
    await page.locator('#demo-title ~ form button[type=submit]').click();
  }
  await page.locator('#main-menu').waitFor({ state: 'attached' });
}

/** axe-core on the page as it is: no serious or critical violation (WCAG 2 A and AA rules). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // evaluate() is not subject to the page's Content-Security-Policy (an injected <script> would be).
  await page.evaluate(axe.source);
  // Runs in the page (a string: this file has no DOM types).
  const results = await page.evaluate<axe.AxeResults>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  );
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect({ where, serious }).toEqual({ where, serious: [] });
}

/** A full-page screenshot into test-results/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Nothing wider than a phone's 390 px: no sideways scrolling of the page itself (and a screenshot). */
export async function expectFitsPhone(page: Page, name: string): Promise<void> {
  const before = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  // A string: the helpers have no DOM types.
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect({ name, width }).toEqual({ name, width: 390 });
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(before);
}
