import { useId } from 'react';
import { useAuth } from '../auth';
import { QueryTable } from '../components/QueryTable';
import { databaseOptions, FilterBar, FilterSelect, TimeFilter, userOptions } from '../components/Filters';
import { PagedList } from '../components/PagedList';
import { PageHeader } from '../components/ui';
import { useDocumentTitle } from '../hooks';
import { fromLocalInput } from '../lib/format';
import { useNames } from '../names';
import { useFilters } from '../useFilters';
import { usePaged } from '../usePaged';

const KEYS = ['user_id', 'database_id', 'connection_id', 'from', 'to'] as const;

export function QueriesPage() {
  useDocumentTitle('Queries');
  const { api } = useAuth();
  const names = useNames();
  const id = useId();
  const [f, setFilter, clear] = useFilters(KEYS);
  const key = KEYS.map((k) => f[k]).join('|');
  const list = usePaged(
    (before, limit) =>
      api.listQueries({
        user_id: f.user_id,
        database_id: f.database_id,
        connection_id: f.connection_id,
        start_time: fromLocalInput(f.from),
        end_time: fromLocalInput(f.to),
        before,
        limit,
      }),
    key,
  );
  const filtered = KEYS.some((k) => f[k]);

  return (
    <section>
      <PageHeader title="Queries">
        <button type="button" onClick={list.reload}>Refresh</button>
      </PageHeader>
      <FilterBar active={filtered} onClear={clear}>
        <FilterSelect id={`${id}-u`} label="User" any="Everyone" options={userOptions(names.users)} value={f.user_id} onChange={(v) => setFilter('user_id', v)} />
        <FilterSelect id={`${id}-d`} label="Database" any="All databases" options={databaseOptions(names.databases)} value={f.database_id} onChange={(v) => setFilter('database_id', v)} />
        <TimeFilter id={`${id}-from`} label="From" value={f.from} onChange={(v) => setFilter('from', v)} />
        <TimeFilter id={`${id}-to`} label="To" value={f.to} onChange={(v) => setFilter('to', v)} />
        {f.connection_id && (
          <p className="muted small">
            Connection <code>{f.connection_id.slice(0, 8)}</code>{' '}
            <button type="button" className="link" onClick={() => setFilter('connection_id', '')}>remove</button>
          </p>
        )}
      </FilterBar>
      <PagedList list={list} empty="No statements match.">
        {(items) => <QueryTable queries={items} showConnection />}
      </PagedList>
    </section>
  );
}
