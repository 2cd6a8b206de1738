/**
 * The console: signed out, the sign-in page (or `/join`, accepting an invitation); signed in, the menu of what the viewer's roles allow
 * and the page the address names. The GraphQL client (and its cache) is made anew for each
 * session, so nothing read by one person is shown to the next one on the same browser.
 */
import { Provider, useQuery } from 'urql';
import { Suspense, useEffect, useState } from 'react';
import { Route, Switch, useLocation } from 'wouter';
import { ViewerDocument } from '../../../generated/graphql.ts';
import JoinPage from '../auth/JoinPage.tsx';
import { SignInPage } from '../auth/SignInPage.tsx';
import { useSession } from '../auth/useSession.ts';
import { createConsoleClient, setRequestLanguage } from '../graphql/client.ts';
import { LiveReferrals } from '../graphql/live.tsx';
import { I18nProvider, useLocale, useMessages } from '../i18n/i18n.tsx';
import { common } from '../ui/common.messages.ts';
import { Page } from '../ui/Page.tsx';
import { ErrorNotice, Loading } from '../ui/states.tsx';
import { Layout } from './Layout.tsx';
import { ROUTES } from './routes.ts';
import { ViewerProvider } from './viewer.tsx';
import '../auth/hub-session.ts';

export function App() {
  return (
    <I18nProvider>
      <Console />
    </I18nProvider>
  );
}

function Console() {
  const session = useSession();
  const { locale } = useLocale();
  setRequestLanguage(locale);
  if (!session) {
    return (
      <Switch>
        <Route path="/sign-in/callback" component={SignInPage} />
        <Route path="/join" component={JoinPage} />
        <Route component={SignInPage} />
      </Switch>
    );
  }
  return <WithClient />;
}

/** Mounted while signed in: a new client (an empty cache) for each person who signs in. */
function WithClient() {
  const [client] = useState(createConsoleClient);
  return (
    <Provider value={client}>
      <SignedIn />
    </Provider>
  );
}

function SignedIn() {
  const [result, retry] = useQuery({ query: ViewerDocument, requestPolicy: 'cache-first' });
  const [location, navigate] = useLocation();
  useEffect(() => {
    // Back from the identity provider, or from the sign-in page.
    if (location === '/sign-in' || location === '/sign-in/callback') navigate('/', { replace: true });
  }, [location, navigate]);
  const viewer = result.data?.viewer;
  if (!viewer) {
    return (
      <main className="centre" id="main">
        {result.error ? (
          <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
        ) : (
          <Loading />
        )}
      </main>
    );
  }
  return (
    <ViewerProvider viewer={viewer}>
      <LiveReferrals>
        <Layout>
          <Suspense fallback={<Loading />}>
            <Switch>
              <Route path="/join" component={JoinPage} />
              {ROUTES.map((r) => (
                <Route key={r.path} path={r.path} component={r.component} />
              ))}
              <Route component={NotFound} />
            </Switch>
          </Suspense>
        </Layout>
      </LiveReferrals>
    </ViewerProvider>
  );
}

function NotFound() {
  const t = useMessages(common);
  return (
    <Page title={t.notFound}>
      <p>
        <a href="/">{t.backHome}</a>
      </p>
    </Page>
  );
}
