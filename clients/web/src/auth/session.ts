/**
 * The signed-in session, kept in localStorage so that a reload or a second tab stays signed in,
 * and forgotten entirely by `clear()` (signing out). Access tokens are renewed before they expire
 * (and once more after a 401) through the refresher of the session's kind: the hub's own sessions
 * (demo and e-mail code sign-in) or the partner identity provider's (auth/oidc.ts).
 */
export interface StoredSession {
  /** `hub`: refreshSession on the hub; `oidc`: the identity provider's token endpoint. */
  kind: 'hub' | 'oidc';
  token: string;
  /** ISO date. */
  tokenExpiresAt: string;
  refreshToken: string | null;
  /** The identity provider's ID token, for signing out there. */
  idToken?: string | null;
}

export type Refresher = (session: StoredSession) => Promise<StoredSession>;

const KEY = 'maillage.session';
/** Renew this long before the access token expires. */
const MARGIN_MS = 60_000;

type Listener = (session: StoredSession | null) => void;

export class SessionStore {
  private current: StoredSession | null;
  private readonly listeners = new Set<Listener>();
  private refreshing: Promise<StoredSession | null> | null = null;
  private readonly refreshers: Partial<Record<StoredSession['kind'], Refresher>> = {};

  constructor(private readonly storage: Storage = window.localStorage) {
    this.current = read(storage);
    // Another tab signed in, refreshed or signed out.
    window.addEventListener('storage', (e) => {
      if (e.key !== KEY) return;
      this.current = read(storage);
      this.emit();
    });
  }

  get session(): StoredSession | null {
    return this.current;
  }

  setRefresher(kind: StoredSession['kind'], refresher: Refresher): void {
    this.refreshers[kind] = refresher;
  }

  set(session: StoredSession): void {
    this.current = session;
    this.storage.setItem(KEY, JSON.stringify(session));
    this.emit();
  }

  /** Forgets the session (tokens included) in this tab and the others. */
  clear(): void {
    this.current = null;
    this.storage.removeItem(KEY);
    this.emit();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A token valid for at least a minute (renewed if needed), or null when signed out. */
  async validToken(): Promise<string | null> {
    const s = this.current;
    if (!s) return null;
    if (Date.parse(s.tokenExpiresAt) - Date.now() > MARGIN_MS) return s.token;
    return (await this.refresh())?.token ?? null;
  }

  /**
   * Trades the refresh token for new tokens (one exchange at a time); a session that cannot be
   * renewed is forgotten (null).
   */
  refresh(): Promise<StoredSession | null> {
    if (this.refreshing) return this.refreshing;
    const s = this.current;
    const refresher = s ? this.refreshers[s.kind] : undefined;
    if (!s || !s.refreshToken || !refresher) {
      if (s) this.clear();
      return Promise.resolve(null);
    }
    this.refreshing = refresher(s)
      .then(
        (next) => {
          this.set(next);
          return next;
        },
        () => {
          // Another tab may have refreshed first: its session is in storage.
          const stored = read(this.storage);
          if (stored && stored.refreshToken !== s.refreshToken) {
            this.current = stored;
            return stored;
          }
          this.clear();
          return null;
        },
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.current);
  }
}

function read(storage: Storage): StoredSession | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.token !== 'string' || typeof parsed.tokenExpiresAt !== 'string') return null;
    if (parsed.kind !== 'hub' && parsed.kind !== 'oidc') return null;
    return parsed as StoredSession;
  } catch {
    return null;
  }
}

export const sessions = new SessionStore();

// The identity provider's code (auth/oidc.ts, with oauth4webapi) loads when first needed: a
// console opened on a provider session (a reload, another tab) renews it all the same.
sessions.setRefresher('oidc', async (s) => (await import('./oidc.ts')).refreshOidcSession(s));
