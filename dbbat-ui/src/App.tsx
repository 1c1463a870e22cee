import { useEffect } from 'react';
import { AuthProvider, useAuth } from './auth';
import { Layout } from './components/Layout';
import { Loading } from './components/ui';
import { matchPath, Router, useRouter } from './router';
import { LoginPage } from './pages/LoginPage';
import { DashboardPage } from './pages/DashboardPage';
import { UsersPage } from './pages/UsersPage';
import { DatabasesPage } from './pages/DatabasesPage';
import { GrantsPage } from './pages/GrantsPage';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { ConnectionPage } from './pages/ConnectionPage';
import { QueriesPage } from './pages/QueriesPage';
import { QueryPage } from './pages/QueryPage';
import { AuditPage } from './pages/AuditPage';
import { NotFoundPage } from './pages/NotFoundPage';
import type { ApiClient } from './api/client';
import type { ReactElement } from 'react';

const ROUTES: [string, (p: Record<string, string>) => ReactElement][] = [
  ['/', () => <DashboardPage />],
  ['/users', () => <UsersPage />],
  ['/databases', () => <DatabasesPage />],
  ['/grants', () => <GrantsPage />],
  ['/keys', () => <ApiKeysPage />],
  ['/connections', () => <ConnectionsPage />],
  ['/connections/:uid', (p) => <ConnectionPage uid={p.uid} />],
  ['/queries', () => <QueriesPage />],
  ['/queries/:uid', (p) => <QueryPage uid={p.uid} />],
  ['/audit', () => <AuditPage />],
];

function Routes() {
  const { status } = useAuth();
  const { location, navigate } = useRouter();
  const onLogin = location.path === '/login';

  useEffect(() => {
    if (status === 'anonymous' && !onLogin) {
      const next = location.path + (location.search.toString() ? `?${location.search}` : '');
      navigate(`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`, { replace: true });
    }
  }, [status, onLogin, location, navigate]);

  if (status === 'loading') return <Loading what="Checking your session…" />;
  if (onLogin || status === 'anonymous') return <LoginPage />;

  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, location.path);
    if (params) return <Layout>{render(params)}</Layout>;
  }
  return (
    <Layout>
      <NotFoundPage />
    </Layout>
  );
}

export function App({ client, base }: { client?: ApiClient; base?: string }) {
  return (
    <Router base={base}>
      <AuthProvider client={client}>
        <Routes />
      </AuthProvider>
    </Router>
  );
}
