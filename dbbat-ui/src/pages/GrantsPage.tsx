import { useId, useState, type FormEvent } from 'react';
import { errorText } from '../api/errors';
import type { Control, Grant } from '../api/types';
import { useAuth } from '../auth';
import { ConfirmDialog, FormDialog } from '../components/Dialog';
import { Badge, Empty, ErrorBanner, Field, Loading, PageHeader, RelTime, UsageBar } from '../components/ui';
import { useAsync, useConfirmAction, useDocumentTitle, useInterval } from '../hooks';
import { grantStatus } from '../lib/dashboard';
import { formatBytes, formatCount, formatDateTime, toLocalInput } from '../lib/format';
import { BYTE_UNITS, CONTROLS, grantRequestBody, type GrantFormState } from '../lib/grantform';
import { can } from '../lib/roles';
import { useNames, type Names } from '../names';

const DURATIONS: { label: string; hours: number }[] = [
  { label: '1 hour', hours: 1 },
  { label: '8 hours', hours: 8 },
  { label: '1 day', hours: 24 },
  { label: '1 week', hours: 24 * 7 },
  { label: '30 days', hours: 24 * 30 },
];

function CreateGrantDialog({ names, onClose, onCreated }: { names: Names; onClose: () => void; onCreated: () => void }) {
  const { api } = useAuth();
  const id = useId();
  const now = new Date();
  const [s, setS] = useState<GrantFormState>({
    user_id: '', database_id: '', starts_at: toLocalInput(now), expires_at: toLocalInput(new Date(now.getTime() + 8 * 3600_000)),
    controls: [], max_queries: '', max_bytes: '', bytes_unit: 'MiB',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof GrantFormState>(k: K, v: GrantFormState[K]) => setS((o) => ({ ...o, [k]: v }));
  const setDuration = (hours: number) => {
    const start = new Date(s.starts_at);
    const base = Number.isNaN(start.getTime()) ? new Date() : start;
    set('expires_at', toLocalInput(new Date(base.getTime() + hours * 3600_000)));
  };
  const toggle = (c: Control, on: boolean) => set('controls', on ? [...s.controls, c] : s.controls.filter((x) => x !== c));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = grantRequestBody(s);
    if (typeof body === 'string') {
      setError(body);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.createGrant(body);
      onCreated();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <FormDialog title="New grant" onClose={onClose} wide noValidate onSubmit={submit} error={error} busy={busy} submitLabel="Create grant">
      <div className="form-grid">
        <Field label="User" htmlFor={`${id}-user`}>
          <select id={`${id}-user`} name="user_id" value={s.user_id} onChange={(e) => set('user_id', e.target.value)} required>
            <option value="">Choose a user…</option>
            {names.users.map((u) => (
              <option key={u.uid} value={u.uid}>{u.username}</option>
            ))}
          </select>
        </Field>
        <Field label="Database" htmlFor={`${id}-db`}>
          <select id={`${id}-db`} name="database_id" value={s.database_id} onChange={(e) => set('database_id', e.target.value)} required>
            <option value="">Choose a database…</option>
            {names.databases.map((d) => (
              <option key={d.uid} value={d.uid}>{d.name}</option>
            ))}
          </select>
        </Field>
        <Field label="Starts" htmlFor={`${id}-start`}>
          <input id={`${id}-start`} name="starts_at" type="datetime-local" value={s.starts_at} onChange={(e) => set('starts_at', e.target.value)} required />
        </Field>
        <Field label="Ends" htmlFor={`${id}-end`} hint={
          <span className="chips">
            {DURATIONS.map((d) => (
              <button key={d.hours} type="button" className="chip" onClick={() => setDuration(d.hours)}>{d.label}</button>
            ))}
          </span>
        }>
          <input id={`${id}-end`} name="expires_at" type="datetime-local" value={s.expires_at} onChange={(e) => set('expires_at', e.target.value)} required />
        </Field>
      </div>
      <fieldset className="checks">
        <legend>Controls (none = full access)</legend>
        {CONTROLS.map((c) => (
          <label key={c.value} className="check" htmlFor={`${id}-${c.value}`}>
            <input id={`${id}-${c.value}`} type="checkbox" name={c.value} checked={s.controls.includes(c.value)} onChange={(e) => toggle(c.value, e.target.checked)} />
            <span>{c.label} <small className="muted">({c.help})</small></span>
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <Field label="Query quota" htmlFor={`${id}-maxq`} hint="Statements allowed in the window; empty = no limit.">
          <input id={`${id}-maxq`} name="max_query_counts" inputMode="numeric" value={s.max_queries} onChange={(e) => set('max_queries', e.target.value)} />
        </Field>
        <Field label="Data quota" htmlFor={`${id}-maxb`} hint="Bytes transferred in the window; empty = no limit.">
          <span className="inline">
            <input id={`${id}-maxb`} name="max_bytes_transferred" inputMode="decimal" value={s.max_bytes} onChange={(e) => set('max_bytes', e.target.value)} />
            <select aria-label="Data quota unit" value={s.bytes_unit} onChange={(e) => set('bytes_unit', e.target.value)}>
              {BYTE_UNITS.map((u) => (
                <option key={u.label} value={u.label}>{u.label}</option>
              ))}
            </select>
          </span>
        </Field>
      </div>
    </FormDialog>
  );
}

const STATUS_KIND = { active: 'ok', scheduled: 'info', expired: 'neutral', revoked: 'bad' } as const;

export function GrantsPage() {
  useDocumentTitle('Grants');
  const { api, user } = useAuth();
  const names = useNames();
  const [activeOnly, setActiveOnly] = useState(false);
  const state = useAsync(() => api.listGrants({ active_only: activeOnly || undefined }), [activeOnly]);
  useInterval(state.reload, 30_000); // live usage
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const revoke = useConfirmAction();
  const [message, setMessage] = useState<string | null>(null);
  const manage = can(user?.roles, 'grants.manage');
  const grants = state.data ?? [];
  const id = useId();

  return (
    <section>
      <PageHeader title="Grants">
        <label className="check" htmlFor={`${id}-active`}>
          <input id={`${id}-active`} type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} />
          <span>Active only</span>
        </label>
        <button type="button" onClick={state.reload}>Refresh</button>
        {manage && <button type="button" className="primary" onClick={() => setCreating(true)}>New grant</button>}
      </PageHeader>
      {message && <p className="banner ok" role="status">{message}</p>}
      <ErrorBanner error={state.error} />
      {state.loading && !state.data && <Loading />}
      {state.data && grants.length === 0 && <Empty>No grants.</Empty>}
      {grants.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Database</th>
                <th scope="col">Status</th>
                <th scope="col">Window</th>
                <th scope="col">Controls</th>
                <th scope="col">Usage</th>
                {manage && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {grants.map((g) => {
                const status = grantStatus(g);
                return (
                  <tr key={g.uid} data-grant={g.uid}>
                    <td data-label="User">{names.userName(g.user_id)}</td>
                    <td data-label="Database">{names.dbName(g.database_id)}</td>
                    <td data-label="Status">
                      <Badge kind={STATUS_KIND[status]}>{status}</Badge>
                      {g.revoked_at && <div className="muted small"><RelTime value={g.revoked_at} /></div>}
                    </td>
                    <td data-label="Window">
                      <div title={`${formatDateTime(g.starts_at)} → ${formatDateTime(g.expires_at)}`}>
                        <span className="muted">from</span> <RelTime value={g.starts_at} />
                        <br />
                        <span className="muted">until</span> <RelTime value={g.expires_at} />
                      </div>
                    </td>
                    <td data-label="Controls">
                      {(g.controls ?? []).length === 0 ? <Badge kind="warn">full access</Badge> : (g.controls ?? []).map((c) => <Badge key={c}>{c.replace('_', ' ')}</Badge>)}
                    </td>
                    <td data-label="Usage" className="usage-cell">
                      <UsageBar label="Queries" used={g.query_count} max={g.max_query_counts} format={formatCount} />
                      <UsageBar label="Data" used={g.bytes_transferred} max={g.max_bytes_transferred} format={formatBytes} />
                    </td>
                    {manage && (
                      <td className="row-actions">
                        {!g.revoked_at && status !== 'expired' && (
                          <button type="button" className="danger" onClick={() => { revoke.clearError(); setRevoking(g); }} aria-label={`Revoke grant of ${names.userName(g.user_id)} on ${names.dbName(g.database_id)}`}>
                            Revoke
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {creating && (
        <CreateGrantDialog
          names={names}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            setMessage('Grant created.');
            state.reload();
          }}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke this grant?"
          message={`${names.userName(revoking.user_id)} loses access to ${names.dbName(revoking.database_id)} now. A revoked grant cannot be restored.`}
          confirmLabel="Revoke grant"
          busy={revoke.busy}
          error={revoke.error}
          onClose={() => setRevoking(null)}
          onConfirm={() => revoke.run(async () => {
            await api.revokeGrant(revoking.uid);
            setRevoking(null);
            setMessage('Grant revoked.');
            state.reload();
          })}
        />
      )}
    </section>
  );
}
