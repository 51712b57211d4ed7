import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import { startProduct, type RunningProduct } from './support/product.js';

const hasChromium = checkRequirement(requirements.chromium);

describe.runIf(hasChromium)('the first chat, end to end (README quick start → Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    // Demo mode (no LLM key) with a slower reply, so every status step stays visible long enough to see.
    product = await startProduct({ DEMO_REPLY_DELAY_MS: '2500' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await product?.dispose();
  });

  const openChat = async (page: Page) => {
    await page.goto(product.url);
    // After a reload the panel that was open is open again by itself (the launcher says "Close chat").
    const launcher = page.getByRole('button', { name: /open chat|close chat/i }).last();
    await launcher.waitFor();
    if (/open chat/i.test((await launcher.getAttribute('aria-label')) ?? '')) await launcher.click();
    await page.getByRole('textbox', { name: /message/i }).waitFor();
  };

  test('a visitor sends a message, sees live status, gets the reply, and finds it again after a reload and a restart', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await openChat(page);

    const question = 'What is an asynchronous task? <b>not bold</b>';
    await page.getByRole('textbox', { name: /message/i }).fill(question);
    await page.keyboard.press('Enter');

    const log = page.getByRole('log');
    await expect.poll(() => log.innerText()).toContain(question);

    // The indicator shows the workflow's own status message, not a spinner or a percentage.
    const indicator = page.getByRole('status').filter({ hasText: /Reading the conversation|AI is thinking/ });
    await indicator.first().waitFor({ timeout: 30_000 });

    // Then the reply, clearly labelled as demo mode, and the indicator goes away.
    await expect.poll(() => log.innerText(), { timeout: 60_000 }).toMatch(/demo mode/i);
    await expect.poll(() => indicator.count(), { timeout: 30_000 }).toBe(0);
    const afterReply = await log.innerText();

    // A reload shows the same conversation.
    await openChat(page);
    await expect.poll(() => log.innerText(), { timeout: 30_000 }).toContain(question);
    await expect.poll(() => log.innerText()).toMatch(/demo mode/i);

    // A server restart on the same data folder keeps it too (PGlite on disk).
    await product.stop();
    await product.restart();
    await openChat(page);
    await expect.poll(() => log.innerText(), { timeout: 30_000 }).toContain(question);
    await expect.poll(() => log.innerText(), { timeout: 30_000 }).toMatch(/demo mode/i);
    expect((await log.innerText()).match(/demo mode/gi)?.length).toBe(afterReply.match(/demo mode/gi)?.length);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
