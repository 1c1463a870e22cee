import { useAuth } from '../auth';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, RelTime } from '../components/ui';
import { useAsync, useDocumentTitle, useInterval } from '../hooks';
import { expiringSoon, isLive, isRefused } from '../lib/dashboard';
import { formatBytes, formatCount } from '../lib/format';
import { can } from '../lib/roles';
import { useNames } from '../names';
import { Link } from '../router';
import type { Connection, Grant, Query } from '../api/types';

const QUERY_SAMPLE = 1000;

interface Figures {
  connections: Connection[];
  grants: Grant[];
  queries: Query[] | null;
}

export function DashboardPage() {
  useDocumentTitle('Dashboard');
  const { api, user } = useAuth();
  const names = useNames();
  const observer = can(user?.roles, 'observe.queries');
  const state = useAsync<Figures>(async () => {
    const since = new Date(Date.now() - 3600_000).toISOString();
    const [connections, grants, queries] = await Promise.all([
      api.listConnections({ open_only: true, limit: 1000 }),
      api.listGrants({ active_only: true }),
      observer ? api.listQueries({ start_time: since, limit: QUERY_SAMPLE }) : Promise.resolve(null),
    ]);
    return { connections, grants, queries };
  }, [observer]);
  useInterval(state.reload, 30_000);

  const d = state.data;
  const live = d ? d.connections.filter(isLive) : [];
  const refused = d?.queries ? d.queries.filter(isRefused) : [];
  const failed = d?.queries ? d.queries.filter((q) => q.error && !isRefused(q)) : [];
  const soon = d ? expiringSoon(d.grants) : [];
  const capped = (n: number) => (n >= QUERY_SAMPLE ? `${formatCount(QUERY_SAMPLE)}+` : formatCount(n));

  return (
    <section>
      <PageHeader title="Dashboard">
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
      </PageHeader>
      <ErrorBanner error={state.error} />
      {!d && state.loading && <Loading />}
      {d && (
        <>
          <div className="stats">
            <div className="stat" data-testid="stat-live">
              <span className="stat-value">{formatCount(live.length)}</span>
              <span className="stat-label">active sessions now</span>
            </div>
            {d.queries && (
              <>
                <div className="stat" data-testid="stat-statements">
                  <span className="stat-value">{capped(d.queries.length)}</span>
                  <span className="stat-label">statements in the last hour</span>
                </div>
                <div className={refused.length ? 'stat warn' : 'stat'} data-testid="stat-refused">
                  <span className="stat-value">{formatCount(refused.length)}</span>
                  <span className="stat-label">refused in the last hour</span>
                </div>
                <div className={failed.length ? 'stat warn' : 'stat'}>
                  <span className="stat-value">{formatCount(failed.length)}</span>
                  <span className="stat-label">failed in the last hour</span>
                </div>
              </>
            )}
            <div className={soon.length ? 'stat warn' : 'stat'} data-testid="stat-expiring">
              <span className="stat-value">{formatCount(soon.length)}</span>
              <span className="stat-label">grants expiring within 7 days</span>
            </div>
          </div>

          <div className="grid2">
            <div className="panel">
              <h2>Active sessions</h2>
              {live.length === 0 ? (
                <Empty>No one is connected right now.</Empty>
              ) : (
                <ul className="plain">
                  {live.slice(0, 10).map((c) => (
                    <li key={c.uid}>
                      <Badge kind="live">live</Badge> <Link to={`/connections/${c.uid}`}>{names.userName(c.user_id)} → {names.dbName(c.database_id)}</Link>{' '}
                      <span className="muted">
                        since <RelTime value={c.connected_at} />, {formatCount(c.queries)} statements, {formatBytes(c.bytes_transferred)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <p>
                <Link to="/connections">All connections →</Link>
              </p>
            </div>
            <div className="panel">
              <h2>Grants expiring soon</h2>
              {soon.length === 0 ? (
                <Empty>No active grant ends within 7 days.</Empty>
              ) : (
                <ul className="plain">
                  {soon.slice(0, 10).map((g) => (
                    <li key={g.uid}>
                      {names.userName(g.user_id)} on {names.dbName(g.database_id)}: ends <RelTime value={g.expires_at} />
                    </li>
                  ))}
                </ul>
              )}
              <p>
                <Link to="/grants">All grants →</Link>
              </p>
            </div>
            {d.queries && (
              <div className="panel">
                <h2>Recent refusals</h2>
                {refused.length === 0 ? (
                  <Empty>No statement was refused in the last hour.</Empty>
                ) : (
                  <ul className="plain">
                    {refused.slice(0, 10).map((q) => (
                      <li key={q.uid}>
                        <Link to={`/queries/${q.uid}`}>
                          <code>{q.sql_text.slice(0, 80)}</code>
                        </Link>{' '}
                        <span className="muted">
                          <RelTime value={q.executed_at} />
                          {q.error ? `: ${q.error}` : ''}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                <p>
                  <Link to="/queries">All queries →</Link>
                </p>
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}
