/**
 * The README as a newcomer follows it, against `npm start`'s entry on a database loaded with the
 * demo data: the demo users its first lines name (checked against `npm run token -- --list`), every
 * ```graphql block run as written (in order, as the user its `# as <e-mail>` line names, variables
 * from `# $x: <path> of <Operation>` lines), every `curl` line, `npm run token` and
 * `npm run watch` as written; then GraphiQL's example tabs the same way. Each answer must carry no
 * error (neither in `errors` nor as a typed error result) and something: no null root field, no
 * empty connection.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { DEMO_STORIES } from '../../src/http/demo-users.ts';
import { EXAMPLE_TABS } from '../../src/http/graphiql-examples.ts';
import { createTestDatabase } from '../helpers/pg.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';
import { collector } from '../helpers/realtime.ts';

const run = promisify(execFile);
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

let hub: HubProcess;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const database = await createTestDatabase();
  cleanup.push(() => database.drop());
  env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
  await run(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts'], { env });
  hub = await spawnHub({ DATABASE_URL: database.url });
  cleanup.push(() => {
    if (hub.child.exitCode === null) hub.child.kill('SIGTERM');
    return hub.exit;
  });
}, 180_000);

/** A command of the README, as a shell runs it, against this test's hub and database. */
function shell(command: string): Promise<{ stdout: string; stderr: string }> {
  const local = command.replaceAll('http://localhost:4000', hub.url);
  return run('sh', ['-c', local], { env, maxBuffer: 10 * 1024 * 1024 });
}

const tokens = new Map<string, Promise<string>>();
/** `npm run token -- <email>`, as the README says: the token is the last line. */
function tokenOf(email: string): Promise<string> {
  if (!tokens.has(email)) {
    tokens.set(
      email,
      shell(`npm run token -- ${email}`).then(({ stdout }) => stdout.trim().split('\n').pop()!),
    );
  }
  return tokens.get(email)!;
}

// ---------------------------------------------------------------------------------------------
// Examples: comment conventions, variables, running
// ---------------------------------------------------------------------------------------------

interface Example {
  label: string;
  source: string;
  as: string | null;
  /** Variable → [path, operation]. */
  bindings: Map<string, [string, string]>;
  operations: OperationDefinitionNode[];
}

function example(label: string, source: string): Example {
  const as = /^#\s*as\s+(\S+@\S+)\s*$/m.exec(source)?.[1] ?? null;
  const bindings = new Map<string, [string, string]>();
  for (const [, name, path, from] of source.matchAll(/^#\s*\$(\w+):\s*(\S+)\s+of\s+(\w+)\s*$/gm)) {
    bindings.set(name!, [path!, from!]);
  }
  const operations = parse(source).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return { label, source, as, bindings, operations };
}

/** `offers.edges[0].node.id` in a result. */
function at(data: unknown, path: string): unknown {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], data);
}

/** What is wrong with an answer: errors, typed errors, null roots, empty connections. */
function problems(data: Record<string, unknown> | null | undefined, errors: unknown): string[] {
  if (errors) return [`errors: ${JSON.stringify(errors)}`];
  if (!data) return ['no data'];
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
    if (!value || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    if (typeof object.__typename === 'string' && /Error$/.test(object.__typename)) {
      found.push(`${path}: ${JSON.stringify(object)}`);
    }
    if (Array.isArray(object.edges) && object.edges.length === 0) found.push(`${path}.edges is empty`);
    if (object.totalCount === 0) found.push(`${path}.totalCount is 0`);
    for (const [key, v] of Object.entries(object)) walk(v, `${path}.${key}`);
  };
  for (const [root, value] of Object.entries(data)) {
    if (value === null || (Array.isArray(value) && value.length === 0)) found.push(`${root} is empty`);
    walk(value, root);
  }
  return found;
}

