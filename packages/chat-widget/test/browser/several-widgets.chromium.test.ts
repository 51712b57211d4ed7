// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWidgetServer, type WidgetServer } from './reference-server.js';

const run = checkRequirement(requirements.chromium);
const POLL = { timeout: 30_000 };

/** Two inline widgets with a storage key each, from the server's own origin (the script-tag bundle it serves). */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>two chats</title></head><body>
  <async-chat mode="inline" storage-key="sales" chat-title="Sales" welcome="false"></async-chat>
  <async-chat mode="inline" storage-key="support" chat-title="Support" welcome="false"></async-chat>
  <script src="/widget/chat-widget.js" data-mount="manual"></script>
  <script>
    window.__replies = [];
    document.addEventListener('reply-received', (e) => window.__replies.push(e.target.getAttribute('storage-key') + ': ' + e.detail.message.content));
  </script>
</body></html>`;

/**
 * Several `<async-chat>` on one page against the reference server (real database on PGlite, the
 * server's runner, the LLM faked at its HTTP boundary): with their own `storage-key` they are
 * separate conversations, across a reload too, and a listener on the document hears each reply once.
 */
describe.runIf(run)('two widgets on one page (Chromium, reference server)', () => {
  let browser: Browser;
  let server: WidgetServer;
  let base: string;

  beforeAll(async () => {
    server = await startWidgetServer();
    ({ base } = server);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const chat = (page: Page, name: string) => page.getByRole('region', { name });
  const logText = async (page: Page, name: string) => (await chat(page, name).getByRole('log').textContent()) ?? '';
  const send = async (page: Page, name: string, text: string) => {
    await chat(page, name).getByRole('textbox', { name: 'Message' }).fill(text);
    await chat(page, name).getByRole('button', { name: 'Send' }).click();
  };
  const replies = (page: Page) => page.evaluate(() => (window as unknown as { __replies: string[] }).__replies);

  it('keeps a conversation per storage key, hears each reply once, and is one visitor', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const sessions: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && request.url().endsWith('/api/session') && sessions.push(request.url()));
    await context.route(`${base}/two`, (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
    await page.goto(`${base}/two`);

    await send(page, 'Sales', 'a question for sales');
    await expect.poll(() => logText(page, 'Sales'), POLL).toContain('Fake LLM says: a question for sales');
    await send(page, 'Support', 'a question for support');
    await expect.poll(() => logText(page, 'Support'), POLL).toContain('Fake LLM says: a question for support');
    expect(await logText(page, 'Support')).not.toContain('for sales');
    expect(await logText(page, 'Sales')).not.toContain('for support');
    await expect
      .poll(() => replies(page), POLL)
      .toEqual(['sales: Fake LLM says: a question for sales', 'support: Fake LLM says: a question for support']);

    // After a reload each widget continues its own conversation.
    await page.reload();
    await expect.poll(() => logText(page, 'Sales'), POLL).toContain('Fake LLM says: a question for sales');
    await expect.poll(() => logText(page, 'Support'), POLL).toContain('Fake LLM says: a question for support');
    expect(await logText(page, 'Sales')).not.toContain('for support');
    expect(await logText(page, 'Support')).not.toContain('for sales');
    const stored = await page.evaluate(() => ({
      sales: localStorage.getItem('async-tasks:chat:sales:conversation'),
      support: localStorage.getItem('async-tasks:chat:support:conversation'),
    }));
    expect(stored.sales).toBeTruthy();
    expect(stored.support).toBeTruthy();
    expect(stored.sales).not.toBe(stored.support);
    // One anonymous session for both widgets: the page is one visitor.
    expect(sessions).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
