import { describe, expect, it, vi } from 'vitest';
import { ApiClient, buildQuery, TOKEN_KEY } from '../src/api/client';
import { ApiError, humanMessage, parseErrorBody } from '../src/api/errors';
import { fakeFetch } from './fakeFetch';

function client(routes: Parameters<typeof fakeFetch>[0], onUnauthorized = vi.fn()) {
  const f = fakeFetch(routes);
  const c = new ApiClient({ baseUrl: '/api/v1', fetch: f.fetch, storage: localStorage, onUnauthorized });
  return { c, calls: f.calls, onUnauthorized };
}

describe('error bodies', () => {
  it('reads the nested contract shape', () => {
    expect(parseErrorBody(401, { error: { code: 'INVALID_CREDENTIALS', message: 'invalid credentials' } })).toEqual({
      code: 'INVALID_CREDENTIALS', message: 'invalid credentials', retryAfter: undefined,
    });
  });

  it('reads retry_after beside the nested error, or from the header', () => {
    expect(parseErrorBody(429, { error: { code: 'RATE_LIMITED', message: 'x' }, retry_after: 12 }).retryAfter).toBe(12);
    expect(parseErrorBody(429, { error: { code: 'RATE_LIMITED', message: 'x' } }, '7').retryAfter).toBe(7);
  });

  it('reads the flat seed shape and the seed rate limiter shape', () => {
    expect(parseErrorBody(400, { code: 'WEAK_PASSWORD', message: 'short' }).code).toBe('WEAK_PASSWORD');
    expect(parseErrorBody(429, { error: 'rate_limit_exceeded', message: 'Too many', retry_after: 3 })).toEqual({ code: 'RATE_LIMITED', message: 'Too many', retryAfter: 3 });
  });

  it('falls back to a code from the status when the body is not JSON', () => {
    expect(parseErrorBody(502, '<html>bad gateway</html>').code).toBe('INTERNAL_ERROR');
    expect(parseErrorBody(404, undefined).code).toBe('NOT_FOUND');
    expect(parseErrorBody(409, {}).code).toBe('DUPLICATE_NAME');
  });
});

describe('human messages', () => {
  it('words every known code for a person', () => {
    expect(humanMessage(401, 'INVALID_CREDENTIALS', 'invalid credentials')).toBe('The username or password is incorrect.');
    expect(humanMessage(401, 'INVALID_CREDENTIALS', '', undefined, 'password-change')).toBe('The username or current password is incorrect.');
    expect(humanMessage(400, 'WEAK_PASSWORD', 'Password must be at least 8 characters')).toBe('This password is too weak: use at least 8 characters.');
    expect(humanMessage(429, 'RATE_LIMITED', '', 30)).toBe('Too many attempts. Please wait 30 seconds and try again.');
    expect(humanMessage(429, 'RATE_LIMITED', '', 1)).toBe('Too many attempts. Please wait 1 second and try again.');
    expect(humanMessage(403, 'PASSWORD_CHANGE_REQUIRED', '')).toBe('You must choose a new password before you can sign in.');
    expect(humanMessage(400, 'TARGET_MATCHES_SELF', '')).toContain('storage database');
    expect(humanMessage(500, 'INTERNAL_ERROR', 'An internal error occurred.')).toContain('The server ran into a problem');
    expect(humanMessage(0, 'NETWORK_ERROR', '')).toContain('Cannot reach the DBBat server');
  });

  it('keeps the useful part of validation and permission messages', () => {
    expect(humanMessage(400, 'VALIDATION_ERROR', 'invalid request: starts_at must be before expires_at')).toBe('Some values are not valid. Starts_at must be before expires_at.');
    expect(humanMessage(403, 'FORBIDDEN', 'admin access required')).toBe('You are not allowed to do this. Admin access required.');
    expect(humanMessage(409, 'DUPLICATE_NAME', 'a user named bob already exists')).toBe('This name is already in use. A user named bob already exists.');
  });

  it('never shows a raw code for an unknown one', () => {
    expect(humanMessage(418, 'TEAPOT', '')).toBe('The request failed (HTTP 418).');
    expect(humanMessage(503, 'WHATEVER', 'x')).toContain('The server ran into a problem');
  });
});

