// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWidgetServer, type WidgetServer } from './reference-server.js';

const run = checkRequirement(requirements.chromium);
const POLL = { timeout: 30_000 };

/**
 * A visitor on the reference server's demo page (the built script-tag bundle, the real server on
 * PGlite with its own runner, only the LLM faked at its HTTP boundary) goes through what a chat
 * is expected to do: copy, feedback, regenerate, edit, Stop, two conversations, delete, the
 * unread badge, and a phone-sized screen.
 */
describe.runIf(run)('a visitor on the reference server (Chromium)', () => {
  let browser: Browser;
  let server: WidgetServer;
  let llm: WidgetServer['llm'];
  let base: string;

  beforeAll(async () => {
    server = await startWidgetServer();
    ({ base, llm } = server);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const send = async (page: Page, text: string) => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  };
  const log = (page: Page) => page.getByRole('log');
  const logText = (page: Page) => log(page).textContent();
  const replies = (page: Page) => log(page).locator('.acw-msg[data-role="assistant"]');
  const questions = (page: Page) => log(page).locator('.acw-msg[data-role="user"]');
  const conversationsButton = (page: Page) => page.getByRole('button', { name: 'Conversations' });
  const openChat = async (page: Page) => {
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog').waitFor();
  };
  const newPage = async (context?: BrowserContext) => {
    const ctx = context ?? (await browser.newContext());
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    return page;
  };

  it('copies a reply, rates it down with a comment, regenerates it, edits the question, and Stop leaves "Stopped"', async () => {
    const page = await newPage();
    await openChat(page);
    await send(page, 'What are your hours?');
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: What are your hours?');

    // Copy: the text as shown, and the Markdown source.
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), POLL).toBe('Fake LLM says: What are your hours?');
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.getByRole('button', { name: 'Copy Markdown' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), POLL).toBe('Fake LLM says: What are your hours?');
    // Each message says when it was written, the full date for screen readers and on hover.
    const time = log(page).locator('time').last();
    expect(await time.locator('[aria-hidden]').textContent()).toBe('just now');
    expect(await time.getAttribute('title')).toMatch(/\d{4}/);

    // A thumbs down, sent at once, with a comment after it; it is still there after a reload.
    await page.getByRole('button', { name: 'Bad reply' }).click();
    await page.getByRole('textbox', { name: 'What was wrong? (optional)' }).fill('Not our real hours');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Bad reply' }).getAttribute('aria-pressed'), POLL).toBe('true');
    await page.reload();
    await expect.poll(() => page.getByRole('dialog').count(), POLL).toBe(1); // the open panel is remembered
    await expect.poll(() => page.getByRole('button', { name: 'Bad reply' }).getAttribute('aria-pressed'), POLL).toBe('true');

    // Regenerate: a new reply in the old one's place, not rated yet.
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Bad reply' }).getAttribute('aria-pressed'), POLL).toBe('false');
    await expect.poll(() => replies(page).count(), POLL).toBe(1);
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: What are your hours?');

    // Edit the question and send it again: the new question and its reply replace the old ones.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('textbox', { name: 'Edit your message' }).fill('What are your hours on Sunday?');
    await page.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: What are your hours on Sunday?');
    expect(await questions(page).allTextContents()).toEqual(['You: What are your hours on Sunday?']);
    await expect.poll(() => replies(page).count(), POLL).toBe(1);

    // Stop before any words: the reply is marked "Stopped.".
    await send(page, 'Tell me everything [hold]');
    await expect.poll(() => llm.waiting(), POLL).toBe(1);
    await page.getByRole('button', { name: 'Stop' }).click(POLL);
    await expect.poll(() => replies(page).last().textContent(), POLL).toBe('Assistant: Stopped.');
    await expect.poll(() => llm.waiting(), POLL).toBe(0); // Stop ended the model call
    await page.reload();
    await expect.poll(() => replies(page).last().textContent(), POLL).toBe('Assistant: Stopped.');
    await page.close();
  });

  it("keeps two conversations, switches between them and deletes one; the page's metadata goes with each message", async () => {
    const page = await newPage();
    const sent: unknown[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/chat/send') sent.push(r.postDataJSON());
    });
    await page.evaluate(() => {
      (document.querySelector('async-chat') as HTMLElement & { metadata: unknown }).metadata = { page: '/pricing', plan: 'pro' };
    });
    await openChat(page);
    await send(page, 'About shipping');
    await expect.poll(() => sent.length, POLL).toBe(1);
    expect(sent[0]).toMatchObject({ content: 'About shipping', metadata: { page: '/pricing', plan: 'pro' } });
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: About shipping');

    await conversationsButton(page).click();
    await page.getByRole('button', { name: 'New conversation' }).click();
    await send(page, 'About prices');
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: About prices');
    expect(await logText(page)).not.toContain('About shipping');

    await conversationsButton(page).click();
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await expect.poll(() => list.getByRole('listitem').count(), POLL).toBe(2);
    await list.getByRole('button', { name: /^About shipping/ }).click();
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: About shipping');
    expect(await logText(page)).not.toContain('About prices');

    await conversationsButton(page).click();
    await list.getByRole('button', { name: 'Delete conversation: About prices' }).click();
    await list.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => list.getByRole('listitem').count(), POLL).toBe(1);
    await page.reload();
    await conversationsButton(page).click();
    await expect.poll(() => list.getByRole('listitem').allTextContents(), POLL).toEqual([expect.stringContaining('About shipping')]);
    await page.close();
  });

  it('counts a reply that arrives while the panel is closed on the launcher, and clears it on open', async () => {
    const page = await newPage();
    await openChat(page);
    await send(page, 'Answer me later [hold]');
    await expect.poll(() => llm.waiting(), POLL).toBe(1); // the model is working on it
    await page.getByRole('button', { name: 'Close chat' }).first().click();
    llm.release();
    const badge = page.locator('async-chat .acw-badge');
    await expect.poll(() => badge.getAttribute('data-count'), POLL).toBe('1');
    const launcher = page.getByRole('button', { name: 'Open chat' });
    const description = await launcher.evaluate(
      (el) =>
        el.getRootNode() instanceof ShadowRoot &&
        (el.getRootNode() as ShadowRoot).getElementById(el.getAttribute('aria-describedby')!)?.textContent,
    );
    expect(description).toBe('1 new reply');
    await launcher.click();
    expect(await badge.count()).toBe(0);
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: Answer me later [hold]');
    await page.close();
  });

  it('takes the whole 375 × 667 screen on a phone, with a 16 px message box, and follows a light page on a dark system', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 667 },
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
    });
    const page = await newPage(context);
    await openChat(page);
    const panel = await page.getByRole('dialog').boundingBox();
    expect(panel).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    const box = page.getByRole('textbox', { name: 'Message' });
    expect(await box.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
    expect(await box.evaluate((el) => el.getBoundingClientRect().bottom)).toBeLessThanOrEqual(667);
    // The demo page declares no color-scheme, so it is drawn light: the widget too.
    expect(await page.locator('async-chat .acw').getAttribute('data-theme')).toBe('light');
    await page.getByRole('button', { name: 'Close chat' }).first().click();
    expect(await page.getByRole('button', { name: 'Open chat' }).isVisible()).toBe(true);
    await context.close();
  });
});
