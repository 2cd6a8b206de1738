/**
 * The web console (clients/web, built into clients/web/dist by `npm run build:web`), served by the
 * hub itself from local files:
 *  - `/assets/…`: the build's hashed files, compressed once (brotli or gzip, as the browser asks)
 *    and cached for a year;
 *  - any other page a browser asks for (Accept: text/html) that no other route takes: the console's
 *    index.html, whose router shows the page (or its own "not found");
 *  - `/console/config.json`: how to sign in here (the identity provider, the demo sign-in);
 *  - `/console/demo-sign-in`: with the demo data only, and never in production, a session for a
 *    demo user without a password (the demo's users all have `.example` addresses).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { AccountServices } from '../modules/accounts/account-services.ts';
import { startSession } from '../modules/accounts/session.service.ts';
import type { Config } from '../shared/config.ts';
import { PayloadTooLargeError, readBody, sendJson } from './body.ts';
import { demoUsersPresent } from './demo-users.ts';
import { chosenCoding } from './guides-public.ts';

export const CONSOLE_DIST = fileURLToPath(new URL('../../clients/web/dist/', import.meta.url));
export const CONSOLE_API_PREFIX = '/console/';

/**
 * The console's own scripts and styles only; GraphQL over HTTP and WebSocket to this hub; the
 * identity provider's endpoints (token exchange, refresh) when there is one; pictures from the
 * camera (check-in) and QR codes as data or blob URLs.
 */
function contentSecurityPolicy(config: Pick<Config, 'OIDC_ISSUER'>): string {
  const provider = config.OIDC_ISSUER ? ` ${new URL(config.OIDC_ISSUER).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self'${provider}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

interface Asset {
  type: string;
  raw: Buffer;
  br: Buffer;
  gzip: Buffer;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

async function loadAsset(file: string): Promise<Asset> {
  const raw = await readFile(file);
  const [br, gz] = await Promise.all([
    brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip(raw, { level: 9 }),
  ]);
  return { type: TYPES[path.extname(file)] ?? 'application/octet-stream', raw, br, gzip: gz };
}

/** The build, read and compressed once (at start-up, in the background). */
async function loadBuild(dist: string): Promise<Map<string, Asset> | null> {
  const index = path.join(dist, 'index.html');
  if (!(await stat(index).catch(() => null))) return null;
  const files = new Map<string, Asset>();
  files.set('/index.html', await loadAsset(index));
  const assets = path.join(dist, 'assets');
  for (const name of await readdir(assets).catch(() => [] as string[])) {
    files.set(`/assets/${name}`, await loadAsset(path.join(assets, name)));
  }
  return files;
}

export interface ConsoleOptions {
  config: Pick<
    Config,
    'NODE_ENV' | 'DEMO_DATA' | 'AUTH_JWKS_URL' | 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_SCOPE' | 'GRAPHIQL'
  >;
  prisma: PrismaClient;
  accounts: AccountServices;
  maxBodyBytes: number;
  /** The build's folder (tests: another). */
  dist?: string;
}

export interface ConsoleHandler {
  /** Whether the build is there (else `/` shows the developers' page). */
  built(): Promise<boolean>;
  /** `/console/…`: true when it answered. */
  handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
  /** A file of the build, or index.html for a page: true when it answered. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
}

export function consoleHandler(opts: ConsoleOptions): ConsoleHandler {
  const { config } = opts;
  const build = loadBuild(opts.dist ?? CONSOLE_DIST);
  build.catch(() => undefined);
  const csp = contentSecurityPolicy(config);
  /** Demo sign-in: demo data on, not production, and the hub issues its own tokens. */
  const demoAllowed = config.DEMO_DATA && config.NODE_ENV !== 'production' && !config.AUTH_JWKS_URL;

  const send = (req: IncomingMessage, res: ServerResponse, asset: Asset, cache: string) => {
    const coding = chosenCoding(req.headers['accept-encoding']);
    const body = coding === 'br' ? asset.br : coding === 'gzip' ? asset.gzip : asset.raw;
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': body.length,
      'cache-control': cache,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      ...(coding ? { 'content-encoding': coding } : {}),
      ...(asset.type.startsWith('text/html')
        ? { 'content-security-policy': csp, 'referrer-policy': 'no-referrer' }
        : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return {
    built: async () => (await build.catch(() => null)) !== null,

    async handleApi(req, res, pathname) {
      if (pathname === '/console/config.json' && req.method === 'GET') {
        const demo = demoAllowed && (await demoUsersPresent(opts.prisma)).length > 0;
        sendJson(
          res,
          200,
          {
            demoSignIn: demo,
            codeSignIn: !config.AUTH_JWKS_URL,
            oidc:
              config.OIDC_ISSUER && config.OIDC_CLIENT_ID
                ? { issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, scope: config.OIDC_SCOPE }
                : null,
            graphiql: config.GRAPHIQL,
          },
          { 'cache-control': 'no-store' },
        );
        return true;
      }
      if (pathname === '/console/demo-users' && req.method === 'GET') {
        if (!demoAllowed) return false;
        sendJson(res, 200, { users: await demoUsersPresent(opts.prisma) }, { 'cache-control': 'no-store' });
        return true;
      }
      if (pathname === '/console/demo-sign-in' && req.method === 'POST') {
        if (!demoAllowed) return false;
        await demoSignIn(req, res);
        return true;
      }
      return false;
    },

    async serve(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const files = await build.catch(() => null);
      if (!files) return false;
      if (pathname.startsWith('/assets/')) {
        const asset = files.get(pathname);
        if (!asset) return false;
        send(req, res, asset, 'public, max-age=31536000, immutable');
        return true;
      }
      if (!/\btext\/html\b/.test(req.headers.accept ?? '')) return false;
      send(req, res, files.get('/index.html')!, 'no-cache');
      return true;
    },
  };

  async function demoSignIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A form on another site cannot post JSON here without CORS, which the hub does not grant.
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, 415, { error: 'Send JSON: {"email": "…"}.' });
    }
    let email: unknown;
    try {
      ({ email } = JSON.parse(await readBody(req, opts.maxBodyBytes)) as { email?: unknown });
    } catch (err) {
      if (err instanceof PayloadTooLargeError) return sendJson(res, 413, { error: 'Too large.' });
      return sendJson(res, 400, { error: 'Send JSON: {"email": "…"}.' });
    }
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.example$/i.test(email)) {
      return sendJson(res, 400, { error: 'Only the demo users (addresses at .example) sign in here.' });
    }
    const user = await opts.prisma.user.findFirst({
      where: { email: email.trim().toLowerCase(), disabledAt: null },
      select: { id: true },
    });
    if (!user) return sendJson(res, 404, { error: 'No active demo user has this address.' });
    const session = await startSession(opts.prisma, opts.accounts, user.id);
    sendJson(
      res,
      200,
      {
        token: session.access.token,
        tokenExpiresAt: session.access.expiresAt.toISOString(),
        refreshToken: session.refreshToken,
        refreshTokenExpiresAt: session.refreshExpiresAt.toISOString(),
      },
      { 'cache-control': 'no-store' },
    );
  }
}
