/**
 * GraphiQL in a real headless Chromium, driven as a user drives it: the page at /graphql on a hub
 * with the demo data, its example tabs, the run button, the Docs panel, a subscription over
 * graphql-ws with a demo user's token pasted in the tab's headers. Results are read from the
 * result pane; the test itself only posts the change a subscription should show. No page error and
 * no console error along the way (a Content-Security-Policy violation is one).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { DEMO_STORIES } from '../../src/http/demo-users.ts';
import { EXAMPLE_TABS } from '../../src/http/graphiql-examples.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

/** Generous: CI shares its machine, and a cold browser renders GraphiQL slowly there. */
const WAIT = 60_000;

let t: TestHub;
let base: string;
let browser: Browser;
let page: Page;
const tokens = new Map<string, string>();
/** Everything the page reported as going wrong. */
const problems: string[] = [];
/** Authorization headers of the page's GraphQL POSTs (null: none sent). */
const authorizations: (string | null)[] = [];
/** Frames the page's WebSockets sent and received, by URL. */
const sockets: { url: string; sent: string[]; received: string[] }[] = [];

const [sender, receiver] = DEMO_STORIES;

beforeAll(async () => {
  t = await startTestHub();
  base = t.graphqlUrl.replace(/\/graphql$/, '');
  await seedDemo(t.db.prisma);
  for (const { email } of [sender!, receiver!]) {
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email } });
    tokens.set(
      email,
      await signUserToken(t.db.prisma, user, {
        issuer: t.config.AUTH_ISSUER,
        audience: t.config.AUTH_AUDIENCE,
        ttlSeconds: 3600,
      }),
    );
  }
  const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(WAIT) });
  expect(ready.status).toBe(200);

  browser = await launchChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`),
  );
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/graphql') {
      authorizations.push(req.headers().authorization ?? null);
    }
  });
  page.on('websocket', (ws) => {
    const socket = { url: ws.url(), sent: [] as string[], received: [] as string[] };
    sockets.push(socket);
    ws.on('framesent', (f) => socket.sent.push(String(f.payload)));
    ws.on('framereceived', (f) => socket.received.push(String(f.payload)));
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/**
 * The result pane's text as rendered: CodeMirror renders the lines in view and a margin around
 * them, so what is looked for sits near the top of a result.
 */
function resultText(): Promise<string> {
  return page.locator('.result-window').innerText();
}

/** Waits until the result pane shows `text` (Playwright polls; no fixed sleep). */
async function waitForResult(text: string): Promise<void> {
  const exactly = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  try {
    await page.locator('.result-window', { hasText: exactly }).waitFor({ timeout: WAIT });
  } catch (cause) {
    const shown = await resultText();
    throw new Error(`the result pane never showed ${JSON.stringify(text)}; it shows:\n${shown}`, { cause });
  }
}

/** Clicks the tab titled `title` (GraphiQL titles a tab with its first operation's name). */
async function openTab(title: string): Promise<void> {
  await page.locator('.graphiql-tab-button', { hasText: title }).click();
  await page.locator('.graphiql-tab-active .graphiql-tab-button', { hasText: title }).waitFor();
}

/** Runs the active tab with ▶, choosing `operation` in the menu when the tab holds several. */
async function run(operation?: string): Promise<void> {
  // GraphiQL reads a tab's operations after it opens; ▶ becomes a menu once it has (clicked
  // before, on a loaded machine, it ran the tab without an operation name: 400).
  const button = operation ? '.graphiql-execute-button[aria-haspopup="menu"]' : '.graphiql-execute-button';
  await page.locator(button).click({ timeout: WAIT });
  if (operation) await page.getByRole('menuitem', { name: operation, exact: true }).click();
}

/** Replaces the Headers pane's text, as pasting does. */
async function pasteHeaders(headers: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'Headers', exact: true }).click();
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(JSON.stringify(headers));
  await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)', { hasText: 'Bearer ' }).waitFor();
}

/** A GraphQL operation of an example tab, posted by the test as `email`. */
async function post(email: string, query: string, operationName: string, variables: object) {
  const res = await fetch(t.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(email)}` },
    body: JSON.stringify({ query, operationName, variables }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

describe('GraphiQL in Chromium', () => {
  it('opens at /graphql with one example tab per user story', async () => {
    const response = await page.goto(`${base}/graphql`, { waitUntil: 'load', timeout: WAIT });
    expect(response?.status()).toBe(200);
    const tabs = page.locator('.graphiql-tab-button');
    await tabs.nth(EXAMPLE_TABS.length - 1).waitFor();
    // Search, send a referral, inbox, live subscription.
    expect(await tabs.allInnerTexts()).toEqual([
      'SearchOffers',
      'FindOffer',
      'Inbox',
      'LiveReferralEvents',
      'MatchOffers',
    ]);
    await expect(page.locator('.graphiql-tab-active').innerText()).resolves.toBe('SearchOffers');
  }, 120_000);

  it('runs the anonymous search as it opens: data, no header error', async () => {
    await run();
    await waitForResult('"totalCount"');
    const text = await resultText();
    expect(text).toContain('"edges"');
    expect(text).toContain('"title"');
    expect(text).not.toContain('"errors"');
    expect(text).not.toContain('Authorization must be');
    // Neither the schema's introspection nor the run sent an Authorization header.
    expect(authorizations.length).toBeGreaterThanOrEqual(2);
    expect(authorizations.filter((a) => a !== null)).toEqual([]);
  }, 120_000);

  it('runs a public operation of a tab whose token is still to fill in (empty Authorization)', async () => {
    await openTab('FindOffer');
    await run('FindOffer');
    await waitForResult('"offers"');
    expect(authorizations.at(-1)).toBe('');
    const text = await resultText();
    expect(text).toContain('"edges"');
    expect(text).not.toContain('"errors"');
    expect(text).not.toContain('Authorization must be');
  }, 120_000);

  it('loads the schema in Docs (introspection works)', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Root Types').waitFor();
    await docs.locator('a', { hasText: /^Query$/ }).click();
    await docs.getByText('offers', { exact: true }).first().waitFor();
    await docs.getByText('referrals', { exact: true }).first().waitFor();
    expect(await docs.locator('.graphiql-doc-explorer-error').count()).toBe(0);
  }, 120_000);

  it('shows a referral sent meanwhile live, over graphql-ws, with a demo token pasted in Headers', async () => {
    await openTab('LiveReferralEvents');
    await pasteHeaders({ Authorization: `Bearer ${tokens.get(receiver!.email)}` });
    await run();
    // The kept history first: once a replayed event shows, the subscription is live.
    await waitForResult('"referralEvents"');
    await page.getByRole('button', { name: 'Stop query (Ctrl-Enter)' }).waitFor();

    // Léa sends a referral to Marc's organisation, over HTTP, with the send-referral tab's operations.
    const operations = EXAMPLE_TABS[1]!.query;
    const found = await post(sender!.email, operations, 'FindOffer', {});
    const offerId = (found.offers as { edges: { node: { id: string } }[] }).edges[0]!.node.id;
    const created = await post(sender!.email, operations, 'CreateReferral', { offerId });
    const referral = (
      created.createReferral as { data: { referral: { id: string; reference: string; version: number } } }
    ).data.referral;
    const sent = await post(sender!.email, operations, 'SendReferral', {
      referralId: referral.id,
      version: referral.version,
    });
    expect((sent.sendReferral as { __typename: string }).__typename).toBe('MutationSendReferralSuccess');

    await waitForResult(`"reference": "${referral.reference}"`);
    expect(await resultText()).toContain('"toStatus": "SENT"');

    // It came over graphql-ws, the token in connection_init as GraphiQL sends the tab's headers.
    const socket = sockets.find((s) => new URL(s.url).pathname === '/graphql');
    expect(socket).toBeDefined();
    const init = JSON.parse(socket!.sent[0]!) as { type: string; payload?: { Authorization?: string } };
    expect(init.type).toBe('connection_init');
    expect(init.payload?.Authorization).toBe(`Bearer ${tokens.get(receiver!.email)}`);
    expect(socket!.received.some((f) => f.includes(referral.reference))).toBe(true);

    await run(); // ▶ is now ■: stops the subscription
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).waitFor();
  }, 120_000);

  it('reported no page error, console error or failed request all along', () => {
    expect(problems).toEqual([]);
  });
});
