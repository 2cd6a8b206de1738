/** The start page: who you are here, and the pages your roles open. */
import { Link } from 'wouter';
import { useMessages } from '../i18n/i18n.tsx';
import { common } from '../ui/common.messages.ts';
import { Page } from '../ui/Page.tsx';
import { homeMessages } from './home.messages.ts';
import { InvitedStands } from './InvitedStands.tsx';
import { ROUTES } from './routes.ts';
import { hasRole, useViewer } from './viewer.tsx';

export default function HomePage() {
  const t = useMessages(homeMessages);
  const c = useMessages(common);
  const viewer = useViewer();
  const pages = ROUTES.filter(
    (r) => r.nav && r.path !== '/' && (r.nav.roles === null || hasRole(viewer, r.nav.roles)),
  );
  return (
    <Page title={t.title(viewer.name)}>
      <h2>{t.yourRoles}</h2>
      <ul>
        {viewer.memberships.map((m) => (
          <li key={m.organisation.id}>
            <strong>{m.organisation.name}</strong>: {m.roles.map((r) => c[`role_${r}`]).join(', ')}
          </li>
        ))}
      </ul>
      <h2>{t.whatNext}</h2>
      <ul className="tiles">
        {pages.map((r) => (
          <li key={r.path}>
            <Link href={r.path}>{c[r.nav!.label]}</Link>
          </li>
        ))}
      </ul>
      <InvitedStands viewer={viewer} />
    </Page>
  );
}
