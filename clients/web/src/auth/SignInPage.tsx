/**
 * Signing in: with the organisation's identity provider when the hub has one; otherwise a code by
 * e-mail; and, with the demo data on a hub that is not in production, one button per demo user.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { RequestSignInCodeDocument, SignInDocument } from '../../../generated/graphql.ts';
import { request } from '../graphql/request.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { LocaleSelect } from '../i18n/LocaleSelect.tsx';
import { common } from '../ui/common.messages.ts';
import { ErrorNotice, Loading, Notice } from '../ui/states.tsx';
import { useAction } from '../ui/useAction.ts';
import { consoleConfig, demoUsers, type ConsoleConfig, type DemoUser } from './config.ts';
import { demoSignIn, fromHubSession } from './hub-session.ts';
import { sessions } from './session.ts';
import { signInMessages } from './sign-in.messages.ts';

export function SignInPage() {
  const t = useMessages(signInMessages);
  const c = useMessages(common);
  const [location] = useLocation();
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [users, setUsers] = useState<DemoUser[]>([]);
  const { busy, problem, setProblem, act } = useAction();

  useEffect(() => {
    document.title = `${t.title} · Maillage`;
  }, [t.title]);

  useEffect(() => {
    consoleConfig().then(
      async (cfg) => {
        setConfig(cfg);
        if (cfg.demoSignIn) setUsers(await demoUsers());
        if (location === '/sign-in/callback' && cfg.oidc) {
          await act(async () => {
            const { completeOidcSignIn } = await import('./oidc.ts');
            await completeOidcSignIn(cfg.oidc!);
          });
        }
      },
      (err: Error) => setProblem(err.message),
    );
    // Once, on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-top">
        <LocaleSelect />
      </div>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      {problem && <Notice kind="problem">{t.failed(problem)}</Notice>}
      {busy && <Loading label={t.signingIn} />}
      {!config && !problem && <Loading />}
      {config?.oidc && (
        <p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                const { startOidcSignIn } = await import('./oidc.ts');
                await startOidcSignIn(config.oidc!);
              })
            }
          >
            {t.withProvider}
          </button>
        </p>
      )}
      {config?.demoSignIn && users.length > 0 && (
        <section aria-labelledby="demo-title" className="card">
          <h2 id="demo-title">{t.demoTitle}</h2>
          <p>{t.demoIntro}</p>
          <ul className="demo-users">
            {users.map((u) => (
              <li key={u.email}>
                <button type="button" disabled={busy} onClick={() => void act(() => demoSignIn(u.email))}>
                  {t.demoAs(u.name)}
                </button>
                <span>
                  {c[`role_${u.role}` as keyof typeof c] as string} · {u.organisation}
                </span>
              </li>
            ))}
          </ul>
          <DemoByEmail busy={busy} act={act} />
        </section>
      )}
      {config?.codeSignIn && <CodeSignIn busy={busy} act={act} />}
      {problem && !config && <ErrorNotice error={problem} onRetry={() => window.location.reload()} />}
      <footer className="sign-in-footer">
        <a href="/developers">{t.developers}</a>
        {config?.graphiql && <a href="/graphql">GraphiQL</a>}
        <a href="/hsds/">HSDS</a>
      </footer>
    </main>
  );
}

/** Any other demo user (`npm run token -- --list` lists them): by address. */
function DemoByEmail({ busy, act }: { busy: boolean; act: (a: () => Promise<void>) => Promise<void> }) {
  const t = useMessages(signInMessages);
  const [email, setEmail] = useState('');
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void act(() => demoSignIn(email.trim()));
      }}
    >
      <label>
        {t.demoOther}
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        {t.signIn}
      </button>
    </form>
  );
}

function CodeSignIn({ busy, act }: { busy: boolean; act: (a: () => Promise<void>) => Promise<void> }) {
  const t = useMessages(signInMessages);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');

  const requestCode = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const data = await request(RequestSignInCodeDocument, { input: { email } });
      const r = data.requestSignInCode;
      if (r.__typename !== 'MutationRequestSignInCodeSuccess') throw new Error(r.message);
      setSent(true);
    });
  };
  const signIn = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const data = await request(SignInDocument, { input: { code: code.trim() } });
      const r = data.signIn;
      if (r.__typename !== 'MutationSignInSuccess') throw new Error(r.message);
      sessions.set(fromHubSession(r.data));
    });
  };
  return (
    <section aria-labelledby="code-title" className="card">
      <h2 id="code-title">{t.codeTitle}</h2>
      <form onSubmit={requestCode} className="inline-form">
        <label>
          {t.email}
          <input
            type="email"
            required
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {t.sendCode}
        </button>
      </form>
      {sent && (
        <>
          <Notice kind="ok">{t.codeSent}</Notice>
          <form onSubmit={signIn} className="inline-form">
            <label>
              {t.code}
              <input
                required
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </label>
            <button type="submit" className="primary" disabled={busy}>
              {t.signIn}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
