import { useId } from 'react';
import { useAuth } from '../auth';
import { FilterBar, FilterSelect, TimeFilter, userOptions } from '../components/Filters';
import { PagedList } from '../components/PagedList';
import { Badge, PageHeader, RelTime } from '../components/ui';
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
      <FilterBar active={KEYS.some((k) => f[k])} onClear={clear}>
        <FilterSelect id={`${id}-e`} label="Event" any="All events" options={EVENT_TYPES.map((t) => ({ value: t, label: t }))} value={f.event_type} onChange={(v) => setFilter('event_type', v)} />
        <FilterSelect id={`${id}-u`} label="About user" any="Anyone" options={userOptions(names.users)} value={f.user_id} onChange={(v) => setFilter('user_id', v)} />
        <FilterSelect id={`${id}-p`} label="Done by" any="Anyone" options={userOptions(names.users)} value={f.performed_by} onChange={(v) => setFilter('performed_by', v)} />
        <TimeFilter id={`${id}-from`} label="From" value={f.from} onChange={(v) => setFilter('from', v)} />
        <TimeFilter id={`${id}-to`} label="To" value={f.to} onChange={(v) => setFilter('to', v)} />
      </FilterBar>
      <PagedList list={list} empty="No audit events match.">
        {(items) => (
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
                {items.map((a) => (
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
      </PagedList>
    </section>
  );
}
