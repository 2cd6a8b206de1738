/**
 * GraphiQL for browsers at GET /graphql, served entirely from this server (the graphiql, react and
 * react-dom packages' own builds): no CDN, and a Content-Security-Policy that allows nothing else.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

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

const INIT_JS = `
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href });
const defaultHeaders = JSON.stringify({ Authorization: 'Bearer <token from: npm run token -- <email>>' }, null, 2);
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultHeaders, defaultEditorToolsVisibility: true }),
);
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maillage · GraphiQL</title>
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

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const cache = new Map<string, Buffer>();

export function serveGraphiqlPage(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  res.end(PAGE);
}

/** Serves one GraphiQL asset; false when `name` is not one. */
export async function serveGraphiqlAsset(name: string, res: ServerResponse): Promise<boolean> {
  if (name === 'init.js') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
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
