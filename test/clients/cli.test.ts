/**
 * The command line as partner staff use it: a child process talking to a real hub over HTTP and
 * WebSocket. Logging in (the file, its mode, which hub gets the credential), search, the inbox
 * with its counts, steps, CSV exports, live events, and exit codes: 0 done, 1 failed, 2 usage,
 * with plain words and never a stack trace.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createMaillageClient, type MaillageClient } from '../../clients/sdk.ts';
import { createOffer, setOfferStatus } from '../../src/modules/catalogue/offer.service.ts';
import { aliceViewer, seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { buildClientPackage, copyClientPackage, type ClientPackageCopy } from './client-package.ts';
import { runCli, SOURCE_CLI, startCli, type CliResult } from './cli-runner.ts';

let t: TestHub;
let s: Scenario;
let base: string;
let home: string;
let shelterId: string;
let bob: MaillageClient;
let tokens: { carol: string; bob: string };
let copy: ClientPackageCopy;
/** The built bin: what partners run, and twice as quick to start as the sources through tsx. */
let bin: string[];

// Each run of the command line is a process; a loaded machine makes a few seconds of each.
jest.setTimeout(180_000);

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers, sites } = await seedAlphaCatalogue(t.db.prisma, s);
  shelterId = encodeGlobalID('Offer', offers.shelter.id);
  // A title a spreadsheet would run as a formula, from another organisation's catalogue.
  const trap = await createOffer(t.db.prisma, aliceViewer(s), s.org.alpha.id, {
    title: { fr: '=HYPERLINK("http://evil.example","Aide")' },
    themeCodes: ['health'],
    siteIds: [sites.esch.id],
  });
  await setOfferStatus(t.db.prisma, aliceViewer(s), trap.id, 'publish');
  base = t.graphqlUrl.replace(/\/graphql$/, '');
  tokens = { carol: await s.token('carol'), bob: await s.token('bob') };
  bob = createMaillageClient({ url: base, token: tokens.bob });
  home = await mkdtemp(path.join(tmpdir(), 'maillage-cli-'));
  copy = await copyClientPackage();
  bin = [await buildClientPackage(copy)];
});
afterAll(async () => {
  await t.close();
  await rm(home, { recursive: true, force: true });
  await copy.remove();
});

/** `maillage …` with its config under `home`; `as` sets MAILLAGE_URL and MAILLAGE_TOKEN. */
function cli(args: string[], as?: 'carol' | 'bob', env: Record<string, string> = {}, input?: string) {
  const session: Record<string, string> = as ? { MAILLAGE_URL: base, MAILLAGE_TOKEN: tokens[as] } : {};
  return runCli(
    bin,
    args,
    { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), ...session, ...env },
    input,
  );
}

/** Plain words: no stack trace, whatever happened. */
function expectPlain(result: CliResult) {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('Error:');
}

async function sentReferral() {
  const d = await bob.referrals.create({
    senderOrganisationId: s.org.beta.globalId,
    offerId: shelterId,
    needs: 'Hébergement',
    person: { initials: 'J. D.', contactChannel: 'PHONE', contact: '+352 621 000 000' },
    consentPurpose: 'Orientation',
  });
  return bob.referrals.send({ id: d.id, expectedVersion: d.version });
}

describe('usage', () => {
  it('prints help, and answers wrong usage with exit code 2 before asking the hub', async () => {
    // `npm run cli -- --help`: the sources, as in the repository.
    const help = await runCli(SOURCE_CLI, ['--help'], { HOME: home });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: maillage <command>/);
    expect(help.stdout).toMatch(/^ {2}step {4}Take a step on a referral$/m);

    const cases: [string[], RegExp][] = [
      [[], /usage: maillage/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['search', '--nope'], /Unknown option '--nope'/],
      [['inbox'], /No hub given: log in first/],
      [['step', 'decline', 'REF-2026-000001', '--url', base], /decline needs --reason <text>/],
      [
        ['step', 'accept', 'REF-2026-000001', '--reason', 'x', '--url', base],
        /--reason does not apply to accept/,
      ],
      [['step', 'fly', 'REF-2026-000001', '--url', base], /Which step\? One of acknowledge, accept, decline/],
      [['search', '--audience', 'martians', '--url', base], /--audience martians: not one of ADULTS/],
      [['inbox', '--url', base], /Not logged in to http/],
      [['export', 'everything', '--url', base], /What to export\? inbox or offers/],
      [['search', '--url', 'hub.example'], /Not a URL/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      expect([args, result.code]).toEqual([args, 2]);
      expect(result.stderr).toMatch(message);
      expectPlain(result);
    }
  });

  it('an unreachable hub is a failure (1) in plain words', async () => {
    const port = await closedPort();
    const result = await cli(['search', '--url', `http://127.0.0.1:${port}`]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `Cannot reach the hub at http://127.0.0.1:${port}/graphql: connection refused.\n`,
    );
  });
});