/** Runs every operation of an example; results by operation name (for later bindings). */
async function runExample(ex: Example, results: Map<string, unknown>, preset: Record<string, unknown> = {}) {
  const token = ex.as ? await tokenOf(ex.as) : null;
  for (const operation of ex.operations) {
    const name = operation.name?.value;
    const variables: Record<string, unknown> = {};
    for (const definition of operation.variableDefinitions ?? []) {
      const variable = definition.variable.name.value;
      const binding = ex.bindings.get(variable);
      if (binding) {
        const [path, from] = binding;
        expect({ [`${ex.label} ${from}`]: results.has(from) }).toEqual({ [`${ex.label} ${from}`]: true });
        variables[variable] = at(results.get(from), path);
      } else {
        variables[variable] = preset[variable];
      }
    }
    const what = `${ex.label}${name ? ` ${name}` : ''}`;
    const answer =
      operation.operation === OperationTypeNode.SUBSCRIPTION
        ? await firstNotice(ex.source, name, variables, token)
        : await post(ex.source, name, variables, token);
    expect({ [what]: problems(answer.data, answer.errors) }).toEqual({ [what]: [] });
    if (name) results.set(name, answer.data);
  }
}

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: unknown;
}

async function post(
  query: string,
  operationName: string | undefined,
  variables: object,
  token: string | null,
) {
  const response = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, operationName, variables }),
  });
  return (await response.json()) as Answer;
}

/**
 * The first notice of a subscription over graphql-ws, with the token where GraphiQL puts it: the
 * tab's headers object as `connection_init` payload.
 */
