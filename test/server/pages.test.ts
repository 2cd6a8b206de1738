/**
 * What a browser gets: `/developers` (links, no script), `/readme`, and GraphiQL served from the hub alone,
 * with no header that breaks anonymous use and subscriptions over graphql-ws with the tab's
 * headers as connection parameters (checked in a real browser by hand, see docs/NOTES.md; here over
 * HTTP and WebSocket as the page's script does it).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Role } from '../../src/generated/prisma/enums.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let base: string;
beforeAll(async () => {
  t = await startTestHub();
  base = t.graphqlUrl.replace('/graphql', '');
});
afterAll(() => t.close());

const html = { accept: 'text/html' };

describe('/developers', () => {
  it('leads to GraphiQL, the HSDS API and the README, with no script and nothing from elsewhere', async () => {
    const response = await fetch(`${base}/developers`, { headers: html });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const page = await response.text();
    for (const href of ['/graphql', '/hsds/', '/readme']) expect(page).toContain(`href="${href}"`);
    expect(page).not.toMatch(/<script|https?:\/\//);
    // No demo data in this database: no demo users listed.
    expect(page).not.toContain('Demo users');

    const readme = await fetch(`${base}/readme`);
    expect(readme.status).toBe(200);
    expect(readme.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await readme.text()).toMatch(/^# Maillage\n/);
  });

  it('names the demo users that may act, not those disabled or whose membership is', async () => {
    const org = await t.db.prisma.organisation.create({ data: { slug: 'demo-org', name: 'Demo' } });
    const demoUser = (email: string, role: Role, disabled: { user?: boolean; membership?: boolean }) =>
      t.db.prisma.user.create({
        data: {
          email,
          name: email,
          disabledAt: disabled.user ? new Date() : null,
          memberships: {
            create: {
              organisationId: org.id,
              roles: [role],
              disabledAt: disabled.membership ? new Date() : null,
            },
          },
        },
      });
    await demoUser('lea.hoffmann@office-social.example', 'CASE_WORKER', {});
    await demoUser('sophie.weber@inter-actions.example', 'CATALOGUE_EDITOR', { membership: true });
    await demoUser('admin@maillage.example', 'HUB_ADMIN', { user: true });

    const page = await (await fetch(`${base}/developers`, { headers: html })).text();
    expect(page).toContain('Demo users');
    expect(page).toContain('lea.hoffmann@office-social.example');
    expect(page).not.toContain('sophie.weber@inter-actions.example');
    expect(page).not.toContain('admin@maillage.example');
  });
});

describe('GraphiQL', () => {
  it('is served from the hub alone, with example tabs and no default header', async () => {
    // As reached under another name (fetch may not set Host).
    const page = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(`${base}/graphql`, { headers: { ...html, host: 'hub.example:8443' } }, resolve)
        .on('error', reject),
    );
    expect(page.statusCode).toBe(200);
    const csp = page.headers['content-security-policy']!;
    expect(csp).toMatch(/connect-src 'self' ws:\/\/hub\.example:8443 wss:\/\/hub\.example:8443;/);
    expect(csp).toMatch(/script-src 'self';/);
    let text = '';
    for await (const chunk of page) text += String(chunk);
    const sources = [...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.filter((s) => !s.startsWith('/graphiql/') && s !== 'data:,')).toEqual([]);
    for (const source of sources.filter((s) => s.startsWith('/graphiql/'))) {
      const asset = await fetch(`${base}${source}`);
      expect({ [source]: asset.status }).toEqual({ [source]: 200 });
      expect(asset.headers.get('content-type')).toMatch(/^text\/(javascript|css)/);
      await asset.arrayBuffer();
    }

    const init = await (await fetch(`${base}/graphiql/init.js`)).text();
    expect(init).toMatch(/subscriptionUrl: subscriptions\.href/);
    expect(init).not.toMatch(/defaultHeaders|https?:\/\//);
    const tabs = JSON.parse(/defaultTabs: (\[.*\]),\n/.exec(init)![1]!) as {
      query: string;
      headers?: string;
    }[];
    expect(tabs.map((tab) => /^(query|mutation|subscription) (\w+)/m.exec(tab.query)?.[2])).toEqual([
      'SearchOffers',
      'FindOffer',
      'Inbox',
      'LiveReferralEvents',
      'MatchOffers',
    ]);
    // A tab that needs a token has an empty Authorization to fill in: sent empty, it is anonymous.
    for (const tab of tabs) {
      if (tab.headers) expect(JSON.parse(tab.headers)).toEqual({ Authorization: '' });
    }
  });

  it('answers what an opened tab sends: an empty Authorization, introspection for Docs', async () => {
    const response = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: '' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } offers(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { __schema: { queryType: { name: 'Query' } }, offers: { totalCount: 0 } },
    });
  });

  it('runs subscriptions over graphql-ws with the tab’s headers as connection parameters', async () => {
    const client = createClient({
      url: t.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      // What graphiql's bundled graphql-ws sends: the headers editor's object, as it is.
      connectionParams: { Authorization: 'Bearer not-a-token' },
    });
    const iterator = client.iterate({ query: 'subscription { referralEvents { cursor } }' });
    // The hub read the header there: an invalid token is refused (4403), not ignored.
    await expect(iterator.next()).rejects.toMatchObject({ code: 4403 });
    await client.dispose();
  });
});