describe('login', () => {
  it('checks the credential, saves it with mode 600, and sends it to that hub only', async () => {
    const login = await cli(['login', '--url', base, '--token', '-'], undefined, {}, `${tokens.carol}\n`);
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    const file = path.join(home, '.config', 'maillage', 'config.json');
    expect(login.stdout).toBe(
      `Logged in to ${base} as Carol <carol@alpha.example> (alpha: CASE_WORKER).\nSaved in ${file}.\n`,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: base, token: tokens.carol });

    const whoami = await cli(['whoami']);
    expect(whoami.stdout).toBe(
      `${base}: Carol <carol@alpha.example> (alpha: CASE_WORKER) [credential from ${file}]\n`,
    );
    // Another hub (here the same one under another name) never gets the saved credential.
    const elsewhere = base.replace('127.0.0.1', 'localhost');
    expect((await cli(['whoami', '--url', elsewhere])).stdout).toBe(
      `${elsewhere}: nobody (anonymous: the public catalogue only)\n`,
    );
    // The environment wins over the file.
    expect((await cli(['whoami'], undefined, { MAILLAGE_TOKEN: tokens.bob })).stdout).toMatch(/^.*: Bob </);

    const inbox = await cli(['inbox']);
    expect(inbox).toMatchObject({ code: 0, stderr: '' });

    const refused = await cli(['login', '--url', base, '--token', 'forged']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Invalid token: .*\nCheck MAILLAGE_TOKEN/);
    expectPlain(refused);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: base, token: tokens.carol });

    expect((await cli(['logout'])).stdout).toBe(`Logged out of ${base}.\n`);
    await expect(stat(file)).rejects.toThrow('ENOENT');
    expect((await cli(['logout'])).stdout).toBe('No saved login.\n');
  });
});

describe('login by e-mail code', () => {
  it('mails a code, signs in with it, renews the token by itself, and logout ends the session on the hub', async () => {
    const file = path.join(home, '.config', 'maillage', 'config.json');
    const asked = await cli(['login', '--url', base, '--email', 'carol@alpha.example']);
    expect(asked).toMatchObject({ code: 0, stderr: '' });
    expect(asked.stdout).toContain(`Then run: maillage login --url ${base} --code <code>`);
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({
      where: { to: 'carol@alpha.example', kind: 'sign-in' },
    });
    const code = /sin_[A-Za-z0-9_-]{43}/.exec(mail.text)![0];

    const login = await cli(['login', '--url', base, '--code', '-'], undefined, {}, `${code}\n`);
    expect(login.stderr).toBe('');
    expect(login.stdout).toContain('Logged in to');
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(saved).sort()).toEqual(['refreshToken', 'token', 'tokenExpiresAt', 'url']);

    // The token is about to expire: the next command refreshes it first and saves the new pair.
    await writeFile(file, JSON.stringify({ ...saved, tokenExpiresAt: new Date().toISOString() }), {
      mode: 0o600,
    });
    const whoami = await cli(['whoami']);
    expect(whoami).toMatchObject({ code: 0, stderr: '' });
    expect(whoami.stdout).toContain('Carol <carol@alpha.example>');
    const renewed = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    // A new refresh token (the access token may be byte for byte the same within one second).
    expect(renewed.refreshToken).not.toBe(saved.refreshToken);
    expect(Date.parse(renewed.tokenExpiresAt!)).toBeGreaterThan(Date.now() + 3600_000);

    expect((await cli(['logout'])).stdout).toBe(`Logged out of ${base}.\n`);
    const sessions = await t.db.prisma.session.findMany({ where: { userId: s.user.carol.id } });
    expect(sessions.map((x) => x.revokedReason)).toEqual(['SIGNED_OUT']);
    // Its token no longer works.
    const after = await cli(['whoami', '--url', base], undefined, { MAILLAGE_TOKEN: renewed.token! });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('session ended');
  });
});

