import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, errorText } from '../api/errors';
import { useAuth } from '../auth';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { Logo } from '../components/Logo';
import { useDocumentTitle } from '../hooks';
import { useRouter } from '../router';

const OAUTH_ERRORS: Record<string, string> = {
  OAUTH_PROVIDER_ERROR: 'The sign-in provider refused the request.',
  OAUTH_STATE_MISMATCH: 'The sign-in took too long or was started elsewhere. Please try again.',
  OAUTH_FAILED: 'Signing in with the provider failed. Please try again.',
  OAUTH_USER_NOT_LINKED: 'Your account is not linked to a DBBat user. Ask an administrator.',
};

function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  useDocumentTitle('Sign in');
  const id = useId();
  const { login, adoptToken, notice, clearNotice, status, api } = useAuth();
  const { location, navigate } = useRouter();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mustChange, setMustChange] = useState(false);
  const [slackUrl, setSlackUrl] = useState<string | null>(null);
  const next = safeNext(location.search.get('next'));

  // SSO redirect: ?code=<one-time exchange code> (the server's way), ?token=web_… (older servers) or ?error=CODE
  useEffect(() => {
    const code = location.search.get('code');
    const token = location.search.get('token');
    const oauthError = location.search.get('error');
    if (code) {
      navigate('/login', { replace: true });
      api
        .oauthExchange(code)
        .then((response) => adoptToken(response.token))
        .then(
          () => navigate('/', { replace: true }),
          (e) => setError(errorText(e)),
        );
    } else if (token) {
      navigate('/login', { replace: true });
      adoptToken(token).then(
        () => navigate('/', { replace: true }),
        (e) => setError(errorText(e)),
      );
    } else if (oauthError) {
      setError(OAUTH_ERRORS[oauthError] ?? 'Signing in failed. Please try again.');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    api.providers().then(
      (p) => setSlackUrl(p.providers?.find((x) => x.type === 'slack' && x.enabled)?.authorize_url ?? null),
      () => setSlackUrl(null),
    );
  }, [api]);

  useEffect(() => {
    if (status === 'authenticated') navigate(next, { replace: true });
  }, [status, next, navigate]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    clearNotice();
    try {
      await login(username, password);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'PASSWORD_CHANGE_REQUIRED') {
        setMustChange(true);
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  if (mustChange) {
    return (
      <div className="login-page">
        <ChangePasswordForm
          username={username}
          currentPassword={password}
          changePassword={(u, c, n) => api.changePassword(u, c, n)}
          onChanged={async (u, n) => {
            await login(u, n);
          }}
          onCancel={() => {
            setMustChange(false);
            setPassword('');
          }}
        />
      </div>
    );
  }

  return (
    <div className="login-page">
      <form className="card narrow" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <div className="login-brand"><Logo size={48} /></div>
        <h1 id={`${id}-title`}>Sign in to DBBat</h1>
        {notice && (
          <div className="banner info" role="status">
            {notice}
          </div>
        )}
        {error && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-user`}>Username</label>
          <input id={`${id}-user`} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </div>
        <div className="field">
          <label htmlFor={`${id}-pw`}>Password</label>
          <input id={`${id}-pw`} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        <div className="actions">
          <button type="submit" className="primary wide" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
        {slackUrl && (
          <p className="center">
            <a className="button" href={slackUrl}>
              Sign in with Slack
            </a>
          </p>
        )}
      </form>
    </div>
  );
}
