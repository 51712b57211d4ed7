import { checkRequirement, requirements } from '@app/test-support';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNextServer } from './support/example-server.js';
import { startStack, type Stack } from './support/stack.js';
import { conversationLog, openChat, recordStatuses, sendMessage, shownStatuses, type Surface } from './support/surface.js';

const hasChromium = checkRequirement(requirements.chromium);
const REPLY_TIMEOUT = 30_000;

const widget: Surface = { name: 'next-widget', path: '/', widget: true, queuedLabel: /waiting/i, offlineNotice: /offline/i };
const customUi: Surface = { name: 'next-custom-ui', path: '/custom', widget: false, queuedLabel: /waiting/i, offlineNotice: /offline/i };

/**
 * examples/next: built with `next build`, served by `next start` (App Router, pages rendered on
 * the server per request), the widget and a useAsyncChat UI each in a client component, against
 * the reference server in Chromium. Fewer scenarios than the Vite examples: the widget and the
 * SDK are the same; what is Next's own is server rendering, hydration and the client components.
 */
describe.runIf(hasChromium)('examples/next (next build, next start) with the reference server, in Chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack((serverUrl) => startNextServer(serverUrl));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A fresh visitor whose page errors and console errors (hydration mismatches among them) are collected. */
  const visitor = async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1000, height: 720 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(`${message.text()} ${message.location().url}`));
    await recordStatuses(page);
    return { context, page, errors };
  };
  const logText = (page: Page) => conversationLog(page).innerText();

  test('the server renders <async-chat> with its attributes and the custom UI empty, without errors', async () => {
    const widgetHtml = await (await fetch(`${stack.site.url}/`)).text();
    expect(widgetHtml).toContain(`<async-chat server-url="${stack.serverUrl}" chat-title="Ask Acme Plants"`);
    const customHtml = await (await fetch(`${stack.site.url}/custom`)).text();
    expect(customHtml).toContain('aria-label="Conversation"');
    expect(customHtml).not.toContain('chat-msg');
  });

  test('next-widget: the element hydrates with its properties, shows the live status, then the reply', async () => {
    stack.llm.enqueue({ delayMs: 2000, content: 'Water a fern when the top **2 cm** feel dry.' });
    const { context, page, errors } = await visitor();
    await openChat(page, stack.site.url, widget);
    const replies: string[] = [];
    page.on('console', (message) => message.text().startsWith('reply received') && replies.push(message.text()));
    // `suggestions` is a list, set as a property once the component has hydrated.
    await page.getByRole('button', { name: 'Do you ship on Fridays?' }).waitFor();
    await sendMessage(page, 'How often should I water a fern?');
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain('Water a fern when the top 2 cm feel dry.');
    expect(await shownStatuses(page)).toContain('AI is thinking…');
    expect(await conversationLog(page).locator('strong').first().textContent()).toBe('2 cm');
    // The onReplyReceived callback is a listener on the hydrated element.
    await expect.poll(() => replies.length).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('next-custom-ui: useAsyncChat connects after hydration, sends and shows the reply; the widget page continues it', async () => {
    const { context, page, errors } = await visitor();
    await openChat(page, stack.site.url, customUi);
    const question = 'next-custom-ui: do cacti need much water?';
    await sendMessage(page, question);
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain(`Echo: ${question}`);
    expect(await shownStatuses(page)).toContain('AI is thinking…');
    // The same visitor and conversation in the widget, after a client-side navigation.
    await page.getByRole('link', { name: 'Widget' }).click();
    await page.getByRole('button', { name: /open chat/i }).click();
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain(`Echo: ${question}`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
