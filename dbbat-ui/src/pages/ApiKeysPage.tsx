import { useId, useState, type FormEvent } from 'react';
import { errorText } from '../api/errors';
import type { ApiKey, CreatedApiKey } from '../api/types';
import { useAuth } from '../auth';
import { ConfirmDialog, Dialog, FormDialog } from '../components/Dialog';
import { Badge, CopyButton, Empty, ErrorBanner, Field, Loading, PageHeader, RelTime } from '../components/ui';
import { useAsync, useConfirmAction, useDocumentTitle } from '../hooks';
import { formatCount, fromLocalInput } from '../lib/format';
import { can } from '../lib/roles';
import { useNames } from '../names';

function keyStatus(k: ApiKey, now = new Date()): 'active' | 'revoked' | 'expired' {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && new Date(k.expires_at) <= now) return 'expired';
  return 'active';
}

function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (k: CreatedApiKey) => void }) {
  const { api } = useAuth();
  const id = useId();
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError('Give the key a name, so you know later what uses it.');
      return;
    }
    const expiresAt = fromLocalInput(expires);
    if (expiresAt && new Date(expiresAt) <= new Date()) {
      setError('The expiry must be in the future.');
      return;
    }
    setBusy(true);
    try {
      onCreated(await api.createKey({ name: name.trim(), expires_at: expiresAt }));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <FormDialog title="New API key" onClose={onClose} noValidate onSubmit={submit} error={error} busy={busy} submitLabel="Create key">
      <Field label="Name" htmlFor={`${id}-name`}>
        <input id={`${id}-name`} name="name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
      </Field>
      <Field label="Expires (optional)" htmlFor={`${id}-exp`} hint="Empty = never expires.">
        <input id={`${id}-exp`} name="expires_at" type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

function ShowKeyDialog({ created, onClose }: { created: CreatedApiKey; onClose: () => void }) {
  const id = useId();
  return (
    <Dialog title="Your new API key" onClose={onClose}>
      <p>
        <strong>Copy it now: it is shown only once.</strong> Use it as a bearer token for the API, or as the password of a proxy connection.
      </p>
      <Field label={`Key "${created.name}"`} htmlFor={`${id}-key`}>
        <input id={`${id}-key`} className="mono" readOnly value={created.key} data-testid="new-api-key" onFocus={(e) => e.currentTarget.select()} />
      </Field>
      <div className="actions">
        <CopyButton text={created.key} label="Copy key" />
        <button type="button" className="primary" onClick={onClose}>I have saved it</button>
      </div>
    </Dialog>
  );
}

export function ApiKeysPage() {
  useDocumentTitle('API keys');
  const { api, user } = useAuth();
  const names = useNames();
  const [includeAll, setIncludeAll] = useState(false);
  const state = useAsync(() => api.listKeys({ include_all: includeAll || undefined }), [includeAll]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useConfirmAction();
  const [message, setMessage] = useState<string | null>(null);
  const manage = can(user?.roles, 'keys.manage');
  const isAdmin = can(user?.roles, 'users.manage');
  const keys = state.data ?? [];
  const id = useId();

  return (
    <section>
      <PageHeader title="API keys">
        <label className="check" htmlFor={`${id}-all`}>
          <input id={`${id}-all`} type="checkbox" checked={includeAll} onChange={(e) => setIncludeAll(e.target.checked)} />
          <span>Show revoked and expired</span>
        </label>
        {manage && <button type="button" className="primary" onClick={() => setCreating(true)}>New API key</button>}
      </PageHeader>
      {message && <p className="banner ok" role="status">{message}</p>}
      <ErrorBanner error={state.error} />
      {state.loading && !state.data && <Loading />}
      {state.data && keys.length === 0 && <Empty>No API keys.</Empty>}
      {keys.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                {isAdmin && <th scope="col">Owner</th>}
                <th scope="col">Prefix</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Requests</th>
                {manage && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const status = keyStatus(k);
                return (
                  <tr key={k.id}>
                    <td data-label="Name"><strong>{k.name}</strong></td>
                    {isAdmin && <td data-label="Owner">{names.userName(k.user_id)}</td>}
                    <td data-label="Prefix"><code>{k.key_prefix}…</code></td>
                    <td data-label="Status"><Badge kind={status === 'active' ? 'ok' : status === 'revoked' ? 'bad' : 'neutral'}>{status}</Badge></td>
                    <td data-label="Created"><RelTime value={k.created_at} /></td>
                    <td data-label="Expires">{k.expires_at ? <RelTime value={k.expires_at} /> : <span className="muted">never</span>}</td>
                    <td data-label="Last used">{k.last_used_at ? <RelTime value={k.last_used_at} /> : <span className="muted">never</span>}</td>
                    <td data-label="Requests">{formatCount(k.request_count ?? 0)}</td>
                    {manage && (
                      <td className="row-actions">
                        {status === 'active' && (isAdmin || k.user_id === user?.uid) && (
                          <button type="button" className="danger" onClick={() => { revoke.clearError(); setRevoking(k); }} aria-label={`Revoke key ${k.name}`}>Revoke</button>
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
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setCreated(k);
            state.reload();
          }}
        />
      )}
      {created && <ShowKeyDialog created={created} onClose={() => setCreated(null)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          message="Programs using this key stop working at once."
          confirmLabel="Revoke key"
          busy={revoke.busy}
          error={revoke.error}
          onClose={() => setRevoking(null)}
          onConfirm={() => revoke.run(async () => {
            await api.revokeKey(revoking.id);
            setRevoking(null);
            setMessage(`Key ${revoking.name} revoked.`);
            state.reload();
          })}
        />
      )}
    </section>
  );
}
