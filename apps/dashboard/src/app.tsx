import type { SessionInfo } from '@agent-otp/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { SIGNED_OUT_EVENT } from './api.js';
import { Layout } from './components/layout.js';
import { Loading } from './components/states.js';
import { operations } from './operations.js';
import { AccountPage } from './pages/account/account.js';
import { ActivityPage } from './pages/activity/activity.js';
import { AgentsPage } from './pages/agents.js';
import { ApprovalDetailPage } from './pages/approval-detail.js';
import { ApprovalsPage } from './pages/approvals.js';
import { AuditPage } from './pages/audit.js';
import { NotFoundPage } from './pages/not-found.js';
import { PoliciesPage } from './pages/policies/policies.js';
import { RequestTimelinePage } from './pages/request-timeline.js';
import { RequestsPage } from './pages/requests.js';
import { SettingsPage } from './pages/settings.js';
import { SetupPage } from './pages/setup.js';
import { SignInPage } from './pages/sign-in.js';
import { SourcesPage } from './pages/sources.js';
import { matchPath, navigate, useLocation } from './router.js';
import { SessionContext } from './session.js';

type Auth = { state: 'checking' } | { state: 'signed-out' } | { state: 'signed-in'; session: SessionInfo };

const PUBLIC_PATHS = new Set(['/sign-in', '/setup']);

function SignedInPage({ path }: { path: string }) {
  if (path === '/') return <ApprovalsPage />;
  const approval = matchPath('/approvals/:id', path);
  if (approval?.id) return <ApprovalDetailPage id={approval.id} />;
  if (path === '/approvals') return <ApprovalsPage />;
  if (path === '/requests') return <RequestsPage />;
  const request = matchPath('/requests/:id', path);
  if (request?.id) return <RequestTimelinePage id={request.id} />;
  if (path === '/activity') return <ActivityPage />;
  if (path === '/agents') return <AgentsPage />;
  if (path === '/sources') return <SourcesPage />;
  if (path === '/policies') return <PoliciesPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/account') return <AccountPage />;
  return <NotFoundPage />;
}

/** Session check, redirects between signed-in and public pages, and the page for the path. */
export function App() {
  const { path, query } = useLocation();
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });

  useEffect(() => {
    operations.getSession().then(
      (session) => setAuth({ state: 'signed-in', session }),
      () => setAuth({ state: 'signed-out' }),
    );
    const signedOut = () => setAuth({ state: 'signed-out' });
    window.addEventListener(SIGNED_OUT_EVENT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, signedOut);
  }, []);

  const isPublic = PUBLIC_PATHS.has(path);
  const next = query.get('next');
  useEffect(() => {
    if (auth.state === 'signed-out' && !isPublic) {
      const here = `${window.location.pathname}${window.location.search}`;
      navigate(here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
    }
    if (auth.state === 'signed-in' && isPublic) {
      // Only ever an in-app path: never an open redirect to another site.
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [auth.state, isPublic, next]);

  const signedIn = useCallback((session: SessionInfo) => setAuth({ state: 'signed-in', session }), []);
  const signOut = useCallback(async () => {
    await operations.signOut().catch(() => undefined);
    setAuth({ state: 'signed-out' });
    navigate('/sign-in');
  }, []);
  const context = useMemo(
    () => (auth.state === 'signed-in' ? { session: auth.session, signOut } : undefined),
    [auth, signOut],
  );

  if (auth.state === 'checking') return <Loading what="your session" />;
  if (path === '/setup' && auth.state === 'signed-out') return <SetupPage onSignedIn={signedIn} />;
  if (auth.state === 'signed-out')
    return isPublic ? <SignInPage onSignedIn={signedIn} /> : <Loading what="the sign-in page" />;
  if (!context || isPublic) return <Loading what="your dashboard" />;
  return (
    <SessionContext.Provider value={context}>
      <Layout>
        <SignedInPage path={path} />
      </Layout>
    </SessionContext.Provider>
  );
}
