/**
 * The web console's speed in a real browser (`npm run bench:console`), issue 13: "first load of
 * the console on localhost under 1 s; JavaScript under 300 KB compressed for the first page; an
 * inbox of 200 referrals renders and scrolls without jank (measure it in the browser)."
 *
 *  1. data: a PostgreSQL database `maillage_console_bench_test` (127.0.0.1:5432), migrated, with the
 *     demo data, plus `--referrals` (200) referrals sent by Léa (Office social) to Inter-Actions
 *     through the GraphQL API, so that Marc's incoming inbox holds that many.
 *  2. the hub as `npm start` runs it, in development mode (the demo sign-in page exists only then),
 *     serving the console's build.
 *  3. Debian's Chromium (playwright-core), a new browser context per run (empty cache), already
 *     signed in as Marc:
 *     - first load: from navigation to the start page's heading, `--runs` times; the JavaScript
 *       and CSS the page downloaded (bytes on the wire, compressed, and decoded);
 *     - the inbox: from clicking "Orientations" to its 200 rows shown; the long tasks (> 50 ms) of
 *       that render; then scrolling the whole list in steps, one per animation frame: frame
 *       intervals (p50, p95, max) and the long tasks while scrolling.
 *  4. figures beside the goals. Prints figures and asserts none; exits non-zero only when
 *     something failed. `--smoke`: 10 referrals and 2 runs in a throw-away database.
 */
import { chromium, type Locator, type Page } from 'playwright-core';
import { seedDemo } from '../prisma/seed/seed.ts';
import { signUserToken } from '../src/modules/accounts/signing-keys.service.ts';
import { loadConfig } from '../src/shared/config.ts';
import { openDatabase } from '../src/shared/db/client.ts';
import { createLogger } from '../src/shared/logger.ts';
import { CHROMIUM_PATH } from '../test/helpers/browser.ts';
import { benchDatabase, onInterrupt, out, percentile, readFlags, startHub, stopHub } from './lib.ts';

const flags = readFlags();
const smoke = flags.has('--smoke');
const REFERRALS = Math.round(flags.number('--referrals', smoke ? 10 : 200));
const RUNS = Math.round(flags.number('--runs', smoke ? 2 : 7));
const MARC = 'marc.schmit@inter-actions.example';
const LEA = 'lea.hoffmann@office-social.example';

const db = benchDatabase(smoke ? 'maillage_console_smoke_test' : 'maillage_console_bench_test');
onInterrupt(() => db.drop());

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const ms = (n: number) => `${Math.round(n)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function prepareData(): Promise<void> {
  const started = performance.now();
  await db.recreate();
  db.migrate();
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
  const database = openDatabase({ url: db.url, poolMax: 2, logger: createLogger('silent') });
  try {
    await seedDemo(database.prisma);
    const lea = await database.prisma.user.findUniqueOrThrow({ where: { email: LEA } });
    const token = await signUserToken(database.prisma, lea, {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: 3600,
    });
    leaToken = token;
  } finally {
    await database.close();
  }
  out(`data: demo data migrated and seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

let leaToken = '';

async function graphql<T>(base: string, query: string, variables: unknown, token: string): Promise<T> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${res.status}`);
  return body.data;
}

/** Léa sends `n` referrals to an Inter-Actions offer (to its waitlist when full). */
async function sendReferrals(base: string, n: number): Promise<void> {
  const started = performance.now();
  const { offers } = await graphql<{
    offers: { edges: { node: { id: string; organisation: { slug: string } } }[] };
  }>(
    base,
    `
      query {
        offers(filter: { text: "surendettement", acceptsReferrals: true }, first: 5) {
          edges {
            node {
              id
              organisation {
                slug
              }
            }
          }
        }
      }
    `,
    {},
    leaToken,
  );
  const offerId = offers.edges.find((e) => e.node.organisation.slug === 'inter-actions')?.node.id;
  if (!offerId) throw new Error('no Inter-Actions offer found');
  for (let i = 0; i < n; i++) {
    const created = await graphql<{
      createReferral: { data?: { referral: { id: string; version: number } }; message?: string };
    }>(
      base,
      `
        mutation ($input: CreateReferralInput!) {
          createReferral(input: $input) {
            ... on MutationCreateReferralSuccess {
              data {
                referral {
                  id
                  version
                }
              }
            }
            ... on Error {
              message
            }
          }
        }
      `,
      {
        input: {
          offerId,
          needs: `Besoin n° ${i + 1} : plan de règlement des dettes.`,
          urgency: i % 7 === 0 ? 'URGENT' : 'ROUTINE',
          consentPurpose: 'Orientation vers le conseil en surendettement',
          person: {
            initials: `P. ${i + 1}`,
            languages: ['fr'],
            contactChannel: 'PHONE',
            contact: '+352 600 000',
          },
        },
      },
      leaToken,
    );
    const referral = created.createReferral.data?.referral;
    if (!referral) throw new Error(`createReferral: ${created.createReferral.message}`);
    const sent = await graphql<{ sendReferral: { __typename: string; message?: string } }>(
      base,
      `
        mutation ($input: SendReferralInput!) {
          sendReferral(input: $input) {
            __typename
            ... on Error {
              message
            }
          }
        }
      `,
      { input: { id: referral.id, expectedVersion: referral.version, acceptWaitlist: true } },
      leaToken,
    );
    if (sent.sendReferral.__typename !== 'MutationSendReferralSuccess') {
      throw new Error(`sendReferral: ${sent.sendReferral.message}`);
    }
  }
  out(`data: ${n} referrals sent to Inter-Actions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Marc's session, made by the demo sign-in page's endpoint, as the console stores it. */
