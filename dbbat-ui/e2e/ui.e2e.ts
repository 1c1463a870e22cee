// End-to-end: the real DBBat server (DBB_RUN_MODE=test) at DBBAT_URL, driven through Debian's Chromium.
// See README "End-to-end tests" for the environment variables.
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUrl, ConsoleWatch, env, eventually, launch, LAPTOP, newContext, PHONE, screenshot } from './harness';

const stamp = Date.now().toString(36);
const newUser = `e2e_${stamp}`;
const initialPassword = 'initial-pw-1';
const ownPassword = `own-pw-${stamp}`;
const dbName = `e2e_db_${stamp}`;
const viewerUser = `e2e_viewer_${stamp}`;
const viewerOwnPassword = `viewer-pw-${stamp}`;
let adminPassword = env.adminPassword;

let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const watch = new ConsoleWatch();
let proxyClient: pg.Client | null = null;

async function signIn(user: string, password: string): Promise<void> {
  await page.goto(appUrl('/login'));
  await page.getByLabel('Username', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to DBBat' }).waitFor();
}

/** Signs in; when the server demands it, changes the initial password first (the pre-login form). */
async function signInChanging(user: string, password: string, newPassword: string, shot?: string): Promise<string> {
  await signIn(user, password);
  const dashboard = page.getByRole('heading', { name: 'Dashboard' });
  const change = page.getByRole('heading', { name: 'Choose a new password' });
  await dashboard.or(change).waitFor();
  if (await dashboard.isVisible()) return password;
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Repeat the new password').fill(newPassword);
  if (shot) await screenshot(page, shot);
  await page.getByLabel('Repeat the new password').press('Enter');
  await dashboard.waitFor();
  return newPassword;
}

async function go(path: string, heading: string): Promise<void> {
  await page.goto(appUrl(path));
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

describe('DBBat web UI against a running server', () => {
  beforeAll(async () => {
    if (!env.url) throw new Error('DBBAT_URL must point at a running DBBat server (e2e/run-e2e.sh starts one)');
    browser = await launch();
    ctx = await newContext(browser, LAPTOP);
    page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    watch.attach(page);
  });

  afterAll(async () => {
    await proxyClient?.end().catch(() => {});
    await ctx?.close();
    await browser?.close();
  });

  it('serves the app under the base path with deep links and long-cached hashed assets', async () => {
    const deep = await fetch(appUrl('/queries/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'));
    expect(deep.status).toBe(200);
    const html = await deep.text();
    expect(html).toContain(`<base href="${env.base}/"`);
    const asset = html.match(/\.\/(assets\/[^"]+\.js)/)?.[1];
    expect(asset).toBeTruthy();
    const a = await fetch(appUrl('/' + asset));
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control') ?? '').toMatch(/max-age=\d{6,}/);
  });

  it('signs the admin in (changing the initial password if asked), after showing a wrong password in words', async () => {
    await page.goto(appUrl('/'));
    await page.getByRole('heading', { name: 'Sign in to DBBat' }).waitFor();
    await screenshot(page, 'login');
    watch.expectHttpErrors(2);
    await signIn(env.adminUser, 'definitely-wrong');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The username or password is incorrect.');
    await screenshot(page, 'login-error');
    adminPassword = await signInChanging(env.adminUser, adminPassword, env.adminNewPassword, 'admin-initial-password-change');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByTestId('stat-live').waitFor();
    await screenshot(page, 'dashboard');
  });

  it('creates a user', async () => {
    await go('/users', 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username', { exact: true }).fill(newUser);
    await dialog.getByLabel('Initial password').fill(initialPassword);
    await expect(dialog.getByLabel(/connector/).isChecked()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await page.getByText(/User created/).waitFor();
    await page.getByRole('cell', { name: newUser, exact: true }).waitFor();
    // and a viewer, for the role-gating check at the end
    await page.getByRole('button', { name: 'New user' }).click();
    await dialog.getByLabel('Username', { exact: true }).fill(viewerUser);
    await dialog.getByLabel('Initial password').fill(initialPassword);
    await dialog.getByLabel(/connector/).uncheck();
    await dialog.getByLabel(/viewer/).check();
    await dialog.getByLabel('Initial password').press('Enter');
    await page.getByRole('cell', { name: viewerUser, exact: true }).waitFor();
    await screenshot(page, 'users');
  });

  it('makes the new user change the initial password before signing in', async () => {
    await signOut();
    watch.expectHttpErrors(1);
    await signIn(newUser, initialPassword);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(ownPassword);
    await page.getByLabel('Repeat the new password').fill(ownPassword);
    await screenshot(page, 'forced-password-change');
    await page.getByLabel('Repeat the new password').press('Enter');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await signOut();
    await signIn(env.adminUser, adminPassword);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });

  it('creates a database with protocol-aware fields', async () => {
    await go('/databases', 'Databases');
    await page.getByRole('button', { name: 'New database' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(dbName);
    await dialog.getByLabel('Protocol').selectOption('oracle');
    await expect(dialog.getByLabel('Port', { exact: true }).inputValue()).resolves.toBe('1521');
    await dialog.getByLabel('Service name').waitFor();
    await dialog.getByLabel('Protocol').selectOption('postgresql');
    await expect(dialog.getByLabel('Port', { exact: true }).inputValue()).resolves.toBe('5432');
    await dialog.getByLabel('Description').fill('created by the browser test');
    await dialog.getByLabel('Host', { exact: true }).fill(env.target.host);
    await dialog.getByLabel('Port', { exact: true }).fill(String(env.target.port));
    await dialog.getByLabel('Database name on the target').fill(env.target.database);
    await dialog.getByLabel('TLS to the target (ssl_mode)').selectOption('disable');
    await dialog.getByLabel('Target username').fill(env.target.user);
    await dialog.getByLabel('Target password').fill(env.target.password);
    await screenshot(page, 'database-form');
    await dialog.getByRole('button', { name: 'Create database' }).click();
    await page.getByText(`Database ${dbName} created.`).waitFor();
    await page.getByRole('cell', { name: dbName, exact: true }).waitFor();
    // the password is write-only: the edit form never shows it
    await page.getByRole('button', { name: `Edit ${dbName}` }).click();
    await expect(page.getByRole('dialog').getByLabel('Target password').inputValue()).resolves.toBe('');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    await screenshot(page, 'databases');
  });

  it('creates a grant with a time window, controls and quotas', async () => {
    await go('/grants', 'Grants');
    await page.getByRole('button', { name: 'New grant' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('User', { exact: true }).selectOption({ label: newUser });
    await dialog.getByLabel('Database', { exact: true }).selectOption({ label: dbName });
    await dialog.getByRole('button', { name: '1 day' }).click();
    await dialog.getByLabel(/Block DDL/).check();
    await dialog.getByLabel('Query quota').fill('100');
    await dialog.getByLabel('Data quota', { exact: true }).fill('10');
    await screenshot(page, 'grant-form');
    await dialog.getByRole('button', { name: 'Create grant' }).click();
    await page.getByText('Grant created.').waitFor();
    const row = page.getByRole('row').filter({ hasText: newUser });
    await row.getByRole('progressbar', { name: 'Queries' }).waitFor();
    await row.getByRole('progressbar', { name: 'Data' }).waitFor();
    await screenshot(page, 'grants');
  });

  it('creates an API key, shown once with a copy button', async () => {
    await go('/keys', 'API keys');
    await page.getByRole('button', { name: 'New API key' }).click();
    await page.getByRole('dialog').getByLabel('Name', { exact: true }).fill(`e2e key ${stamp}`);
    await page.getByRole('dialog').getByLabel('Name', { exact: true }).press('Enter');
    const key = await page.getByTestId('new-api-key').inputValue();
    expect(key).toMatch(/^dbb_[a-z0-9]{8,}/);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByRole('button', { name: /Copied|Copy failed/ }).waitFor();
    await screenshot(page, 'api-key-created');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('cell', { name: `e2e key ${stamp}`, exact: true }).waitFor();
    expect(await page.content()).not.toContain(key);
    await screenshot(page, 'api-keys');
  });

  it('runs a statement through the PostgreSQL proxy and shows it on the connection and query pages', async () => {
    expect(env.pgProxy, 'DBBAT_PG_PROXY (host:port of the PG proxy) must be set').not.toBe('');
    const [host, port] = env.pgProxy.split(':');
    proxyClient = new pg.Client({ host, port: Number(port), user: newUser, password: ownPassword, database: dbName, ssl: false });
    await proxyClient.connect();
    const res = await proxyClient.query("SELECT $1::int + 1 AS answer, 'hello' AS greeting", [41]);
    expect(res.rows).toEqual([{ answer: 42, greeting: 'hello' }]);
    // the grant blocks DDL: DBBat refuses this one
    await expect(proxyClient.query('CREATE TABLE e2e_blocked (i int)')).rejects.toThrow();

    await go('/', 'Dashboard');
    await eventually(page, async () => {
      expect(Number(await page.getByTestId('stat-live').locator('.stat-value').textContent())).toBeGreaterThanOrEqual(1);
      expect(Number(await page.getByTestId('stat-statements').locator('.stat-value').textContent())).toBeGreaterThanOrEqual(1);
      expect(Number(await page.getByTestId('stat-refused').locator('.stat-value').textContent())).toBeGreaterThanOrEqual(1);
    });
    await screenshot(page, 'dashboard-live');

    await go('/connections', 'Connections');
    await eventually(page, async () => {
      const row = page.getByRole('row').filter({ hasText: newUser }).filter({ hasText: 'live' });
      await row.first().waitFor({ timeout: 1000 });
    });
    await screenshot(page, 'connections');
    await page.getByRole('row').filter({ hasText: newUser }).first().getByRole('link', { name: newUser }).click();
    await eventually(page, async () => {
      await page.getByRole('link', { name: /SELECT \$1::int \+ 1 AS answer/ }).waitFor({ timeout: 1000 });
    });
    await screenshot(page, 'connection');
    await page.getByRole('link', { name: /SELECT \$1::int \+ 1 AS answer/ }).click();
    await page.getByRole('heading', { name: 'Parameters' }).waitFor();
    await page.getByRole('cell', { name: '41' }).waitFor();
    await eventually(page, async () => {
      await page.getByRole('columnheader', { name: 'answer' }).waitFor({ timeout: 1000 });
    });
    await page.getByRole('cell', { name: '42', exact: true }).waitFor();
    await screenshot(page, 'query');
    await proxyClient.end();
    proxyClient = null;
  });

  it('lists queries with filters and keyset paging', async () => {
    await go('/queries', 'Queries');
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await screenshot(page, 'queries');
  });

  it('revokes the grant', async () => {
    await go('/grants', 'Grants');
    await page.getByRole('button', { name: `Revoke grant of ${newUser} on ${dbName}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke grant' }).click();
    await page.getByText('Grant revoked.').waitFor();
    await page.getByRole('row').filter({ hasText: newUser }).getByText('revoked', { exact: true }).waitFor();
    await screenshot(page, 'grant-revoked');
    if (env.pgProxy) {
      const [host, port] = env.pgProxy.split(':');
      const c = new pg.Client({ host, port: Number(port), user: newUser, password: ownPassword, database: dbName, ssl: false });
      await expect(c.connect().then(() => c.query('SELECT 1'))).rejects.toThrow();
      await c.end().catch(() => {});
    }
  });

  it('shows the audit log with filters', async () => {
    await go('/audit', 'Audit log');
    await page.getByLabel('Event').selectOption('grant.revoked');
    await page.getByRole('cell', { name: 'grant.revoked' }).first().waitFor();
    await screenshot(page, 'audit');
  });

  it('shows a viewer no admin buttons', async () => {
    await signOut();
    watch.expectHttpErrors(1);
    await signInChanging(viewerUser, initialPassword, viewerOwnPassword);
    await go('/users', 'Users');
    await page.getByRole('cell', { name: env.adminUser, exact: false }).first().waitFor();
    expect(await page.getByRole('button', { name: 'New user' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Delete|Reset password|Roles/ }).count()).toBe(0);
    await screenshot(page, 'viewer-users');
    await go('/databases', 'Databases');
    expect(await page.getByRole('button', { name: 'New database' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Edit|^Delete/ }).count()).toBe(0);
    await go('/grants', 'Grants');
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('button', { name: 'New grant' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    await screenshot(page, 'viewer-grants');
    await go('/keys', 'API keys');
    expect(await page.getByRole('button', { name: 'New API key' }).count()).toBe(0);
    // the viewer still observes
    await go('/queries', 'Queries');
  });

  it('works at phone width', async () => {
    await page.setViewportSize(PHONE);
    await go('/', 'Dashboard');
    await screenshot(page, 'phone-dashboard');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Grants' }).click();
    await page.getByRole('heading', { name: 'Grants', exact: true }).waitFor();
    await screenshot(page, 'phone-grants');
    await go('/queries', 'Queries');
    await screenshot(page, 'phone-queries');
    await page.setViewportSize(LAPTOP);
  });

  it('expires the session back to the login page', async () => {
    await page.evaluate(() => localStorage.setItem('dbbat_session_token', 'web_not_a_valid_token_at_all'));
    watch.expectHttpErrors(1);
    await page.setViewportSize(PHONE);
    await page.goto(appUrl('/grants'));
    await page.getByRole('heading', { name: 'Sign in to DBBat' }).waitFor();
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('dbbat_session_token'))).toBeNull();
    await screenshot(page, 'phone-session-expired');
    await page.setViewportSize(LAPTOP);
  });

  it('logged no console errors', () => {
    expect(watch.errors).toEqual([]);
  });
});