describe('work', () => {
  it('searches offers, as a table or as JSON', async () => {
    const table = await cli(['search', 'français', '--url', base]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^1 offer\nTITLE +ORGANISATION +WHERE +PLACES +ID\nCours de français pour nouveaux/,
    );
    expect(table.stdout).toContain('Esch-sur-Alzette, Dudelange');

    const json = await cli(['search', '--commune', 'Luxembourg', '--referrals', '--json', '--url', base]);
    const page = JSON.parse(json.stdout) as { totalCount: number; items: { title: { text: string } }[] };
    expect(page.items.map((o) => o.title.text)).toEqual(["Logement d'urgence pour familles"]);
  });

  it('lists the inbox with counts per status, takes steps, and refuses in plain words', async () => {
    const one = await sentReferral();
    const two = await sentReferral();
    const inbox = await cli(['inbox'], 'carol');
    expect(inbox.code).toBe(0);
    expect(inbox.stdout).toMatch(
      /^Incoming: 2 referrals, 0 overdue\n {2}SENT 2\nREFERENCE +STATUS +URGENCY +FROM +OFFER/,
    );
    expect(inbox.stdout).toContain(`${one.reference}  SENT`);
    const outgoing = await cli(['inbox', '--outgoing', '--json'], 'bob');
    expect(JSON.parse(outgoing.stdout)).toMatchObject({
      box: 'OUTGOING',
      totalCount: 2,
      counts: { total: 2 },
    });

    const accept = await cli(['step', 'accept', one.reference], 'carol');
    expect(accept).toMatchObject({
      code: 0,
      stdout: `${one.reference}: SENT → ACCEPTED (version ${one.version + 1})\n`,
    });
    const decline = await cli(
      ['step', 'decline', two.reference.toLowerCase(), '--reason', 'Complet', '--reason-code', 'no-capacity'],
      'carol',
    );
    expect(decline.stdout).toMatch(new RegExp(`^${two.reference}: SENT → DECLINED`));
    expect((await bob.referrals.find(two.id))?.declineReason).toBe('NO_CAPACITY');

    const again = await cli(['step', 'accept', two.reference], 'carol');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Refused: .* \[\w+\/invalid_transition\]\n$/);
    const stale = await cli(['step', 'start', one.reference, '--version', String(one.version)], 'carol');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      `It is now at version ${one.version + 1}: check it (maillage show ${one.reference})`,
    );
    const unknown = await cli(['step', 'accept', 'REF-1999-000001'], 'carol');
    expect(unknown).toMatchObject({ code: 1, stderr: 'No referral REF-1999-000001 that you may see.\n' });

    const assign = await cli(['step', 'assign', one.reference, '--to', 'me'], 'carol');
    expect(assign.stdout).toMatch(/ACCEPTED \(version \d+\), assignee Carol\n$/);
    const message = await cli(['step', 'message', one.id, '--text', 'Bienvenue'], 'carol');
    expect(message.code).toBe(0);

    const shown = await cli(['show', one.reference], 'bob');
    expect(shown.stdout).toContain('Person: J. D., PHONE +352 621 000 000');
    expect(shown.stdout).toMatch(
      /^Consent: recorded \d{4}-\d\d-\d\d by Bob \(Organisation beta\), for "Orientation", shared with alpha$/m,
    );
    expect(shown.stdout).toMatch(/\[alpha\] by Carol \(Organisation alpha\): Bienvenue\n$/);
    expect((await cli(['inbox', '--mine', '--json'], 'carol')).stdout).toContain(one.reference);
    for (const r of [again, stale, unknown]) expectPlain(r);
  });

  it('exports the inbox and search results as CSV, with formulas escaped', async () => {
    const file = path.join(home, 'inbox.csv');
    const inbox = await cli(['export', 'inbox', '--out', file], 'carol');
    expect(inbox).toMatchObject({ code: 0, stdout: '' });
    expect(inbox.stderr).toMatch(/^Wrote \d+ referrals to .*inbox\.csv\.\n$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const rows = (await readFile(file, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe(
      'reference,id,box,status,urgency,sender,receiver,offer,need_themes,sent_at,due_at,first_answer_at,closed_at,assignee,decline_reason,waitlisted,version',
    );
    expect(rows.length - 1).toBe(Number(/Wrote (\d+)/.exec(inbox.stderr)?.[1]));
    expect(rows.slice(1).every((r) => /^REF-\d{4}-\d+,/.test(r) && r.includes(',INCOMING,'))).toBe(true);
    expect(rows.join('\n')).not.toContain('J. D.');

    const offers = await cli(['export', 'offers', '--url', base]);
    expect(offers.code).toBe(0);
    const lines = offers.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id,title,title_language,organisation,/);
    expect(lines).toHaveLength(4);
    expect(offers.stdout).toContain(`,"'=HYPERLINK(""http://evil.example"",""Aide"")",`);

    const filtered = await cli(['export', 'offers', 'français', '--url', base]);
    expect(filtered.stdout.trim().split('\n')).toHaveLength(2);
    const refused = await cli(['export', 'inbox', '--out', path.join(home, 'nobody.csv'), '--url', base]);
    expect(refused.code).toBe(2);
    await expect(stat(path.join(home, 'nobody.csv'))).rejects.toThrow('ENOENT');
  });
});

describe('watch', () => {
  it('prints live events, and stops on Ctrl-C with the cursor to resume from', async () => {
    const { rows } = await t.db.pool.query<{ seq: string }>(
      'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
    );
    const watch = startCli(bin, ['watch', '--after', rows[0]!.seq], {
      HOME: home,
      MAILLAGE_URL: base,
      MAILLAGE_TOKEN: tokens.carol,
    });
    const r = await sentReferral();
    const line = await watch.waitForLine(new RegExp(r.reference));
    expect(line).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d  ${r.reference}  STATUS_CHANGED +DRAFT → SENT +beta → alpha +#\\d+ by Bob \\(Organisation beta\\)$`,
      ),
    );
    watch.child.kill('SIGINT');
    expect(await watch.exit).toBe(0);
    expect(watch.stderr).toMatch(/Stopped\. To resume: --after \d+\n$/);
  });

  it('ends with exit code 1 when the hub refuses the credential', async () => {
    const result = await cli(['watch'], undefined, { MAILLAGE_URL: base, MAILLAGE_TOKEN: 'forged' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Stopped: the hub refused the credential/);
    expectPlain(result);
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
