/**
 * Sessions with the hub itself (no partner identity provider): the demo sign-in page, and a
 * one-time code by e-mail. Both end in a HubSession, renewed with refreshSession and ended with
 * signOut.
 */
import {
  RefreshSessionDocument,
  SignOutDocument,
  type HubSessionFieldsFragment,
} from '../../../generated/graphql.ts';
import { request } from '../graphql/request.ts';
import { sessions, type StoredSession } from './session.ts';

export function fromHubSession(s: HubSessionFieldsFragment): StoredSession {
  return { kind: 'hub', token: s.token, tokenExpiresAt: s.tokenExpiresAt, refreshToken: s.refreshToken };
}

sessions.setRefresher('hub', async (s) => {
  const data = await request(RefreshSessionDocument, { input: { refreshToken: s.refreshToken ?? '' } });
  const result = data.refreshSession;
  if (result.__typename !== 'MutationRefreshSessionSuccess') throw new Error(result.message);
  return fromHubSession(result.data);
});

/** The demo sign-in (src/http/console.ts): only with the demo data, never in production. */
export async function demoSignIn(email: string): Promise<void> {
  const res = await fetch('/console/demo-sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `The hub answered ${res.status}.`);
  }
  sessions.set(fromHubSession((await res.json()) as HubSessionFieldsFragment));
}

/** Ends the hub session (its tokens stop working at once), then forgets it here. */
export async function hubSignOut(s: StoredSession): Promise<void> {
  try {
    if (s.refreshToken) await request(SignOutDocument, { input: { refreshToken: s.refreshToken } });
  } finally {
    sessions.clear();
  }
}
