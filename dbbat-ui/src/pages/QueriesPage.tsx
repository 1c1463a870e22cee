import { useId } from 'react';
import { useAuth } from '../auth';
import { QueryTable } from '../components/QueryTable';
import { Empty, ErrorBanner, Field, Loading, PageHeader, Pager } from '../components/ui';
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
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <Field label="User" htmlFor={`${id}-u`}>
          <select id={`${id}-u`} value={f.user_id} onChange={(e) => setFilter('user_id', e.target.value)}>
            <option value="">Everyone</option>
            {names.users.map((u) => <option key={u.uid} value={u.uid}>{u.username}</option>)}
          </select>
        </Field>
        <Field label="Database" htmlFor={`${id}-d`}>
          <select id={`${id}-d`} value={f.database_id} onChange={(e) => setFilter('database_id', e.target.value)}>
            <option value="">All databases</option>
            {names.databases.map((d) => <option key={d.uid} value={d.uid}>{d.name}</option>)}
          </select>
        </Field>
        <Field label="From" htmlFor={`${id}-from`}>
          <input id={`${id}-from`} type="datetime-local" value={f.from} onChange={(e) => setFilter('from', e.target.value)} />
        </Field>
        <Field label="To" htmlFor={`${id}-to`}>
          <input id={`${id}-to`} type="datetime-local" value={f.to} onChange={(e) => setFilter('to', e.target.value)} />
        </Field>
        {f.connection_id && (
          <p className="muted small">
            Connection <code>{f.connection_id.slice(0, 8)}</code>{' '}
            <button type="button" className="link" onClick={() => setFilter('connection_id', '')}>remove</button>
          </p>
        )}
        {filtered && <button type="button" className="link" onClick={clear}>Clear filters</button>}
      </form>
      <ErrorBanner error={list.error} />
      {list.loading && !list.loaded && <Loading />}
      {list.loaded && list.items.length === 0 && <Empty>No statements match.</Empty>}
      {list.items.length > 0 && <QueryTable queries={list.items} showConnection />}
      {list.loaded && <Pager {...list.pager} />}
    </section>
  );
}
