// A signed-in user changes their own password (PUT /auth/password with their username).
import { useId } from 'react';
import { useAuth } from '../auth';
import { useNewPasswordForm } from './ChangePasswordForm';
import { FormDialog } from './Dialog';
import { Field } from './ui';

export function OwnPasswordDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { api, user } = useAuth();
  const id = useId();
  const { current, setCurrent, next, setNext, confirm, setConfirm, error, busy, submit } = useNewPasswordForm('', async (oldPassword, newPassword) => {
    await api.changePassword(user?.username ?? '', oldPassword, newPassword);
    onDone();
  });
  return (
    <FormDialog title="Change your password" onClose={onClose} noValidate onSubmit={submit} error={error} busy={busy} submitLabel="Change password">
      <input type="text" name="username" autoComplete="username" value={user?.username ?? ''} readOnly hidden />
      <Field label="Current password" htmlFor={`${id}-c`}>
        <input id={`${id}-c`} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </Field>
      <Field label="New password" htmlFor={`${id}-n`} hint="At least 8 characters.">
        <input id={`${id}-n`} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
      </Field>
      <Field label="Repeat the new password" htmlFor={`${id}-r`}>
        <input id={`${id}-r`} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
      </Field>
    </FormDialog>
  );
}
