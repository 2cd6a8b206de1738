/**
 * GraphiQL for browsers at GET /graphql, served entirely from this server (the graphiql, react and
 * react-dom packages' own builds): no CDN, and a Content-Security-Policy that allows nothing else.
 *
 * - No default header: anonymous queries and the Docs panel work as they open; tabs that need a
 *   token say which demo user's, with an empty `Authorization` to fill in (empty = anonymous).
 * - Subscriptions go over graphql-ws: graphiql's UMD build bundles its own graphql-ws client,
 *   which `subscriptionUrl` uses, with the tab's headers as `connection_init` payload (the hub
 *   reads `Authorization` there as over HTTP).
 * - Example tabs per user story (./graphiql-examples.ts), in a storage namespace of their own so
 *   that tabs saved by an earlier version (with its placeholder header) do not hide them.
 * - An empty icon: without one, browsers ask for /favicon.ico, a 404 in the console.
 *
 * test/http/graphiql-browser.test.ts drives all this in headless Chromium.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { EXAMPLE_TABS } from './graphiql-examples.ts';

const require = createRequire(import.meta.url);

/** A file inside an installed package (react's exports map hides its UMD builds from require). */
function packageFile(file: string): string {
  const [pkg, ...rest] = file.split('/');
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), ...rest);
}

export const GRAPHIQL_PREFIX = '/graphiql/';

const ASSETS: Record<string, { file: string; type: string }> = {
  'graphiql.min.css': { file: 'graphiql/graphiql.min.css', type: 'text/css; charset=utf-8' },
  'graphiql.min.js': { file: 'graphiql/graphiql.min.js', type: 'text/javascript; charset=utf-8' },
  'react.min.js': { file: 'react/umd/react.production.min.js', type: 'text/javascript; charset=utf-8' },
  'react-dom.min.js': {
    file: 'react-dom/umd/react-dom.production.min.js',
    type: 'text/javascript; charset=utf-8',
  },
};

/** GraphiQL's tab definitions: query, variables and headers as the editors show them. */
export const GRAPHIQL_TABS = EXAMPLE_TABS.map((tab) => ({
  query: tab.query,
  ...(tab.variables ? { variables: JSON.stringify(tab.variables, null, 2) } : {}),
  ...(tab.as ? { headers: JSON.stringify({ Authorization: '' }, null, 2) } : {}),
}));

/** Bumped when the example tabs change, so that browsers show the new ones. */
const STORAGE_PREFIX = 'maillage:3:';

/** The page's script: HTTP and WebSocket endpoints of the page's own origin. */
const INIT_JS = `
const endpoint = new URL('/graphql', location.href);
const subscriptions = new URL(endpoint);
subscriptions.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
const fetcher = GraphiQL.createFetcher({ url: endpoint.href, subscriptionUrl: subscriptions.href });
const PREFIX = ${JSON.stringify(STORAGE_PREFIX)};
const ours = () => Object.keys(localStorage).filter((key) => key.startsWith(PREFIX));
const storage = {
  getItem: (key) => localStorage.getItem(PREFIX + key),
  setItem: (key, value) => localStorage.setItem(PREFIX + key, value),
  removeItem: (key) => localStorage.removeItem(PREFIX + key),
  get length() {
    return ours().length;
  },
  clear: () => ours().forEach((key) => localStorage.removeItem(key)),
};
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    storage,
    defaultTabs: ${JSON.stringify(GRAPHIQL_TABS)},
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  }),
);
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maillage · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${GRAPHIQL_PREFIX}graphiql.min.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${GRAPHIQL_PREFIX}react.min.js"></script>
<script src="${GRAPHIQL_PREFIX}react-dom.min.js"></script>
<script src="${GRAPHIQL_PREFIX}graphiql.min.js"></script>
<script src="${GRAPHIQL_PREFIX}init.js"></script>
</body>
</html>
`;

/**
 * Nothing from elsewhere. WebSocket URLs are named with the request's host: not every browser
 * counts ws:// of the same host as 'self'.
 */
function contentSecurityPolicy(req: IncomingMessage): string {
  const host = /^[\w.-]+(:\d+)?$|^\[[\da-f:.]+\](:\d+)?$/i.test(req.headers.host ?? '')
    ? req.headers.host
    : null;
  const sockets = host ? ` ws://${host} wss://${host}` : '';
  return (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    `font-src 'self' data:; connect-src 'self'${sockets}; frame-ancestors 'none'`
  );
}

const cache = new Map<string, Buffer>();

export function serveGraphiqlPage(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(req),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  res.end(PAGE);
}

/** Serves one GraphiQL asset; false when `name` is not one. */
export async function serveGraphiqlAsset(name: string, res: ServerResponse): Promise<boolean> {
  if (name === 'init.js') {
    res.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(INIT_JS);
    return true;
  }
  const asset = ASSETS[name];
  if (!asset) return false;
  let body = cache.get(name);
  if (!body) {
    body = await readFile(packageFile(asset.file));
    cache.set(name, body);
  }
  res.writeHead(200, {
    'content-type': asset.type,
    'cache-control': 'public, max-age=86400',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
  return true;
}
