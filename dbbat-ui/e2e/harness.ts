// Browser harness for the end-to-end tests: Debian's Chromium through playwright-core (no browser download).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const env = {
  url: (process.env.DBBAT_URL ?? '').replace(/\/+$/, ''),
  base: (process.env.DBBAT_BASE ?? '/app').replace(/\/+$/, ''),
  adminUser: process.env.DBBAT_ADMIN_USER ?? 'admin',
  adminPassword: process.env.DBBAT_ADMIN_PASSWORD ?? 'admintest',
  /** used when the server asks the admin to change the initial password (production mode: admin/admin) */
  adminNewPassword: process.env.DBBAT_ADMIN_NEW_PASSWORD ?? 'admin-e2e-password',
  pgProxy: process.env.DBBAT_PG_PROXY ?? '', // host:port of the PG proxy; empty = skip the proxy steps
  target: {
    host: process.env.DBBAT_TARGET_HOST ?? '127.0.0.1',
    port: Number(process.env.DBBAT_TARGET_PORT ?? 5432),
    database: process.env.DBBAT_TARGET_DB ?? 'postgres',
    user: process.env.DBBAT_TARGET_USER ?? 'postgres',
    password: process.env.DBBAT_TARGET_PASSWORD ?? 'postgres',
  },
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  screenshots: process.env.DBBAT_SCREENSHOTS ?? join(process.cwd(), 'target', 'screenshots'),
  headless: process.env.HEADED !== '1',
};

export const LAPTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: env.chromium,
    headless: env.headless,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Console errors and page errors, minus the 401/403 answers a test provokes on purpose. */
export class ConsoleWatch {
  readonly errors: string[] = [];
  private allowed = 0;

  attach(page: Page): void {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (this.allowed > 0 && /Failed to load resource: the server responded with a status of 40[13]/.test(text)) {
        this.allowed--;
        return;
      }
      this.errors.push(`${page.url()}: ${text}`);
    });
    page.on('pageerror', (err) => this.errors.push(`${page.url()}: uncaught ${err.message}`));
  }

  /** The next `n` 401/403 resource errors are expected (a wrong password, the forced change). */
  expectHttpErrors(n: number): void {
    this.allowed += n;
  }
}

export async function newContext(browser: Browser, viewport = LAPTOP): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport, baseURL: env.url });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
  return ctx;
}

let shot = 0;
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(env.screenshots, { recursive: true });
  shot++;
  const file = join(env.screenshots, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export function appUrl(path: string): string {
  return `${env.url}${env.base}${path}`;
}

/** Retries `check` (which throws until satisfied), reloading the page between tries. */
export async function eventually(page: Page, check: () => Promise<void>, tries = 15, delayMs = 700): Promise<void> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      await check();
      return;
    } catch (e) {
      last = e;
      await page.waitForTimeout(delayMs);
      await page.reload();
    }
  }
  throw last;
}
