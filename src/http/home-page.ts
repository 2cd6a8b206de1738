/**
 * `/developers` (and `/` when the web console is not built): a short page (no script, nothing from elsewhere) that leads to
 * GraphiQL, the HSDS API and the README, and, when the demo data is loaded, says which demo user
 * to act as for which story. `/readme` serves the README as plain text.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { demoUsersPresent } from './demo-users.ts';

const README = new URL('../../README.md', import.meta.url);

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function serveHomePage(
  res: ServerResponse,
  opts: { prisma: PrismaClient; graphiql: boolean },
): Promise<void> {
  const demo = await demoUsersPresent(opts.prisma);
  const links = [
    opts.graphiql
      ? '<li><a href="/graphql">GraphiQL</a>: explore and run the GraphQL API at <code>/graphql</code> (example tabs for each story; Docs lists every field)</li>'
      : '<li><code>POST /graphql</code>: the GraphQL API (GraphiQL is off here)</li>',
    '<li><a href="/hsds/">HSDS API</a>: the published catalogue as Open Referral HSDS 3.0 (<a href="/hsds/services">services</a>, <a href="/hsds/organizations">organizations</a>, <a href="/hsds/taxonomy_terms">taxonomy terms</a>)</li>',
    '<li><a href="/readme">README</a>: what the hub does, the examples, configuration</li>',
    '<li><a href="/readyz">/readyz</a>, <a href="/healthz">/healthz</a>: health checks</li>',
  ];
  const users =
    demo.length === 0
      ? ''
      : `<h2>Demo users</h2>
<p>The demo data is loaded. Act as one of these users: <code>npm run token -- &lt;e-mail&gt;</code> in a
terminal prints a token (its last line); in GraphiQL, put it in Headers as
<code>{"Authorization": "Bearer …"}</code>. <code>npm run token -- --list</code> lists every active user.</p>
<table>
<thead><tr><th>for the story of</th><th>act as</th></tr></thead>
<tbody>
${demo.map((s) => `<tr><td>${escape(s.story)}</td><td><code>${escape(s.email)}</code></td></tr>`).join('\n')}
</tbody>
</table>`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maillage</title>
<link rel="icon" href="data:,">
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse}td,th{text-align:left;padding:.2em .8em .2em 0}
</style>
</head>
<body>
<h1>Maillage</h1>
<p>The GraphQL hub of the social sector's partner network: a shared catalogue of offers, referrals
between organisations with the person's consent, followed in real time.</p>
<ul>
${links.join('\n')}
</ul>
${users}
</body>
</html>
`;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  res.end(html);
}

/** The README as plain text; false when this installation has none. */
export async function serveReadme(res: ServerResponse): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(README, 'utf8');
  } catch {
    return false;
  }
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  res.end(text);
  return true;
}
