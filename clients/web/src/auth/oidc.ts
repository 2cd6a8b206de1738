/** Sign-in with the partner organisations' identity provider: being written (issue 13). */
import type { OidcSettings } from './config.ts';
import type { StoredSession } from './session.ts';
import { sessions } from './session.ts';

export function startOidcSignIn(_settings: OidcSettings): Promise<void> {
  return Promise.reject(new Error('OpenID Connect sign-in is not available yet.'));
}

export function completeOidcSignIn(_settings: OidcSettings): Promise<void> {
  return Promise.reject(new Error('OpenID Connect sign-in is not available yet.'));
}

export function oidcSignOut(_session: StoredSession): Promise<void> {
  sessions.clear();
  return Promise.resolve();
}
