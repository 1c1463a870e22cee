import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, TOKEN_KEY } from '../src/api/client';
import { App } from '../src/App';
import { ChangePasswordForm, validateNewPassword } from '../src/components/ChangePasswordForm';
import { Dialog } from '../src/components/Dialog';
import { UsageBar } from '../src/components/ui';
import { fakeFetch, type Handler } from './fakeFetch';

const ADMIN = { uid: 'a1', username: 'admin', roles: ['admin', 'connector'], password_change_required: false };
const VIEWER = { uid: 'v1', username: 'viewer', roles: ['viewer'], password_change_required: false };

function baseRoutes(me: typeof ADMIN): Record<string, Handler> {
  return {
    'GET /auth/me': () => ({ body: me }),
    'GET /auth/providers': () => ({ body: { providers: [{ type: 'password', enabled: true }] } }),
    'GET /users': () => ({ body: { users: [ADMIN, VIEWER] } }),
    'GET /databases': () => ({ body: { databases: [] } }),
    'GET /grants': () => ({ body: { grants: [] } }),
    'GET /connections': () => ({ body: { connections: [] } }),
    'GET /queries': () => ({ body: { queries: [] } }),
    'GET /keys': () => ({ body: { keys: [] } }),
  };
}

function renderApp(path: string, routes: Record<string, Handler>) {
  window.history.replaceState(null, '', path);
  const f = fakeFetch(routes);
  const client = new ApiClient({ baseUrl: '/api/v1', fetch: f.fetch, storage: localStorage });
  render(<App client={client} base="" />);
  return { client, calls: f.calls };
}

describe('validateNewPassword', () => {
  it('asks for 8 characters, a match, and a change', () => {
    expect(validateNewPassword('old', 'short', 'short')).toMatch(/at least 8/);
    expect(validateNewPassword('old', 'long-enough', 'long-enougH')).toMatch(/do not match/);
    expect(validateNewPassword('same-pass', 'same-pass', 'same-pass')).toMatch(/different/);
    expect(validateNewPassword('old', 'long-enough', 'long-enough')).toBeNull();
  });
});

describe('ChangePasswordForm', () => {
  it('changes the password, then hands the new one to the caller', async () => {
    const change = vi.fn().mockResolvedValue({ message: 'ok' });
    const changed = vi.fn();
    render(<ChangePasswordForm username="bob" currentPassword="initial" changePassword={change} onChanged={changed} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'brand-new-pw' } });
    fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: 'brand-new-pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));
    await waitFor(() => expect(changed).toHaveBeenCalledWith('bob', 'brand-new-pw'));
    expect(change).toHaveBeenCalledWith('bob', 'initial', 'brand-new-pw');
  });

  it('checks locally before calling the server', async () => {
    const change = vi.fn();
    render(<ChangePasswordForm username="bob" currentPassword="initial" changePassword={change} onChanged={() => {}} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'short' } });
    fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: 'short' } });
    fireEvent.submit(screen.getByLabelText('New password').closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toMatch(/at least 8 characters/);
    expect(change).not.toHaveBeenCalled();
  });
});

describe('login flow', () => {
  it('shows the forced password change, changes it, and signs in with the new password', async () => {
    let logins = 0;
    const routes: Record<string, Handler> = {
      ...baseRoutes(ADMIN),
      'POST /auth/login': (call) => {
        logins++;
        const b = call.body as { password: string };
        if (b.password === 'initial-pw') return { status: 403, body: { error: { code: 'PASSWORD_CHANGE_REQUIRED', message: 'You must change your password before logging in' } } };
        if (b.password === 'my-own-password') return { body: { token: 'web_new', expires_at: '2030-01-01T00:00:00Z', user: ADMIN } };
        return { status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'invalid credentials' } } };
      },
      'PUT /auth/password': () => ({ body: { message: 'Password changed successfully' } }),
    };
    const { calls } = renderApp('/login', routes);
    fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'initial-pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Choose a new password' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'my-own-password' } });
    fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: 'my-own-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password and sign in' }));

    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ username: 'admin', current_password: 'initial-pw', new_password: 'my-own-password' });
    expect(logins).toBe(2);
    expect(localStorage.getItem(TOKEN_KEY)).toBe('web_new');
  });

  it('shows a wrong password in words', async () => {
    renderApp('/login', {
      ...baseRoutes(ADMIN),
      'POST /auth/login': () => ({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'invalid credentials' } } }),
    });
    fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The username or password is incorrect.');
  });

  it('sends an anonymous visitor of a deep link to login, and back after signing in', async () => {
    renderApp('/grants', {
      ...baseRoutes(ADMIN),
      'POST /auth/login': () => ({ body: { token: 'web_1', expires_at: '2030-01-01T00:00:00Z', user: ADMIN } }),
    });
    await screen.findByRole('heading', { name: 'Sign in to DBBat' });
    expect(window.location.pathname).toBe('/login');
    expect(window.location.search).toBe('?next=%2Fgrants');
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Grants' })).toBeTruthy();
    expect(window.location.pathname).toBe('/grants');
  });

  it('goes back to login with a notice when the session expires', async () => {
    localStorage.setItem(TOKEN_KEY, 'web_soon_expired');
    let expired = false;
    renderApp('/users', {
      ...baseRoutes(ADMIN),
      'GET /users': () => (expired ? { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'invalid API key' } } } : { body: { users: [ADMIN] } }),
    });
    expect(await screen.findByRole('heading', { name: 'Users' })).toBeTruthy();
    expired = true;
    await act(async () => {
      fireEvent.click(screen.getByRole('link', { name: 'Grants' }));
    });
    // the Grants page loads names (GET /users) -> 401 -> login
    expect(await screen.findByText('Your session has expired. Please sign in again.')).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
    expect(window.location.search).toBe('?next=%2Fgrants');
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
  });
});

