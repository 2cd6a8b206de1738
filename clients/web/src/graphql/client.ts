/**
 * The console's GraphQL client: urql with Graphcache (a normalised cache: an entity changed by a
 * mutation or a live notice changes on every screen that shows it), over HTTP for queries and
 * mutations. Every request carries a token that is valid for at least a minute; a 401 renews it
 * once, and a session that cannot be renewed is forgotten (the sign-in page shows again).
 * Live data comes from graphql-ws subscriptions (graphql/live.tsx), not through this client.
 */
import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { sessions } from '../auth/session.ts';
import schema from './schema.generated.ts';

let acceptLanguage = 'fr';
/** The user's language, sent as Accept-Language (the hub translates offers and errors by it). */
export function setRequestLanguage(locale: string): void {
  acceptLanguage = locale;
}

async function authorisedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const send = (token: string | null) => {
    const headers = new Headers(init?.headers);
    headers.set('accept-language', acceptLanguage);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const res = await send(await sessions.validToken());
  if (res.status !== 401 || !sessions.session) return res;
  const renewed = await sessions.refresh();
  return renewed ? send(renewed.token) : res;
}

export function createConsoleClient(): Client {
  return new Client({
    url: '/graphql',
    fetch: authorisedFetch,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange({
        schema,
        // Objects without an identity of their own are stored inside their parent.
        keys: new Proxy(
          {},
          {
            get: () => (data: { id?: unknown }) => (typeof data.id === 'string' ? data.id : null),
          },
        ),
      }),
      fetchExchange,
    ],
  });
}
