import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, TOKEN_KEY } from '../src/api/client';
import { App } from '../src/App';
import { detectBase, normaliseBase, stripBase, withBase } from '../src/lib/basepath';
import { matchPath } from '../src/router';
import { fakeFetch, type Handler } from './fakeFetch';

const ADMIN = { uid: 'a1', username: 'admin', roles: ['admin'], password_change_required: false };

function renderAt(path: string, routes: Record<string, Handler>) {
  localStorage.setItem(TOKEN_KEY, 'web_t');
  window.history.replaceState(null, '', path);
  const f = fakeFetch({
    'GET /auth/me': () => ({ body: ADMIN }),
    'GET /users': () => ({ body: { users: [ADMIN] } }),
    'GET /databases': () => ({ body: { databases: [] } }),
    ...routes,
  });
  render(<App client={new ApiClient({ baseUrl: '/api/v1', fetch: f.fetch, storage: localStorage })} base="" />);
  return f.calls;
}

const uid = (n: number) => `0193a1b2-c3d4-7e5f-8a9b-${String(n).padStart(12, '0')}`;

describe('base path and routes', () => {
  it('reads the mount path from <base href>', () => {
    expect(normaliseBase('/app/')).toBe('/app');
    expect(normaliseBase('/tools/dbbat/')).toBe('/tools/dbbat');
    expect(normaliseBase('http://example.org/x/')).toBe('/x');
    expect(normaliseBase('/')).toBe('');
    expect(normaliseBase(null)).toBe('');
    const doc = document.implementation.createHTMLDocument('t');
    const base = doc.createElement('base');
    base.setAttribute('href', '/console/');
    doc.head.appendChild(base);
    expect(detectBase(doc)).toBe('/console');
  });

  it('maps locations to app paths and back', () => {
    expect(stripBase('/app/queries/x', '/app')).toBe('/queries/x');
    expect(stripBase('/app', '/app')).toBe('/');
    expect(stripBase('/application', '/app')).toBe('/application');
    expect(withBase('/grants', '/app')).toBe('/app/grants');
    expect(withBase('grants', '')).toBe('/grants');
  });

  it('matches route patterns', () => {
    expect(matchPath('/queries/:uid', '/queries/abc')).toEqual({ uid: 'abc' });
    expect(matchPath('/queries/:uid', '/queries')).toBeNull();
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/users', '/grants')).toBeNull();
  });
});

