// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSessionScript, openFakeSite, ORIGIN } from './bundle-page.js';

const run = checkRequirement(requirements.chromium);

/** The page's own CSS reaches the widget's parts, and only them. */
const PAGE_CSS = `
  async-chat::part(launcher) { background-color: rgb(1, 2, 3); }
  async-chat[open]::part(panel) { outline: 3px solid rgb(4, 5, 6); }
  async-chat::part(header) { background-color: rgb(7, 8, 9); }
  async-chat::part(send-button) { background-color: rgb(10, 11, 12); }
`;

/**
 * `<async-chat>` of the built script-tag bundle behaving like a built-in element in Chromium:
 * focus delegation, `::part` styling from the page, `open` and its attribute in both directions.
 */
describe.runIf(run)('<async-chat> as a built-in-like element (Chromium)', () => {
  let browser: Browser;
  let page: Page;
  const events: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    ({ page } = await openFakeSite(browser, {
      html: `<!doctype html><html><head><meta charset="utf-8"><title>element</title><style>${PAGE_CSS}</style></head>
        <body><button id="before">before</button><script src="/chat-widget.js" data-mount="manual"></script><script src="/fake.js"></script></body></html>`,
      scripts: { '/fake.js': fakeSessionScript([]) },
    }));
    await page.exposeFunction('__event', (type: string) => events.push(type));
    await page.goto(`${ORIGIN}/`);
    await page.evaluate(() => {
      const chat = document.querySelector('async-chat')!;
      for (const type of ['open', 'close'])
        chat.addEventListener(type, () => (window as unknown as { __event(t: string): void }).__event(type));
    });
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const focused = () => page.evaluate(() => document.querySelector('async-chat')!.shadowRoot!.activeElement?.className ?? null);
  const opened = () =>
    page.evaluate(() => ({ open: document.querySelector('async-chat')!.open, matches: !!document.querySelector('async-chat[open]') }));
  const partStyle = (selector: string, property: string) =>
    page.evaluate(
      ([selector, property]) =>
        getComputedStyle(document.querySelector('async-chat')!.shadowRoot!.querySelector(selector!)!).getPropertyValue(property!),
      [selector, property],
    );

  it('focus() goes to the launcher while closed and to the message box once open', async () => {
    await page.evaluate(() => document.querySelector('async-chat')!.focus());
    expect(await focused()).toBe('acw-launcher');
    await page.evaluate(() => {
      document.querySelector<HTMLElement>('#before')!.focus();
      document.querySelector('async-chat')!.open = true;
    });
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.evaluate(() => {
      document.querySelector<HTMLElement>('#before')!.focus();
      document.querySelector('async-chat')!.focus();
    });
    expect(await page.evaluate(() => document.querySelector('async-chat')!.shadowRoot!.activeElement?.localName)).toBe('textarea');
  });

  it('styles the parts the page names with ::part', async () => {
    expect(await partStyle('.acw-launcher', 'background-color')).toBe('rgb(1, 2, 3)');
    expect(await partStyle('.acw-panel', 'outline-color')).toBe('rgb(4, 5, 6)');
    expect(await partStyle('.acw-head', 'background-color')).toBe('rgb(7, 8, 9)');
    expect(await partStyle('.acw-send:not(.acw-stop)', 'background-color')).toBe('rgb(10, 11, 12)');
  });

  it('writes the visitor closing it back to open, and opens again when open is set', async () => {
    events.length = 0;
    expect(await opened()).toEqual({ open: true, matches: true });
    await page.getByRole('textbox', { name: 'Message' }).press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await opened()).toEqual({ open: false, matches: false });
    await page.evaluate(() => {
      document.querySelector('async-chat')!.open = true;
    });
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Close chat' }).first().click();
    await expect.poll(opened).toEqual({ open: false, matches: false });
    await page.getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(opened).toEqual({ open: true, matches: true });
    expect(events).toEqual(['close', 'close', 'open']);
  });

  it('takes the empty string a framework sets for a bare boolean attribute, and leaves dir and title to HTMLElement', async () => {
    const state = await page.evaluate(() => {
      const chat = document.querySelector('async-chat')!;
      (chat as unknown as { open: unknown }).open = 'false';
      const closed = chat.hasAttribute('open');
      (chat as unknown as { open: unknown }).open = '';
      chat.dir = 'rtl';
      chat.title = 'A tooltip';
      return {
        closed,
        open: chat.open,
        dirAttribute: chat.getAttribute('dir'),
        direction: getComputedStyle(chat.shadowRoot!.querySelector('.acw-panel')!).direction,
        heading: chat.shadowRoot!.querySelector('h2')?.textContent,
      };
    });
    expect(state).toEqual({ closed: false, open: true, dirAttribute: 'rtl', direction: 'rtl', heading: 'Chat' });
  });
});
