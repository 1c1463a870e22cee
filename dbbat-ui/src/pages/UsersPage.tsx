import { useId, useState, type FormEvent } from 'react';
import { errorText } from '../api/errors';
import type { Role, User } from '../api/types';
import { useAuth } from '../auth';
import { ConfirmDialog, FormDialog } from '../components/Dialog';
import { Badge, Empty, ErrorBanner, Field, Loading, PageHeader, RelTime } from '../components/ui';
import { useAsync, useConfirmAction, useDocumentTitle } from '../hooks';
import { can } from '../lib/roles';

const ALL_ROLES: { role: Role; help: string }[] = [
  { role: 'admin', help: 'manages users, databases, grants' },
  { role: 'viewer', help: 'sees every connection, query and audit entry' },
  { role: 'connector', help: 'connects through the proxies' },
];

function RoleChecks({ idPrefix, value, onChange }: { idPrefix: string; value: Role[]; onChange: (r: Role[]) => void }) {
  return (
    <fieldset className="checks">
      <legend>Roles</legend>
      {ALL_ROLES.map(({ role, help }) => (
        <label key={role} htmlFor={`${idPrefix}-${role}`} className="check">
          <input
            id={`${idPrefix}-${role}`}
            type="checkbox"
            name={`role-${role}`}
            checked={value.includes(role)}
            onChange={(e) => onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))}
          />
          <span>
            {role} <small className="muted">({help})</small>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function CreateUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const { api } = useAuth();
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(['connector']);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (roles.length === 0) {
      setError('Choose at least one role.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.createUser({ username: username.trim(), password, roles });
      onCreated();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <FormDialog title="New user" onClose={onClose} onSubmit={submit} error={error} busy={busy} submitLabel="Create user">
      <Field label="Username" htmlFor={`${id}-u`}>
        <input id={`${id}-u`} name="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
      </Field>
      <Field label="Initial password" htmlFor={`${id}-p`} hint="The user must change it at first sign-in.">
        <input id={`${id}-p`} name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" />
      </Field>
      <RoleChecks idPrefix={`${id}-r`} value={roles} onChange={setRoles} />
    </FormDialog>
  );
}

function RolesDialog({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: () => void }) {
  const { api } = useAuth();
  const id = useId();
  const [roles, setRoles] = useState<Role[]>(user.roles ?? []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (roles.length === 0) {
      setError('Choose at least one role.');
      return;
    }
    setBusy(true);
    try {
      await api.updateUser(user.uid, { roles });
      onSaved();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <FormDialog title={`Roles of ${user.username}`} onClose={onClose} onSubmit={submit} error={error} busy={busy} submitLabel="Save roles">
      <RoleChecks idPrefix={`${id}-r`} value={roles} onChange={setRoles} />
    </FormDialog>
  );
}

function ResetPasswordDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: () => void }) {
  const { api } = useAuth();
  const id = useId();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 8) {
      setError('The new password must be at least 8 characters long.');
      return;
    }
    setBusy(true);
    try {
      await api.resetPassword(user.uid, password);
      onDone();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <FormDialog title={`Reset the password of ${user.username}`} onClose={onClose} onSubmit={submit} error={error} busy={busy} submitLabel="Reset password">
      <Field label="New password" htmlFor={`${id}-p`} hint="At least 8 characters. Tell the user through a safe channel.">
        <input id={`${id}-p`} name="new_password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
      </Field>
    </FormDialog>
  );
}

type Modal = { kind: 'create' } | { kind: 'roles' | 'reset' | 'delete'; user: User } | null;

export function UsersPage() {
  useDocumentTitle('Users');
  const { api, user: me } = useAuth();
  const state = useAsync(() => api.listUsers(), []);
  const [modal, setModal] = useState<Modal>(null);
  const [message, setMessage] = useState<string | null>(null);
  const deletion = useConfirmAction();
  const manage = can(me?.roles, 'users.manage');
  const reset = can(me?.roles, 'passwords.reset');
  const done = (text: string) => {
    setModal(null);
    setMessage(text);
    state.reload();
  };
  const users = state.data ?? [];

  return (
    <section>
      <PageHeader title="Users">
        {manage && (
          <button type="button" className="primary" onClick={() => setModal({ kind: 'create' })}>
            New user
          </button>
        )}
      </PageHeader>
      {message && <p className="banner ok" role="status">{message}</p>}
      <ErrorBanner error={state.error} />
      {state.loading && !state.data && <Loading />}
      {state.data && users.length === 0 && <Empty>No users.</Empty>}
      {users.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Roles</th>
                <th scope="col">Created</th>
                {(manage || reset) && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.uid}>
                  <td data-label="Username">
                    <strong>{u.username}</strong>
                    {u.uid === me?.uid && <span className="muted"> (you)</span>}
                  </td>
                  <td data-label="Roles">
                    {(u.roles ?? []).map((r) => (
                      <Badge key={r} kind={r === 'admin' ? 'info' : 'neutral'}>{r}</Badge>
                    ))}
                    {u.password_change_required && <Badge kind="warn">must change password</Badge>}
                  </td>
                  <td data-label="Created"><RelTime value={u.created_at} /></td>
                  {(manage || reset) && (
                    <td className="row-actions">
                      {manage && <button type="button" onClick={() => setModal({ kind: 'roles', user: u })} aria-label={`Change roles of ${u.username}`}>Roles</button>}
                      {reset && u.uid !== me?.uid && (
                        <button type="button" onClick={() => setModal({ kind: 'reset', user: u })} aria-label={`Reset password of ${u.username}`}>Reset password</button>
                      )}
                      {manage && u.uid !== me?.uid && (
                        <button type="button" className="danger" onClick={() => { deletion.clearError(); setModal({ kind: 'delete', user: u }); }} aria-label={`Delete ${u.username}`}>
                          Delete
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {modal?.kind === 'create' && <CreateUserDialog onClose={() => setModal(null)} onCreated={() => done('User created. They will choose their own password at first sign-in.')} />}
      {modal?.kind === 'roles' && <RolesDialog user={modal.user} onClose={() => setModal(null)} onSaved={() => done(`Roles of ${modal.user.username} saved.`)} />}
      {modal?.kind === 'reset' && <ResetPasswordDialog user={modal.user} onClose={() => setModal(null)} onDone={() => done(`Password of ${modal.user.username} reset.`)} />}
      {modal?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${modal.user.username}?`}
          message="The user can no longer sign in or connect. Their history stays in the logs."
          confirmLabel="Delete user"
          busy={deletion.busy}
          error={deletion.error}
          onClose={() => setModal(null)}
          onConfirm={() => deletion.run(async () => {
            await api.deleteUser(modal.user.uid);
            done(`${modal.user.username} deleted.`);
          })}
        />
      )}
    </section>
  );
}