describe('role-gated buttons', () => {
  it('shows admin buttons to an admin', async () => {
    localStorage.setItem(TOKEN_KEY, 'web_a');
    renderApp('/users', baseRoutes(ADMIN));
    expect(await screen.findByRole('button', { name: 'New user' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Delete viewer' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Audit log' })).toBeTruthy();
  });

  it('hides them from a viewer, who still sees the list', async () => {
    localStorage.setItem(TOKEN_KEY, 'web_v');
    renderApp('/users', baseRoutes(VIEWER));
    expect((await screen.findAllByText('admin')).length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'New user' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Reset password/ })).toBeNull();
  });

  it('gives a viewer no API key buttons and a connector no query pages', async () => {
    localStorage.setItem(TOKEN_KEY, 'web_v');
    renderApp('/keys', baseRoutes(VIEWER));
    expect(await screen.findByRole('heading', { name: 'API keys' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New API key' })).toBeNull();
  });

  it('hides queries and audit from a connector', async () => {
    localStorage.setItem(TOKEN_KEY, 'web_c');
    renderApp('/keys', baseRoutes({ uid: 'c1', username: 'connector', roles: ['connector'], password_change_required: false }));
    expect(await screen.findByRole('button', { name: 'New API key' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Queries' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Audit log' })).toBeNull();
  });
});

describe('Dialog', () => {
  it('focuses its first field and closes on Escape', () => {
    const close = vi.fn();
    render(
      <Dialog title="New thing" onClose={close}>
        <label htmlFor="x">Name</label>
        <input id="x" />
      </Dialog>,
    );
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('UsageBar', () => {
  it('renders a progressbar with the used share', () => {
    render(<UsageBar label="Queries" used={85} max={100} />);
    const bar = screen.getByRole('progressbar', { name: 'Queries' });
    expect(bar.getAttribute('aria-valuenow')).toBe('85');
    expect(bar.parentElement?.className).toContain('warn');
  });

  it('says "no limit" without a quota', () => {
    render(<UsageBar label="Data" used={10} max={null} />);
    expect(screen.getByText('10 (no limit)')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});

describe('login page extras', () => {
  it('says how long to wait when rate limited', async () => {
    renderApp('/login', {
      ...baseRoutes(ADMIN),
      'POST /auth/login': () => ({ status: 429, body: { error: { code: 'RATE_LIMITED', message: 'Too many requests. Try again later.', retry_after: 30 } }, headers: { 'Retry-After': '30' } }),
    });
    fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many attempts. Please wait 30 seconds and try again.');
  });

  it('adopts an SSO token from ?token= and removes it from the address', async () => {
    const { calls } = renderApp('/login?token=web_from_sso', baseRoutes(ADMIN));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    expect(localStorage.getItem(TOKEN_KEY)).toBe('web_from_sso');
    expect(window.location.search).toBe('');
    expect(calls.find((c) => c.path === '/auth/me')?.headers.Authorization).toBe('Bearer web_from_sso');
  });

  it('exchanges a one-time SSO code from ?code= for a session and removes it from the address', async () => {
    const { calls } = renderApp('/login?code=one-time-code', {
      ...baseRoutes(ADMIN),
      'POST /auth/oauth/exchange': () => ({
        body: { token: 'web_exchanged', expires_at: '2030-01-01T00:00:00Z', user: { ...ADMIN, password_change_required: false } },
      }),
    });
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    expect(localStorage.getItem(TOKEN_KEY)).toBe('web_exchanged');
    expect(window.location.search).toBe('');
    expect(calls.find((c) => c.path === '/auth/oauth/exchange')?.body).toEqual({ code: 'one-time-code' });
  });

  it('explains an expired SSO code', async () => {
    renderApp('/login?code=stale', {
      ...baseRoutes(ADMIN),
      'POST /auth/oauth/exchange': () => ({ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'invalid or expired code' } } }),
    });
    expect((await screen.findByRole('alert')).textContent).not.toBe('');
  });

  it('explains an SSO error from ?error=', async () => {
    renderApp('/login?error=OAUTH_USER_NOT_LINKED', baseRoutes(ADMIN));
    expect((await screen.findByRole('alert')).textContent).toBe('Your account is not linked to a DBBat user. Ask an administrator.');
  });
});

describe('own password change', () => {
  it('changes the signed-in user password from the top bar', async () => {
    localStorage.setItem(TOKEN_KEY, 'web_a');
    const { calls } = renderApp('/', {
      ...baseRoutes(ADMIN),
      'GET /version': () => ({ body: { api_version: 'v1', run_mode: 'test' } }),
      'PUT /auth/password': () => ({ body: { message: 'Password changed successfully' } }),
    });
    expect(await screen.findByText('test mode')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Password' }));
    const dialog = screen.getByRole('dialog', { name: 'Change your password' });
    fireEvent.change(within(dialog).getByLabelText('Current password'), { target: { value: 'old-password' } });
    fireEvent.change(within(dialog).getByLabelText('New password'), { target: { value: 'new-password-1' } });
    fireEvent.change(within(dialog).getByLabelText('Repeat the new password'), { target: { value: 'new-password-1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Your password was changed.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ username: 'admin', current_password: 'old-password', new_password: 'new-password-1' });
  });
});
