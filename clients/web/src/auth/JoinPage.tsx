/**
 * `/join`: accepting an invitation to an organisation, signed out or in. Without a partner
 * identity provider, a new member gives their name and language and is signed in by the answer;
 * with one, they sign in there first and come back accepted (auth/join.ts, auth/oidc.ts). Someone
 * already signed in accepts with their account (an invitation to a second organisation).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { useMaybeViewer } from '../app/viewer.tsx';
import { useFormat, useLocale, useMessages } from '../i18n/i18n.tsx';
import { LocaleSelect } from '../i18n/LocaleSelect.tsx';
import { common } from '../ui/common.messages.ts';
import { Page } from '../ui/Page.tsx';
import { Loading, Notice } from '../ui/states.tsx';
import { useAction } from '../ui/useAction.ts';
import { consoleConfig, type ConsoleConfig } from './config.ts';
import {
  acceptInvitation,
  keepJoinCode,
  looksLikeInvitationCode,
  previewInvitation,
  takeJoinCode,
  unusableReason,
  type InvitationPreview,
} from './join.ts';
import { joinMessages } from './join.messages.ts';
import { sessions } from './session.ts';
import { useSession } from './useSession.ts';

export default function JoinPage() {
  const t = useMessages(joinMessages);
  const c = useMessages(common);
  const { locale } = useLocale();
  const [, navigate] = useLocation();
  const session = useSession();
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [code, setCode] = useState(takeJoinCode);
  const [name, setName] = useState('');
  const { busy, problem, setProblem, act } = useAction();
  const [joined, setJoined] = useState<string | null>(null);
  // What the code invites to, read as soon as it has an invitation code's shape.
  const [preview, setPreview] = useState<{ code: string; invitation: InvitationPreview | null } | null>(null);
  useEffect(() => {
    const typed = code.trim();
    if (!looksLikeInvitationCode(typed)) return;
    let current = true;
    previewInvitation(typed, session?.token).then(
      (invitation) => {
        if (!current) return;
        setPreview({ code: typed, invitation });
        if (invitation?.name) setName((n) => n || invitation.name!);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [code, session?.token]);
  const shown = preview?.code === code.trim() ? preview : null;
  // Said before the person tries: an unknown, spent, expired or withdrawn code.
  const previewProblem = shown && (shown.invitation ? unusableReason(shown.invitation.status) : t.notFound);

  useEffect(() => {
    document.title = `${t.title} · Maillage`;
  }, [t.title, joined]);
  useEffect(() => {
    consoleConfig().then(setConfig, (err: Error) => setProblem(err.message));
  }, [setProblem]);

  const accept = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      if (!session && config?.oidc) {
        // The provider's sign-in first; its callback accepts with the provider's token.
        keepJoinCode(code.trim());
        const { startOidcSignIn } = await import('./oidc.ts');
        await startOidcSignIn(config.oidc);
        return;
      }
      const done = await acceptInvitation(code, { name, locale }, session?.token);
      const roles = done.roles.map((r) => c[`role_${r}`]).join(', ');
      if (done.session) {
        // A new session: the console opens on its start page, as this person.
        navigate('/', { replace: true });
        sessions.set(done.session);
        return;
      }
      setJoined(t.accepted(done.organisation, roles));
    });
  };

  const viewer = useMaybeViewer();
  const withProvider = !session && !!config?.oidc;
  const body = joined ? (
    <>
      <Notice kind="ok">{joined}</Notice>
      <p>
        {/* A full load: the menu and pages follow the new roles. */}
        <a className="button primary" href="/">
          {t.goHome}
        </a>
      </p>
    </>
  ) : (
    <>
      <p>{t.intro}</p>
      {shown?.invitation && <Invited invitation={shown.invitation} />}
      {previewProblem && !problem && <Notice kind="problem">{previewProblem}</Notice>}
      {problem && <Notice kind="problem">{problem}</Notice>}
      {!config && !problem && <Loading />}
      {config && (
        <form className="form card" onSubmit={accept}>
          <label>
            {t.code}
            <input
              name="code"
              required
              autoComplete="one-time-code"
              spellCheck={false}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
          {!session && !withProvider && (
            <label>
              {t.name}
              <input
                name="name"
                autoComplete="name"
                aria-describedby="join-name-hint"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
              <small id="join-name-hint" className="muted">
                {t.nameHint}
              </small>
            </label>
          )}
          {withProvider && <p className="muted">{t.providerHint}</p>}
          <p>
            <button type="submit" className="primary" disabled={busy}>
              {withProvider ? t.withProvider : viewer ? t.acceptAs(viewer.email) : t.accept}
            </button>
          </p>
          {busy && <Loading label={t.accepting} />}
        </form>
      )}
    </>
  );

  // Signed in, a page of the console (under its menu); signed out, a page of its own.
  if (viewer) return <Page title={t.title}>{body}</Page>;
  return (
    <main className="sign-in" id="main">
      <div className="sign-in-top">
        <LocaleSelect />
      </div>
      <h1>{t.title}</h1>
      {body}
      {!joined && (
        <p>
          <a href="/">{t.signIn}</a>
        </p>
      )}
    </main>
  );
}

/** What the invitation is for: organisation, address, roles, until when. */
function Invited({ invitation }: { invitation: InvitationPreview }) {
  const t = useMessages(joinMessages);
  const c = useMessages(common);
  const fmt = useFormat();
  return (
    <section className="card" aria-label={t.invitedTo(invitation.organisation.name)}>
      <p>
        <strong>{t.invitedTo(invitation.organisation.name)}</strong>
      </p>
      <ul>
        <li>{t.invitedAddress(invitation.email)}</li>
        <li>{t.invitedRoles(invitation.roles.map((r) => c[`role_${r}`]).join(', '))}</li>
        <li>{t.validUntil(fmt.dateTime(invitation.expiresAt))}</li>
      </ul>
    </section>
  );
}
