/**
 * Browser tests drive the built web app in Debian's Chromium (playwright-core never downloads a
 * browser): one browser per file, one context per user, the way each user would sit at their own PC.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../db/seeds/02-demo-org.ts';

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
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
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