describe('ApiClient', () => {
  it('logs in without a token, then sends the stored token as a bearer', async () => {
    const { c, calls } = client({
      'POST /auth/login': () => ({ body: { token: 'web_abc', expires_at: '2026-11-25T10:00:00Z', user: { uid: 'u1', username: 'admin', roles: ['admin'] } } }),
      'GET /users': () => ({ body: { users: [] } }),
    });
    const res = await c.login('admin', 'pw');
    expect(calls[0].headers.Authorization).toBeUndefined();
    expect(calls[0].body).toEqual({ username: 'admin', password: 'pw' });
    c.setToken(res.token);
    expect(localStorage.getItem(TOKEN_KEY)).toBe('web_abc');
    await c.listUsers();
    expect(calls[1].headers.Authorization).toBe('Bearer web_abc');
  });

  it('maps a failed login to a human message without treating it as session expiry', async () => {
    const { c, onUnauthorized } = client({
      'POST /auth/login': () => ({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'invalid credentials' } } }),
    });
    localStorage.setItem(TOKEN_KEY, 'web_old');
    const err = await c.login('admin', 'bad').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('INVALID_CREDENTIALS');
    expect(err.message).toBe('The username or password is incorrect.');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reports PASSWORD_CHANGE_REQUIRED as a code the login page can act on', async () => {
    const { c } = client({
      'POST /auth/login': () => ({ status: 403, body: { error: { code: 'PASSWORD_CHANGE_REQUIRED', message: 'You must change your password before logging in' } } }),
    });
    await expect(c.login('new', 'initial')).rejects.toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', status: 403 });
  });

  it('clears the token and signals session expiry on any 401 of an authenticated call', async () => {
    const { c, onUnauthorized } = client({
      'GET /grants': () => ({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'invalid API key' } } }),
    });
    c.setToken('web_expired');
    const err = await c.listGrants().catch((e) => e);
    expect(err.message).toBe('Your session has expired. Please sign in again.');
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not clear the session on 403', async () => {
    const { c, onUnauthorized } = client({
      'GET /queries': () => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'admin or viewer access required' } } }),
    });
    c.setToken('web_ok');
    await expect(c.listQueries()).rejects.toMatchObject({ status: 403 });
    expect(localStorage.getItem(TOKEN_KEY)).toBe('web_ok');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('turns a network failure into a NETWORK_ERROR', async () => {
    const c = new ApiClient({ baseUrl: '/api/v1', fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch, storage: localStorage });
    await expect(c.version()).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('sends list filters and keyset cursors as query parameters, dropping empty ones', async () => {
    const { c, calls } = client({ 'GET /queries': () => ({ body: { queries: [] } }) });
    await c.listQueries({ user_id: 'u1', database_id: '', before: 'q9', limit: 51, start_time: undefined });
    expect(calls[0].query.toString()).toBe('user_id=u1&before=q9&limit=51');
    expect(buildQuery({})).toBe('');
  });

  it('pages captured rows with cursor and limit', async () => {
    const { c, calls } = client({
      'GET /queries/:uid/rows': () => ({ body: { rows: [{ row_number: 1, row_data: { a: 1 }, row_size_bytes: 8 }], next_cursor: 'Y3Vy', has_more: true, total_rows: 120 } }),
    });
    const page = await c.getQueryRows('q1', { cursor: 'abc', limit: 50 });
    expect(calls[0].path).toBe('/queries/q1/rows');
    expect(calls[0].query.get('cursor')).toBe('abc');
    expect(page.total_rows).toBe(120);
  });

  it('changes a password before login with the contract field names', async () => {
    const { c, calls } = client({ 'PUT /auth/password': () => ({ body: { message: 'Password changed successfully' } }) });
    await c.changePassword('bob', 'initial1', 'brand-new-pw');
    expect(calls[0].body).toEqual({ username: 'bob', current_password: 'initial1', new_password: 'brand-new-pw' });
    expect(calls[0].headers.Authorization).toBeUndefined();
  });

  it('reads one connection from GET /connections/{uid}', async () => {
    const uid = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    const { c, calls } = client({
      [`GET /connections/${uid}`]: () => ({ body: { uid } }),
      'GET /connections/0193a1b2-c3d4-7e5f-8a9b-000000000000': () => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'connection not found' } } }),
    });
    c.setToken('web_x');
    await expect(c.getConnection(uid)).resolves.toMatchObject({ uid });
    expect(calls[0].headers.Authorization).toBe('Bearer web_x');
    await expect(c.getConnection('0193a1b2-c3d4-7e5f-8a9b-000000000000')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
