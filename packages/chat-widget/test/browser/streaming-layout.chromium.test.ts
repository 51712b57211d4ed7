// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSessionScript, openFakeSite } from './bundle-page.js';

const run = checkRequirement(requirements.chromium);

const question = { id: 'u1', role: 'user', content: 'How do plans work?', delivery: 'sent', taskId: 't1', status: 'final' };
const task = { id: 't1', status: 'processing', statusMessage: 'Reading the conversation…', error: null, cancelRequested: false };

/**
 * The built bundle in real layout, on a page-level fake session the test drives: where the reply
 * bubble is and how tall, and where the log is scrolled, as a reply streams.
 */
describe.runIf(run)('a streamed reply in the script-tag bundle (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = async () => {
    const html = `<!doctype html><meta charset="utf-8"><body><div id="chat" style="width:400px"></div>
<script src="/chat-widget.js" data-mount="manual"></script><script src="/fake.js"></script></body>`;
    const fake = fakeSessionScript([question], { mode: 'inline', target: '#chat', themeVars: { '--acw-height': '420px' } });
    const { page } = await openFakeSite(browser, { html, scripts: { '/fake.js': fake } });
    await page.goto('http://widget.test/');
    await page.getByRole('log').waitFor(); // the panel chunk is here
    await page.evaluate((t) => (window as any).__fake.session.$activeTask.set(t), task);
    return page;
  };
  /** Sets the reply's text as the SDK would hand it out, and waits for the next frame. */
  const stream = (page: Page, content: string, status = 'streaming') =>
    page.evaluate(
      ([q, text, s]) =>
        new Promise<void>((resolve) => {
          const session = (window as any).__fake.session;
          session.$messages.set([q, { id: 'reply:t1', role: 'assistant', content: text, status: s, taskId: 't1' }]);
          requestAnimationFrame(() => resolve());
        }),
      [question, content, status] as const,
    );
  const bubble = (page: Page) =>
    page.evaluate(() => {
      const el = document.querySelector('async-chat')!.shadowRoot!.querySelectorAll('.acw-log .acw-msg')[1]! as HTMLElement & {
        marked?: boolean;
      };
      const first = !el.marked;
      el.marked = true;
      const { top, height } = el.getBoundingClientRect();
      return { top, height, first, caret: getComputedStyle(el.lastElementChild!, '::after').content };
    });
  const log = (page: Page) =>
    page.evaluate(() => {
      const el = document.querySelector('async-chat')!.shadowRoot!.querySelector<HTMLElement>('[role=log]')!;
      return { gap: Math.round(el.scrollHeight - el.scrollTop - el.clientHeight), top: el.scrollTop };
    });

  it('fills the indicator bubble with the first words without moving anything, then grows the same node', async () => {
    const page = await open();
    const before = await bubble(page);
    expect(before.caret).toBe('none'); // the indicator has no caret
    await stream(page, 'Each plan includes');
    const after = await bubble(page);
    expect(after).toEqual({ top: before.top, height: before.height, first: false, caret: '""' });
    await stream(page, 'Each plan includes the widget.\n\n- one\n- two');
    const grown = await bubble(page);
    expect(grown.first).toBe(false);
    expect(grown.top).toBe(before.top);
    expect(grown.height).toBeGreaterThan(before.height);
    await page.context().close();
  });

  it('follows the reply at the bottom, stays where the reader scrolled, and jumps back from the keyboard', async () => {
    const page = await open();
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `Paragraph ${i} of a long reply.`).join('\n\n');
    await stream(page, lines(10));
    await stream(page, lines(20));
    expect((await log(page)).gap).toBeLessThan(2);

    await page.mouse.move(200, 200);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await log(page)).gap).toBeGreaterThan(100);
    const { top } = await log(page);
    await stream(page, lines(30));
    expect((await log(page)).top).toBe(top);

    const jump = page.getByRole('button', { name: 'Jump to latest' });
    await jump.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await log(page)).gap).toBeLessThan(2);
    expect(await page.evaluate(() => document.querySelector('async-chat')!.shadowRoot!.activeElement?.getAttribute('role'))).toBe('log');
    await stream(page, lines(35));
    expect((await log(page)).gap).toBeLessThan(2);
    await page.context().close();
  });
});
