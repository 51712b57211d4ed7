// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWidgetServer, type WidgetServer } from './reference-server.js';

const run = checkRequirement(requirements.chromium);
const POLL = { timeout: 30_000 };

/**
 * The built script-tag bundle on the reference server's demo page (real server, real database on
 * PGlite, the server's own runner), with only the LLM faked at its HTTP boundary.
 */
describe.runIf(run)('script-tag bundle against the reference server (Chromium)', () => {
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

  const openChat = async (page: Page) => {
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog').waitFor();
  };
  /** After a reload the panel that was open is open again by itself. */
  const reopened = (page: Page) => page.getByRole('dialog').waitFor();
  const send = async (page: Page, text: string) => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  };
  const logText = (page: Page) => page.getByRole('log').textContent();
  const status = (page: Page) =>
    page
      .getByRole('status')
      .textContent({ timeout: 1000 })
      .catch(() => null);

  it('sends, shows live status across a reload, stops, and retries after a failure', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await openChat(page);

    // Live status from the server's runner while the model is working; the reply after it.
    await send(page, 'first [hold]');
    await expect.poll(() => status(page), POLL).toMatch(/Reading the conversation…|AI is thinking…/);
    await expect.poll(() => status(page), POLL).toBe('AI is thinking…');

    // Reload mid-task: the conversation and the running reply come back.
    await page.reload();
    await reopened(page);
    await expect.poll(() => logText(page), POLL).toContain('first [hold]');
    await expect.poll(() => status(page), POLL).toBe('AI is thinking…');
    // The status shows before the model is called: release only once the call is held.
    await expect.poll(() => llm.waiting(), POLL).toBe(1);
    llm.release();
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: first [hold]');
    await expect.poll(() => status(page), POLL).toBeNull();

    // Stop: the reply is cancelled and never arrives.
    await send(page, 'second [hold]');
    await page.getByRole('button', { name: 'Stop' }).click(POLL);
    await expect.poll(() => status(page), POLL).toBeNull();
    llm.release();
    await send(page, 'third');
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: third');
    expect(await logText(page)).not.toContain('Fake LLM says: second');

    // An injected model failure shows a readable reason; Retry gets the reply.
    await send(page, 'fourth [fail]');
    const alert = page.getByRole('alert');
    await alert.waitFor(POLL);
    expect(await alert.textContent()).toContain('The AI service could not answer.');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: fourth [fail]');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });

  /** The reply bubble: the second message of the log (after the question). */
  const reply = (page: Page) => page.getByRole('log').locator('.acw-msg').nth(1);
  const replyState = (page: Page) =>
    reply(page).evaluate((el) => ({
      text: el.textContent ?? '',
      busy: el.getAttribute('aria-busy'),
      note: el.querySelector('.acw-note')?.textContent ?? null,
    }));

  it('streams a reply: words before the task completes, the text so far after a reload, then the rest', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await openChat(page);
    await send(page, 'explain [pause]');
    // The model has written part one and waits: the widget shows it while the reply is still being made.
    await expect
      .poll(() => replyState(page), POLL)
      .toEqual({ text: 'Assistant: Fake LLM says: explain [pause]. Part one.', busy: 'true', note: null });
    expect(await page.getByRole('button', { name: 'Stop' }).isEnabled()).toBe(true);

    await page.reload();
    await reopened(page);
    await expect
      .poll(() => replyState(page), POLL)
      .toEqual({ text: 'Assistant: Fake LLM says: explain [pause]. Part one.', busy: 'true', note: null });
    const bubble = await reply(page).elementHandle();
    llm.release();
    await expect
      .poll(() => replyState(page), POLL)
      .toEqual({ text: 'Assistant: Fake LLM says: explain [pause]. Part one. Part two.', busy: null, note: null });
    // The stored message took the streamed text's place in the same node.
    expect(await bubble!.evaluate((el) => el.isConnected)).toBe(true);
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    await page.close();
  });

  it('Stop keeps the words written so far, marked stopped, also after a reload', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await openChat(page);
    await send(page, 'stop me [pause]');
    await expect
      .poll(() => replyState(page), POLL)
      .toMatchObject({ text: 'Assistant: Fake LLM says: stop me [pause]. Part one.', busy: 'true' });
    await page.getByRole('button', { name: 'Stop' }).click();
    const stopped = { text: 'Assistant: Fake LLM says: stop me [pause]. Part one.Stopped.', busy: null, note: 'Stopped.' };
    await expect.poll(() => replyState(page), POLL).toEqual(stopped);
    llm.release(); // nothing is waiting: Stop ended the model call
    await page.reload();
    await reopened(page);
    await expect.poll(() => replyState(page), POLL).toEqual(stopped);
    await page.close();
  });
});
