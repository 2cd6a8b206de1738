/** Signing out: the session ends where it was made (hub or identity provider), then is forgotten. */
import { hubSignOut } from './hub-session.ts';
import { sessions } from './session.ts';

export async function signOut(): Promise<void> {
  const s = sessions.session;
  if (!s) return;
  if (s.kind === 'hub') return hubSignOut(s);
  const { oidcSignOut } = await import('./oidc.ts');
  return oidcSignOut(s);
}
