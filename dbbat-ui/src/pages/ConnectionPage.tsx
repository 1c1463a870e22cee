import { useAuth } from '../auth';
import { QueryTable } from '../components/QueryTable';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, RelTime } from '../components/ui';
import { useAsync, useDocumentTitle } from '../hooks';
import { isLive } from '../lib/dashboard';
import { formatBytes, formatCount, formatDateTime, shortId } from '../lib/format';
import { can } from '../lib/roles';
import { useNames } from '../names';
import { Link } from '../router';
import { usePaged } from '../usePaged';

export function ConnectionPage({ uid }: { uid: string }) {
  useDocumentTitle(`Connection ${shortId(uid)}`);
  const { api, user } = useAuth();
  const names = useNames();
  const conn = useAsync(() => api.getConnection(uid), [uid]);
  const observer = can(user?.roles, 'observe.queries');
  const queries = usePaged((before, limit) => (observer ? api.listQueries({ connection_id: uid, before, limit }) : Promise.resolve([])), uid);
  const c = conn.data;

  return (
    <section>
      <p className="crumbs"><Link to="/connections">← Connections</Link></p>
      <PageHeader title={c ? `${names.userName(c.user_id)} → ${names.dbName(c.database_id)}` : 'Connection'}>
        <button type="button" onClick={() => { conn.reload(); queries.reload(); }}>Refresh</button>
      </PageHeader>
      <ErrorBanner error={conn.error} />
      {conn.loading && !c && <Loading />}
      {c && (
        <dl className="facts">
          <div><dt>State</dt><dd>{isLive(c) ? <Badge kind="live">live</Badge> : <Badge>closed</Badge>}</dd></div>
          <div><dt>User</dt><dd>{names.userName(c.user_id)}</dd></div>
          <div><dt>Database</dt><dd>{names.dbName(c.database_id)}</dd></div>
          {c.protocol && <div><dt>Protocol</dt><dd>{c.protocol}</dd></div>}
          <div><dt>Client address</dt><dd><code>{c.source_ip}</code></dd></div>
          <div><dt>Connected</dt><dd>{formatDateTime(c.connected_at)} (<RelTime value={c.connected_at} />)</dd></div>
          <div><dt>Last activity</dt><dd><RelTime value={c.last_activity_at} /></dd></div>
          {c.disconnected_at && <div><dt>Disconnected</dt><dd>{formatDateTime(c.disconnected_at)}{c.close_reason ? ` (${c.close_reason})` : ''}</dd></div>}
          <div><dt>Statements</dt><dd>{formatCount(c.queries)}</dd></div>
          <div><dt>Data transferred</dt><dd>{formatBytes(c.bytes_transferred)}</dd></div>
          <div><dt>Connection id</dt><dd><code>{c.uid}</code></dd></div>
        </dl>
      )}
      {observer && (
        <>
          <h2>Statements</h2>
          <ErrorBanner error={queries.error} />
          {queries.loading && !queries.loaded && <Loading />}
          {queries.loaded && queries.items.length === 0 && <Empty>No statement was logged on this connection.</Empty>}
          {queries.items.length > 0 && <QueryTable queries={queries.items} />}
          {queries.loaded && <Pager {...queries.pager} />}
        </>
      )}
    </section>
  );
}