async function firstNotice(
  query: string,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<Answer> {
  const client = createClient({
    url: `${hub.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
  });
  try {
    const iterator = client.iterate({ query, operationName: operationName ?? null, variables });
    const first = await iterator.next();
    await iterator.return?.();
    return first.value as Answer;
  } finally {
    await client.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// The README
// ---------------------------------------------------------------------------------------------

const graphqlBlocks = [...README.matchAll(/^```graphql\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
const shBlocks = [...README.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
const curlLines = shBlocks.flatMap((b) => b.split('\n')).filter((l) => l.startsWith('curl '));
/** `npm run token -- …` and `npm run watch -- …` with nothing to fill in (no <…>, no […]). */
const npmCommands = [...README.matchAll(/`(npm run (?:token|watch) -- [^`<[…]+)`/g)].map((m) => m[1]!.trim());

describe('the README on the demo data', () => {
  it('names a demo user per story in its first lines; the first token it suggests is a case worker’s', async () => {
    const top = README.split('## A first hour')[0]!;
    for (const story of DEMO_STORIES) expect(top).toContain(`\`${story.email}\``);
    const firstToken = /`npm run token -- ([^`\s]+@[^`\s]+)`/.exec(README)?.[1];
    expect(firstToken).toBe(DEMO_STORIES[0]!.email);

    const list = await shell('npm run token -- --list');
    const roles = new Map<string, string[]>();
    for (const line of list.stdout.split('\n')) {
      const [email, , granted] = line.trim().split(/\s+/);
      if (email?.includes('@'))
        roles.set(email, [...(roles.get(email) ?? []), ...(granted ?? '').split(',')]);
    }
    for (const story of DEMO_STORIES) {
      expect({ [story.email]: roles.get(story.email)?.includes(story.role) }).toEqual({
        [story.email]: true,
      });
    }
    expect(roles.get(firstToken!)).toContain('CASE_WORKER');

    // The hub's developers' page says the same.
    const home = await (await fetch(`${hub.url}/developers`)).text();
    for (const story of DEMO_STORIES) expect(home).toContain(`<code>${story.email}</code>`);
  }, 60_000);

  it('runs every example as written, with `npm run watch` printing the referral it sends', async () => {
    expect(graphqlBlocks.length).toBeGreaterThanOrEqual(5);
    expect(curlLines.length).toBeGreaterThanOrEqual(1);
    const watchCommand = npmCommands.find((c) => c.startsWith('npm run watch'));
    expect(watchCommand).toBeDefined();
    for (const command of npmCommands.filter((c) => c.startsWith('npm run token'))) {
      const { stdout } = await shell(command);
      expect(stdout.trim()).not.toBe('');
    }

    // `npm run watch -- <email>` in a second terminal, live before anything happens.
    const watcher = spawnWatch(watchCommand!);
    await waitForLine(watcher.errors, (l) => /^connected/.test(l), 60_000);
    const watchedEmail = /--\s+(\S+@\S+)/.exec(watchCommand!)![1]!;
    await warmUp(watchedEmail);
    await watcher.lines.waitFor(1, 30_000);

    const results = new Map<string, unknown>();
    for (const [i, source] of graphqlBlocks.entries()) {
      await runExample(example(`README block ${i + 1}`, source), results);
    }
    for (const line of curlLines) {
      const { stdout } = await shell(line);
      const body = JSON.parse(stdout) as { total_items?: number; contents?: unknown[] };
      expect({ [line]: body.contents?.length ?? 0 }).not.toEqual({ [line]: 0 });
    }

    // The referral Léa sent is at the top of Marc's inbox, and his watch printed it.
    const sent = at(results.get('SendReferral'), 'sendReferral.data.referral.reference') as string;
    expect(sent).toMatch(/\S/);
    expect(at(results.get('Inbox'), 'referrals.edges[0].node.reference')).toBe(sent);
    await waitForLine(watcher.lines, (l) => l.includes(sent) && l.includes('SENT'));
    watcher.interrupt();
    expect([0, 'SIGINT']).toContain(await watcher.exit);
    expect(watcher.errors.items.filter((l) => /fatal|interrupted/.test(l))).toEqual([]);
  }, 180_000);

  it('opens GraphiQL with tabs that run as the users they name', async () => {
    const results = new Map<string, unknown>();
    for (const [i, tab] of EXAMPLE_TABS.entries()) {
      const ex = example(`GraphiQL tab ${i + 1}`, tab.query);
      expect(ex.as).toBe(tab.as ?? null);
      await runExample(ex, results, tab.variables);
    }
  }, 120_000);
});

/** A message from the watched user on a referral of theirs: once it is printed, the watch is live. */
async function warmUp(email: string): Promise<void> {
  const token = await tokenOf(email);
  const inbox = await post(
    '{ referrals(box: INCOMING, first: 1) { edges { node { id } } } }',
    undefined,
    {},
    token,
  );
  const id = at(inbox.data, 'referrals.edges[0].node.id');
  const posted = await post(
    `mutation($id: ID!) { postReferralMessage(input: { id: $id, body: "Bonjour !" }) { __typename } }`,
    undefined,
    { id },
    token,
  );
  expect(at(posted.data, 'postReferralMessage.__typename')).toBe('MutationPostReferralMessageSuccess');
}

/** `npm run watch -- <email>` as written, in a second terminal; its event lines (`… #<cursor>`). */
function spawnWatch(command: string) {
  const child = spawn('sh', ['-c', `exec ${command}`], {
    env: { ...env, HUB_URL: hub.url },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as in a terminal: Ctrl-C reaches npm and the command alike.
    detached: true,
  });
  const interrupt = () => {
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // already gone
    }
  };
  const lines = collector<string>();
  const errors = collector<string>();
  readline.createInterface({ input: child.stdout }).on('line', (l) => /#\d+$/.test(l) && lines.push(l));
  readline.createInterface({ input: child.stderr }).on('line', (l) => errors.push(l));
  /** Exit code, or the signal npm re-raises after its command stopped (as after Ctrl-C). */
  // 'close', not 'exit': its last lines are read by then.
  const exit = new Promise<number | string | null>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal)),
  );
  cleanup.push(() => {
    if (child.exitCode === null) interrupt();
    return exit;
  });
  return { child, lines, errors, exit, interrupt };
}

async function waitForLine(
  lines: ReturnType<typeof collector<string>>,
  match: (line: string) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  for (let n = 1; ; n++) {
    const got = await lines.waitFor(n, timeoutMs);
    if (got.some(match)) return;
  }
}
