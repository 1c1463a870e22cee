import { useId } from 'react';
import { useAuth } from '../auth';
import { databaseOptions, FilterBar, FilterSelect, userOptions } from '../components/Filters';
import { PagedList } from '../components/PagedList';
import { Badge, PageHeader, RelTime } from '../components/ui';
import { useDocumentTitle, useInterval } from '../hooks';
import { isLive } from '../lib/dashboard';
import { formatBytes, formatCount } from '../lib/format';
import { can } from '../lib/roles';
import { useNames } from '../names';
import { Link } from '../router';
import { useFilters } from '../useFilters';
import { usePaged } from '../usePaged';

const KEYS = ['user_id', 'database_id', 'live'] as const;

export function ConnectionsPage() {
  useDocumentTitle('Connections');
  const { api, user } = useAuth();
  const names = useNames();
  const id = useId();
  const [f, setFilter, clear] = useFilters(KEYS);
  const all = can(user?.roles, 'observe.all');
  const list = usePaged((before, limit) => api.listConnections({ user_id: f.user_id, database_id: f.database_id, open_only: f.live ? true : undefined, before, limit }), `${f.user_id}|${f.database_id}|${f.live}`);
  useInterval(list.reload, 15_000); // live markers and counters

  return (
    <section>
      <PageHeader title="Connections">
        <button type="button" onClick={list.reload}>Refresh</button>
      </PageHeader>
      <FilterBar active={KEYS.some((k) => f[k])} onClear={clear}>
        {all && <FilterSelect id={`${id}-u`} label="User" any="Everyone" options={userOptions(names.users)} value={f.user_id} onChange={(v) => setFilter('user_id', v)} />}
        <FilterSelect id={`${id}-d`} label="Database" any="All databases" options={databaseOptions(names.databases)} value={f.database_id} onChange={(v) => setFilter('database_id', v)} />
        <label className="check" htmlFor={`${id}-live`}>
          <input id={`${id}-live`} type="checkbox" checked={!!f.live} onChange={(e) => setFilter('live', e.target.checked ? '1' : '')} />
          <span>Live only</span>
        </label>
      </FilterBar>
      <PagedList list={list} empty="No connections match.">
        {(items) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">User</th>
                  <th scope="col">Database</th>
                  <th scope="col">From</th>
                  <th scope="col">Connected</th>
                  <th scope="col">Last activity</th>
                  <th scope="col">Statements</th>
                  <th scope="col">Data</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.uid} className={isLive(c) ? 'live-row' : undefined}>
                    <td data-label="State">
                      {isLive(c) ? <Badge kind="live">live</Badge> : <Badge>closed</Badge>}
                    </td>
                    <td data-label="User"><Link to={`/connections/${c.uid}`}>{names.userName(c.user_id)}</Link></td>
                    <td data-label="Database">{names.dbName(c.database_id)}</td>
                    <td data-label="From"><code>{c.source_ip}</code></td>
                    <td data-label="Connected"><RelTime value={c.connected_at} /></td>
                    <td data-label="Last activity"><RelTime value={c.disconnected_at ?? c.last_activity_at} /></td>
                    <td data-label="Statements">{formatCount(c.queries)}</td>
                    <td data-label="Data">{formatBytes(c.bytes_transferred)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedList>
    </section>
  );
}