async function marcSession(base: string): Promise<string> {
  const res = await fetch(`${base}/console/demo-sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: MARC }),
  });
  if (!res.ok) throw new Error(`demo sign-in: ${res.status}`);
  const s = (await res.json()) as { token: string; tokenExpiresAt: string; refreshToken: string };
  return JSON.stringify({ kind: 'hub', ...s });
}

/** Long tasks (> 50 ms) from now on, read by `longTasks()`. */
const OBSERVE_LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
`;
const longTasks = (page: Page) =>
  page.evaluate<number[]>(`(() => { const t = window.__longTasks; window.__longTasks = []; return t; })()`);

/** Waits for the element; on a timeout, says what the page showed instead. */
async function shown(page: Page, locator: Locator): Promise<void> {
  await locator.waitFor({ timeout: 60_000 }).catch(async (err: Error) => {
    throw new Error(
      `${err.message}\nthe page shows: ${(await page.locator('#main').innerText()).slice(0, 800)}`,
    );
  });
}

interface LoadRun {
  firstLoadMs: number;
  jsWire: number;
  jsDecoded: number;
  cssWire: number;
  inboxMs: number;
  inboxLongTasks: number[];
  frames: number[];
  scrollLongTasks: number[];
}

async function run(base: string, session: string): Promise<LoadRun> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    await context.addInitScript(`localStorage.setItem('maillage.session', ${JSON.stringify(session)});`);
    await context.addInitScript(OBSERVE_LONG_TASKS);
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`${base}/`);
    await shown(page, page.getByRole('heading', { name: /Bonjour/ }));
    const firstLoadMs = performance.now() - t0;
    const resources = await page.evaluate<{ name: string; transferSize: number; decodedBodySize: number }[]>(
      `performance.getEntriesByType('resource').map((e) => ({ name: e.name, transferSize: e.transferSize, decodedBodySize: e.decodedBodySize }))`,
    );
    const js = resources.filter((r) => r.name.endsWith('.js'));
    const css = resources.filter((r) => r.name.endsWith('.css'));
    await longTasks(page);

    const t1 = performance.now();
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Orientations' }).click();
    await shown(page, page.locator('table.inbox tbody tr').nth(REFERRALS - 1));
    const inboxMs = performance.now() - t1;
    const inboxLongTasks = await longTasks(page);

    // Scroll to the end one step per animation frame, recording each frame's interval.
    const frames = await page.evaluate<number[]>(`new Promise((resolve) => {
      const intervals = [];
      let last = performance.now();
      const step = () => {
        const now = performance.now();
        intervals.push(now - last);
        last = now;
        window.scrollBy(0, 40);
        if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1 || intervals.length > 2000) resolve(intervals.slice(1));
        else requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    })`);
    const scrollLongTasks = await longTasks(page);
    await context.close();
    return {
      firstLoadMs,
      jsWire: js.reduce((n, r) => n + r.transferSize, 0),
      jsDecoded: js.reduce((n, r) => n + r.decodedBodySize, 0),
      cssWire: css.reduce((n, r) => n + r.transferSize, 0),
      inboxMs,
      inboxLongTasks,
      frames,
      scrollLongTasks,
    };
  } finally {
    await browser.close();
  }
}

await prepareData();
const hub = await startHub(db.url, { NODE_ENV: 'development', DEMO_DATA: 'true' });
try {
  await sendReferrals(hub.url, REFERRALS);
  const session = await marcSession(hub.url);
  const runs: LoadRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run(hub.url, session));
  const first = runs[0]!;
  const frames = runs.flatMap((r) => r.frames).sort((a, b) => a - b);
  out();
  out(
    `console first load (cold cache, ${RUNS} runs): median ${ms(median(runs.map((r) => r.firstLoadMs)))}   max ${ms(Math.max(...runs.map((r) => r.firstLoadMs)))}   goal < 1000 ms`,
  );
  out(
    `first page JavaScript: ${kb(first.jsWire)} on the wire (compressed), ${kb(first.jsDecoded)} decoded; CSS ${kb(first.cssWire)}   goal < 300 KB compressed`,
  );
  out(
    `inbox of ${REFERRALS} referrals: rows shown in median ${ms(median(runs.map((r) => r.inboxMs)))}   long tasks during render: ${runs.map((r) => r.inboxLongTasks.length).join(', ')} (longest ${ms(Math.max(0, ...runs.flatMap((r) => r.inboxLongTasks)))})`,
  );
  out(
    `inbox scroll: ${frames.length} frames   interval p50 ${ms(percentile(frames, 50))}   p95 ${ms(percentile(frames, 95))}   max ${ms(frames.at(-1) ?? 0)}   frames over 50 ms: ${frames.filter((f) => f > 50).length}   long tasks while scrolling: ${runs.reduce((n, r) => n + r.scrollLongTasks.length, 0)}`,
  );
} finally {
  await stopHub(hub);
  if (smoke) await db.drop();
}
