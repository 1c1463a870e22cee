import { useId, useState, type FormEvent } from 'react';
import { errorText } from '../api/errors';
import type { Database, Protocol } from '../api/types';
import { useAuth } from '../auth';
import { ConfirmDialog, FormDialog } from '../components/Dialog';
import { Badge, Empty, ErrorBanner, Field, Loading, PageHeader } from '../components/ui';
import { useAsync, useConfirmAction, useDocumentTitle } from '../hooks';
import { dbFormFrom, dbRequestBody, emptyDbForm, PROTOCOLS, SSL_MODES, switchProtocol, validateDbForm, type DbFormState } from '../lib/dbform';
import { can } from '../lib/roles';

function DatabaseDialog({ original, onClose, onSaved }: { original?: Database; onClose: () => void; onSaved: (name: string) => void }) {
  const { api } = useAuth();
  const id = useId();
  const [s, setS] = useState<DbFormState>(() => (original ? dbFormFrom(original) : emptyDbForm()));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof DbFormState>(k: K, v: DbFormState[K]) => setS((old) => ({ ...old, [k]: v }));
  const oracle = s.protocol === 'oracle';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = validateDbForm(s, !original);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = dbRequestBody(s, original);
      if (original) await api.updateDatabase(original.uid, body);
      else await api.createDatabase(body);
      onSaved(s.name);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title={original ? `Edit ${original.name}` : 'New database'}
      onClose={onClose}
      wide
      noValidate
      onSubmit={submit}
      error={error}
      busy={busy}
      submitLabel={original ? 'Save changes' : 'Create database'}
    >
      <div className="form-grid">
        <Field label="Name" htmlFor={`${id}-name`} hint="What clients put as the database in their connection string.">
          <input id={`${id}-name`} name="name" value={s.name} onChange={(e) => set('name', e.target.value)} required disabled={!!original} />
        </Field>
        <Field label="Protocol" htmlFor={`${id}-proto`}>
          <select id={`${id}-proto`} name="protocol" value={s.protocol} onChange={(e) => setS(switchProtocol(s, e.target.value as Protocol))}>
            {PROTOCOLS.map((p) => (
              <option key={p.value} value={p.value}>{p.label}</option>
            ))}
          </select>
        </Field>
        <Field label="Description" htmlFor={`${id}-desc`}>
          <input id={`${id}-desc`} name="description" value={s.description} onChange={(e) => set('description', e.target.value)} />
        </Field>
        <Field label="Host" htmlFor={`${id}-host`}>
          <input id={`${id}-host`} name="host" value={s.host} onChange={(e) => set('host', e.target.value)} required autoComplete="off" />
        </Field>
        <Field label="Port" htmlFor={`${id}-port`}>
          <input id={`${id}-port`} name="port" inputMode="numeric" value={s.port} onChange={(e) => set('port', e.target.value)} required />
        </Field>
        {oracle ? (
          <Field label="Service name" htmlFor={`${id}-svc`}>
            <input id={`${id}-svc`} name="oracle_service_name" value={s.oracle_service_name} onChange={(e) => set('oracle_service_name', e.target.value)} placeholder="FREEPDB1" />
          </Field>
        ) : (
          <Field label="Database name on the target" htmlFor={`${id}-dbname`}>
            <input id={`${id}-dbname`} name="database_name" value={s.database_name} onChange={(e) => set('database_name', e.target.value)} required />
          </Field>
        )}
        {!oracle && (
          <Field label="TLS to the target (ssl_mode)" htmlFor={`${id}-ssl`}>
            <select id={`${id}-ssl`} name="ssl_mode" value={s.ssl_mode} onChange={(e) => set('ssl_mode', e.target.value)}>
              {SSL_MODES.map((m) => (
                <option key={m} value={m}>{m}</option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Target username" htmlFor={`${id}-user`}>
          <input id={`${id}-user`} name="username" value={s.username} onChange={(e) => set('username', e.target.value)} required autoComplete="off" />
        </Field>
        <Field label="Target password" htmlFor={`${id}-pw`} hint={original ? 'Write-only. Leave empty to keep the stored password.' : 'Write-only: stored encrypted, never shown again.'}>
          <input id={`${id}-pw`} name="password" type="password" value={s.password} onChange={(e) => set('password', e.target.value)} autoComplete="new-password" required={!original} />
        </Field>
      </div>
      <fieldset className="subform">
        <legend>Read-only credential (optional)</legend>
        <p className="muted small">
          A second target login that DBBat uses for read-only grants.
          {original?.has_readonly_credential ? ' One is stored now.' : ''}
        </p>
        {original?.has_readonly_credential && (
          <label className="check" htmlFor={`${id}-rmro`}>
            <input id={`${id}-rmro`} type="checkbox" checked={s.remove_readonly} onChange={(e) => set('remove_readonly', e.target.checked)} />
            <span>Remove the stored read-only credential</span>
          </label>
        )}
        {!s.remove_readonly && (
          <div className="form-grid">
            <Field label="Read-only username" htmlFor={`${id}-rou`}>
              <input id={`${id}-rou`} name="readonly_username" value={s.readonly_username} onChange={(e) => set('readonly_username', e.target.value)} autoComplete="off" />
            </Field>
            <Field label="Read-only password" htmlFor={`${id}-rop`} hint={original?.has_readonly_credential ? 'Leave empty to keep the stored one.' : undefined}>
              <input id={`${id}-rop`} name="readonly_password" type="password" value={s.readonly_password} onChange={(e) => set('readonly_password', e.target.value)} autoComplete="new-password" />
            </Field>
          </div>
        )}
      </fieldset>
    </FormDialog>
  );
}

type Modal = { kind: 'create' } | { kind: 'edit' | 'delete'; db: Database } | null;

export function DatabasesPage() {
  useDocumentTitle('Databases');
  const { api, user } = useAuth();
  const state = useAsync(() => api.listDatabases(), []);
  const [modal, setModal] = useState<Modal>(null);
  const [message, setMessage] = useState<string | null>(null);
  const deletion = useConfirmAction();
  const manage = can(user?.roles, 'databases.manage');
  const dbs = state.data ?? [];
  const full = dbs.some((d) => d.host !== undefined);
  const done = (text: string) => {
    setModal(null);
    setMessage(text);
    state.reload();
  };

  return (
    <section>
      <PageHeader title="Databases">
        {manage && <button type="button" className="primary" onClick={() => setModal({ kind: 'create' })}>New database</button>}
      </PageHeader>
      {message && <p className="banner ok" role="status">{message}</p>}
      <ErrorBanner error={state.error} />
      {state.loading && !state.data && <Loading />}
      {state.data && dbs.length === 0 && <Empty>{manage ? 'No database yet. Add the first target.' : 'No database is available to you.'}</Empty>}
      {dbs.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                {full && <th scope="col">Protocol</th>}
                {full && <th scope="col">Target</th>}
                {full && <th scope="col">Login</th>}
                {manage && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {dbs.map((d) => (
                <tr key={d.uid}>
                  <td data-label="Name"><strong>{d.name}</strong></td>
                  <td data-label="Description">{d.description || <span className="muted">—</span>}</td>
                  {full && <td data-label="Protocol"><Badge>{d.protocol ?? 'postgresql'}</Badge></td>}
                  {full && (
                    <td data-label="Target">
                      <code>
                        {d.host}:{d.port}/{d.protocol === 'oracle' ? d.oracle_service_name ?? d.database_name : d.database_name}
                      </code>
                      {d.ssl_mode && <span className="muted"> ssl {d.ssl_mode}</span>}
                    </td>
                  )}
                  {full && (
                    <td data-label="Login">
                      {d.username}
                      {d.has_readonly_credential && <> <Badge kind="info">+ read-only login</Badge></>}
                    </td>
                  )}
                  {manage && (
                    <td className="row-actions">
                      <button type="button" onClick={() => setModal({ kind: 'edit', db: d })} aria-label={`Edit ${d.name}`}>Edit</button>
                      <button type="button" className="danger" onClick={() => { deletion.clearError(); setModal({ kind: 'delete', db: d }); }} aria-label={`Delete ${d.name}`}>Delete</button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {modal?.kind === 'create' && <DatabaseDialog onClose={() => setModal(null)} onSaved={(n) => done(`Database ${n} created.`)} />}
      {modal?.kind === 'edit' && <DatabaseDialog original={modal.db} onClose={() => setModal(null)} onSaved={(n) => done(`Database ${n} saved.`)} />}
      {modal?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${modal.db.name}?`}
          message="Clients can no longer connect to it. Its connection and query history stays."
          confirmLabel="Delete database"
          busy={deletion.busy}
          error={deletion.error}
          onClose={() => setModal(null)}
          onConfirm={() => deletion.run(async () => {
            await api.deleteDatabase(modal.db.uid);
            done(`Database ${modal.db.name} deleted.`);
          })}
        />
      )}
    </section>
  );
}
