import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Database } from '@app/db';
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDatabase, testApp, type TestApp } from './support/test-app.js';

// The demo page as a browser gets it from the server, with the server's own CSP and the built
// widget bundle: the widget mounts, is styled and sends a message with no CSP violation.
const run = checkRequirement(requirements.chromium);

describe.runIf(run)('the demo page under its own Content-Security-Policy (Chromium)', () => {
  let db: Database;
  let t: TestApp;
  let server: ServerType;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    db = await memoryDatabase();
    t = await testApp(db);
    if (!existsSync(t.config.widgetBundlePath)) throw new Error('the widget bundle is not built: run `pnpm build` first');
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await db?.close();
  });

  it('mounts the widget, styled, and sends a message, with no violation', async () => {
    const context = await browser.newContext();
    // Playwright's init scripts run before the page's own and are not subject to its CSP.
    await context.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const response = await page.goto(`${url}/`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.waitFor();
    expect(await launcher.evaluate((b) => getComputedStyle(b).position)).toBe('fixed');
    // The page's own stylesheet applied too (a linked file, not inline style).
    expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe('640px');
    await launcher.click();
    await page.getByRole('textbox', { name: 'Message' }).fill('Hello under CSP');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('log').getByText('Hello under CSP').count()).toBeGreaterThan(0);
    // It reached the server (the page's connect-src 'self' let the widget's requests through).
    const stored = async () =>
      (await db.query<{ n: number }>(`select count(*)::int as n from chat_messages where content = 'Hello under CSP'`)).rows[0]!.n;
    await expect.poll(stored).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await context.close();
  });
});
