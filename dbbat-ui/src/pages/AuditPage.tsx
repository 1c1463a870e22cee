import { useId } from 'react';
import { useAuth } from '../auth';
import { Badge, Empty, ErrorBanner, Field, Loading, PageHeader, Pager, RelTime } from '../components/ui';
import { useDocumentTitle } from '../hooks';
import { fromLocalInput } from '../lib/format';
import { useNames } from '../names';
import { useFilters } from '../useFilters';
import { usePaged } from '../usePaged';

const KEYS = ['event_type', 'user_id', 'performed_by', 'from', 'to'] as const;

export const EVENT_TYPES = [
  'user.created', 'user.updated', 'user.deleted',
  'database.created', 'database.updated', 'database.deleted',
  'grant.created', 'grant.revoked',
  'api_key.created', 'api_key.revoked',
];

function Details({ details }: { details: unknown }) {
  if (details === null || details === undefined) return <span className="muted">—</span>;
  if (typeof details !== 'object') return <code>{String(details)}</code>;
  const entries = Object.entries(details as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="kv">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd><code>{typeof v === 'string' ? v : JSON.stringify(v)}</code></dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditPage() {
  useDocumentTitle('Audit log');
  const { api } = useAuth();
  const names = useNames();
  const id = useId();
  const [f, setFilter, clear] = useFilters(KEYS);
  const list = usePaged(
    (before, limit) =>
      api.listAudit({
        event_type: f.event_type,
        user_id: f.user_id,
        performed_by: f.performed_by,
        start_time: fromLocalInput(f.from),
        end_time: fromLocalInput(f.to),
        before,
        limit,
      }),
    KEYS.map((k) => f[k]).join('|'),
  );

  return (
    <section>
      <PageHeader title="Audit log">
        <button type="button" onClick={list.reload}>Refresh</button>
      </PageHeader>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <Field label="Event" htmlFor={`${id}-e`}>
          <select id={`${id}-e`} value={f.event_type} onChange={(e) => setFilter('event_type', e.target.value)}>
            <option value="">All events</option>
            {EVENT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </Field>
        <Field label="About user" htmlFor={`${id}-u`}>
          <select id={`${id}-u`} value={f.user_id} onChange={(e) => setFilter('user_id', e.target.value)}>
            <option value="">Anyone</option>
            {names.users.map((u) => <option key={u.uid} value={u.uid}>{u.username}</option>)}
          </select>
        </Field>
        <Field label="Done by" htmlFor={`${id}-p`}>
          <select id={`${id}-p`} value={f.performed_by} onChange={(e) => setFilter('performed_by', e.target.value)}>
            <option value="">Anyone</option>
            {names.users.map((u) => <option key={u.uid} value={u.uid}>{u.username}</option>)}
          </select>
        </Field>
        <Field label="From" htmlFor={`${id}-from`}>
          <input id={`${id}-from`} type="datetime-local" value={f.from} onChange={(e) => setFilter('from', e.target.value)} />
        </Field>
        <Field label="To" htmlFor={`${id}-to`}>
          <input id={`${id}-to`} type="datetime-local" value={f.to} onChange={(e) => setFilter('to', e.target.value)} />
        </Field>
        {KEYS.some((k) => f[k]) && <button type="button" className="link" onClick={clear}>Clear filters</button>}
      </form>
      <ErrorBanner error={list.error} />
      {list.loading && !list.loaded && <Loading />}
      {list.loaded && list.items.length === 0 && <Empty>No audit events match.</Empty>}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Done by</th>
                <th scope="col">About</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((a) => (
                <tr key={a.uid}>
                  <td data-label="When"><RelTime value={a.created_at} /></td>
                  <td data-label="Event"><Badge kind={a.event_type.endsWith('deleted') || a.event_type.endsWith('revoked') ? 'bad' : 'info'}>{a.event_type}</Badge></td>
                  <td data-label="Done by">{a.performed_by ? names.userName(a.performed_by) : '—'}</td>
                  <td data-label="About">{a.user_id ? names.userName(a.user_id) : '—'}</td>
                  <td data-label="Details"><Details details={a.details} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.loaded && <Pager {...list.pager} />}
    </section>
  );
}
