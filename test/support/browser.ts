/**
 * Browser tests drive the built web app in Debian's Chromium (playwright-core never downloads a
 * browser): one browser per file, one context per user, the way each user would sit at their own PC.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { assert } from 'chai';
import { stopFeed, type TestOffice } from './harness.ts';
import { credentialsOf, freshTotpCode, rememberCredentials, rememberSecret, testPasswordFor } from './api.ts';

export const uiDir = () => process.env.UI_DIR ?? path.resolve(import.meta.dirname, '..', '..', 'modeler-ui', 'dist');

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** uncaught errors in the page: a test fails on them */
  errors: string[];
}

export async function signIn(browser: Browser, baseUrl: string, username: string, locale = 'zh-CN'): Promise<UserPage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/login');
  const k = { ...credentialsOf(baseUrl, username) };
  await page.fill('#username', username);
  await page.fill('#password', k.password);
  await page.press('#password', 'Enter');
  // as a user would: the forced change of the first password, then the second factor where the role needs one
  for (let round = 0; round < 3; round++) {
    const where = await Promise.race([
      page.waitForURL((u) => !u.pathname.startsWith('/login')).then(() => 'in' as const),
      page.waitForSelector('#new-password').then(() => 'change' as const),
      page.waitForSelector('#totp-code').then(() => 'totp' as const),
    ]);
    if (where === 'in') break;
    if (where === 'change') {
      k.generation += 1;
      const next = testPasswordFor(username, k.generation);
      await page.fill('#new-password', next);
      await page.fill('#new-password2', next);
      k.password = next;
      rememberCredentials(baseUrl, username, k);
      await page.press('#new-password2', 'Enter');
      await page.waitForSelector('#new-password', { state: 'detached' });
      continue;
    }
    const shown = await page.locator('#totp-secret').textContent({ timeout: 500 }).catch(() => null);
    if (shown) k.secret = shown.trim();
    rememberSecret(username, k.secret as string);
    rememberCredentials(baseUrl, username, k);
    await page.fill('#totp-code', await freshTotpCode(baseUrl, username, k.secret as string));
    await page.press('#totp-code', 'Enter');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    break;
  }
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string | null> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return null;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A browser test file's teardown: the browser, then its office and the feed, whatever failed first;
 * then no page may have thrown an uncaught error in the whole file.
 */
export async function closeAll(browser: Browser | undefined, office: TestOffice | undefined, pages: UserPage[]): Promise<void> {
  try {
    await browser?.close();
  } finally {
    await office?.close();
    await stopFeed();
  }
  assert.deepStrictEqual(pages.flatMap((p) => p.errors), [], 'no uncaught errors in any page');
}