describe('keyset paging on the queries page', () => {
  it('asks for limit + 1 and pages older with the last visible uid', async () => {
    const all = Array.from({ length: 60 }, (_, i) => ({ uid: uid(100 - i), connection_id: uid(1), sql_text: `SELECT ${100 - i}`, executed_at: '2026-11-25T10:00:00Z' }));
    const calls = renderAt('/queries', {
      'GET /queries': (call) => {
        const before = call.query.get('before');
        const limit = Number(call.query.get('limit'));
        const rows = all.filter((q) => !before || q.uid < before).slice(0, limit);
        return { body: { queries: rows } };
      },
    });
    expect(await screen.findByText('SELECT 100')).toBeTruthy();
    expect(screen.queryByText('SELECT 50')).toBeNull(); // 51st row only tells "older exists"
    const first = calls.find((c) => c.path === '/queries')!;
    expect(first.query.get('limit')).toBe('51');
    expect(first.query.get('before')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Older →' }));
    expect(await screen.findByText('SELECT 50')).toBeTruthy();
    const second = calls.filter((c) => c.path === '/queries')[1];
    expect(second.query.get('before')).toBe(uid(51));
    expect(screen.getByText('Page 2')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Older →' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: '← Newer' }));
    expect(await screen.findByText('SELECT 100')).toBeTruthy();
    expect(screen.getByText('Page 1')).toBeTruthy();
  });

  it('keeps filters in the URL and sends them', async () => {
    const calls = renderAt(`/queries?user_id=${ADMIN.uid}`, { 'GET /queries': () => ({ body: { queries: [] } }) });
    await screen.findByText('No statements match.');
    expect(calls.find((c) => c.path === '/queries')!.query.get('user_id')).toBe('a1');
  });
});

describe('query page', () => {
  it('shows parameters, the error, and pages captured rows with the cursor', async () => {
    const q = { uid: uid(7), connection_id: uid(1), sql_text: 'SELECT * FROM t WHERE id > $1', executed_at: '2026-11-25T10:00:00Z', parameters: { values: ['41', null] }, error: 'canceling statement', sql_state: '57014', refused: false, results_truncated: true };
    const calls = renderAt(`/queries/${q.uid}`, {
      'GET /queries/:uid': () => ({ body: q }),
      'GET /queries/:uid/rows': (call) =>
        call.query.get('cursor') === 'next1'
          ? { body: { rows: [{ row_number: 51, row_data: { id: 51 }, row_size_bytes: 9 }], has_more: false, total_rows: 51 } }
          : { body: { rows: Array.from({ length: 50 }, (_, i) => ({ row_number: i + 1, row_data: { id: i + 1 }, row_size_bytes: 9 })), next_cursor: 'next1', has_more: true, total_rows: 51 } },
    });
    await screen.findByText('$2');
    const params = document.querySelector('table.params') as HTMLElement;
    expect(within(params).getByText('41')).toBeTruthy();
    expect(within(params).getByText('NULL')).toBeTruthy();
    expect(screen.getByText(/canceling statement/)).toBeTruthy();
    expect(screen.getByText('57014')).toBeTruthy();
    expect(screen.getByText('truncated')).toBeTruthy();
    expect(await screen.findByText(/Rows 1–50 of 51/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next rows →' }));
    expect(await screen.findByText(/Rows 51–51 of 51/)).toBeTruthy();
    expect(calls.filter((c) => c.path.endsWith('/rows')).map((c) => c.query.get('cursor'))).toEqual([null, 'next1']);
    fireEvent.click(screen.getByRole('button', { name: '← Previous rows' }));
    expect(await screen.findByText(/Rows 1–50 of 51/)).toBeTruthy();
  });
});

describe('API keys page', () => {
  it('shows a new key once, with a copy button', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    let keys: unknown[] = [];
    renderAt('/keys', {
      'GET /keys': () => ({ body: { keys } }),
      'POST /keys': (call) => {
        keys = [{ id: 'k1', user_id: 'a1', name: (call.body as { name: string }).name, key_prefix: 'dbb_abcd', created_at: '2026-11-25T10:00:00Z' }];
        return { status: 201, body: { id: 'k1', name: 'ci', key: 'dbb_abcdefghijklmnopqrstuvwxyz012345', key_prefix: 'dbb_abcd', created_at: '2026-11-25T10:00:00Z' } };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'New API key' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ci' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const field = (await screen.findByTestId('new-api-key')) as HTMLInputElement;
    expect(field.value).toBe('dbb_abcdefghijklmnopqrstuvwxyz012345');
    fireEvent.click(screen.getByRole('button', { name: 'Copy key' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('dbb_abcdefghijklmnopqrstuvwxyz012345'));
    expect(await screen.findByRole('button', { name: 'Copied ✓' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'I have saved it' }));
    await screen.findByText('dbb_abcd…');
    expect(document.body.textContent).not.toContain('dbb_abcdefghijklmnopqrstuvwxyz012345');
  });
});

describe('databases page', () => {
  it('switches fields with the protocol and never sends an empty password on edit', async () => {
    const db = { uid: 'd1', name: 'orders', host: 'db1', port: 5432, database_name: 'orders', username: 'app', ssl_mode: 'prefer', protocol: 'postgresql', has_readonly_credential: true, readonly_username: 'ro' };
    const calls = renderAt('/databases', {
      'GET /databases': () => ({ body: { databases: [db] } }),
      'PUT /databases/:uid': () => ({ body: { message: 'database updated' } }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit orders' }));
    const dialog = screen.getByRole('dialog');
    expect((within(dialog).getByLabelText('Target password') as HTMLInputElement).value).toBe('');
    expect(within(dialog).getByText(/One is stored now/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Protocol'), { target: { value: 'oracle' } });
    expect(within(dialog).getByLabelText('Service name')).toBeTruthy();
    expect(within(dialog).queryByLabelText('TLS to the target (ssl_mode)')).toBeNull();
    expect((within(dialog).getByLabelText('Port') as HTMLInputElement).value).toBe('1521');
    fireEvent.change(within(dialog).getByLabelText('Protocol'), { target: { value: 'postgresql' } });
    fireEvent.change(within(dialog).getByLabelText('Host'), { target: { value: 'db2' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Database orders saved.');
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ host: 'db2' });
  });
});
