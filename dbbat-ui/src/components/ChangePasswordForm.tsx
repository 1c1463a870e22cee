// The forced password change of a new user, before login (PUT /auth/password, then log in).
import { useId, useState, type FormEvent } from 'react';
import { errorText } from '../api/errors';

export const MIN_PASSWORD_LENGTH = 8;

/** Client-side check before the server's: returns a sentence, or null when fine. */
export function validateNewPassword(current: string, next: string, confirm: string): string | null {
  if (new TextEncoder().encode(next).length < MIN_PASSWORD_LENGTH) return `The new password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (next !== confirm) return 'The two new passwords do not match.';
  if (next === current) return 'The new password must be different from the current one.';
  return null;
}

/**
 * Fields and submit of a password change: the local check of `validateNewPassword` first, then `send`; busy while it
 * runs, its failure as text.
 */
export function useNewPasswordForm(initialCurrent: string, send: (current: string, next: string) => Promise<void>) {
  const [current, setCurrent] = useState(initialCurrent);
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = validateNewPassword(current, next, confirm);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await send(current, next);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return { current, setCurrent, next, setNext, confirm, setConfirm, error, busy, submit };
}

export interface ChangePasswordProps {
  username: string;
  currentPassword?: string;
  /** PUT /auth/password */
  changePassword: (username: string, current: string, next: string) => Promise<unknown>;
  /** called after a successful change, with the new password (the caller logs in with it) */
  onChanged: (username: string, newPassword: string) => Promise<void> | void;
  onCancel: () => void;
}

export function ChangePasswordForm({ username: initialUser, currentPassword = '', changePassword, onChanged, onCancel }: ChangePasswordProps) {
  const id = useId();
  const [username, setUsername] = useState(initialUser);
  const { current, setCurrent, next, setNext, confirm, setConfirm, error, busy, submit } = useNewPasswordForm(currentPassword, async (oldPassword, newPassword) => {
    await changePassword(username, oldPassword, newPassword);
    await onChanged(username, newPassword);
  });

  return (
    <form className="card narrow" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Choose a new password</h1>
      <p className="muted">This is your first sign-in: replace the password you were given with one of your own (at least {MIN_PASSWORD_LENGTH} characters).</p>
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-user`}>Username</label>
        <input id={`${id}-user`} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-current`}>Current password</label>
        <input id={`${id}-current`} name="current_password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-new`}>New password</label>
        <input id={`${id}-new`} name="new_password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required autoFocus minLength={MIN_PASSWORD_LENGTH} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-confirm`}>Repeat the new password</label>
        <input id={`${id}-confirm`} name="confirm_password" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
      </div>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Back to sign-in
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password and sign in'}
        </button>
      </div>
    </form>
  );
}
