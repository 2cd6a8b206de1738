/**
 * The frame of every signed-in page: a skip link, the menu of what the viewer's roles allow (a
 * button opens it on a phone), the language, whether live updates flow, and signing out.
 */
import { useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { signOut } from '../auth/sign-out.ts';
import { useLiveState } from '../graphql/live.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { LocaleSelect } from '../i18n/LocaleSelect.tsx';
import { common } from '../ui/common.messages.ts';
import { ROUTES } from './routes.ts';
import { hasRole, useViewer } from './viewer.tsx';

export function Layout({ children }: { children: ReactNode }) {
  const t = useMessages(common);
  const viewer = useViewer();
  const [location] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const live = useLiveState();
  const nav = ROUTES.filter((r) => r.nav && (r.nav.roles === null || hasRole(viewer, r.nav.roles)));
  const current = (path: string) => (path === '/' ? location === '/' : location.startsWith(path));
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          {t.appName}
        </Link>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t.menu}
        </button>
        <div className="topbar-tools">
          <span className={`live live-${live}`} role="status">
            {live === 'live'
              ? t.liveOn
              : live === 'stopped'
                ? t.liveStopped
                : live === 'interrupted'
                  ? t.liveInterrupted
                  : ''}
          </span>
          <LocaleSelect />
          <span className="who">{t.signedInAs(viewer.name)}</span>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            {t.signOut}
          </button>
        </div>
      </header>
      <nav id="main-menu" className={menuOpen ? 'menu open' : 'menu'} aria-label={t.menu}>
        <ul>
          {nav.map((r) => (
            <li key={r.path}>
              <Link
                href={r.path}
                aria-current={current(r.path) ? 'page' : undefined}
                onClick={() => setMenuOpen(false)}
              >
                {t[r.nav!.label]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
