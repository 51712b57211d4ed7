// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSessionScript, openFakeSite, ORIGIN } from './bundle-page.js';

const run = checkRequirement(requirements.chromium);

// The session as the SDK's is between Enter and the server's answer: the message echoed at once
// ('sending'), no task yet (this one never answers, so every cue seen is the widget's own).
const echoing = `
(function () {
  var s = window.__fake.session;
  s.send = function (text) {
    window.__fake.calls.push('send:' + text);
    s.$messages.set(s.$messages.get().concat([{ id: 'local-1', role: 'user', content: text, delivery: 'sending', taskId: null }]));
    return Promise.resolve();
  };
})();`;
const site = {
  html: `<!doctype html><html><head><meta charset="utf-8"><title>send</title></head><body><div id="chat" style="height:500px"></div>
<script src="/chat-widget.js" data-mount="manual"></script><script src="/fake.js"></script><script src="/echo.js"></script></body></html>`,
  scripts: { '/fake.js': fakeSessionScript([], { mode: 'inline', target: '#chat' }), '/echo.js': echoing },
};

/** What each animation frame shows from now on: the visitor's message, the thinking indicator. */
const recordFrames = (page: Page, text: string) =>
  page.evaluate((text) => {
    const root = document.querySelector('async-chat')!.shadowRoot!;
    const frames: { message: boolean; indicator: boolean }[] = [];
    (window as unknown as { __frames: typeof frames }).__frames = frames;
    const tick = () => {
      const message = !!root.querySelector('[role=log]')?.textContent?.includes(text);
      frames.push({ message, indicator: !!root.querySelector('.acw-thinking [role=status]') });
      if (!message) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, text);
const framesShown = (page: Page) =>
  page.evaluate(() => (window as unknown as { __frames: { message: boolean; indicator: boolean }[] }).__frames);

describe.runIf(run)('sending in Chromium: the reply is awaited from the frame of Enter', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the first frame with the visitor message also has the thinking indicator, before the server answers the send', async () => {
    const { page } = await openFakeSite(browser, site);
    await page.goto(`${ORIGIN}/`);
    const box = page.locator('async-chat').getByRole('textbox', { name: 'Message' });
    await page.locator('async-chat').getByRole('log').waitFor();
    await box.fill('How fast is this?');
    await recordFrames(page, 'How fast is this?');
    await box.press('Enter');
    await expect.poll(async () => (await framesShown(page)).at(-1)?.message).toBe(true);
    expect((await framesShown(page)).at(-1)).toEqual({ message: true, indicator: true });
    expect(await page.locator('async-chat').getByRole('status').textContent()).toBe('AI is thinking…');
    await page.context().close();
  });

  it('a message sent before the panel chunk is here is sent once it arrives, and shown with the indicator', async () => {
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { page } = await openFakeSite(browser, {
      ...site,
      chunks: { 'chat-widget-panel.js': (_route, serve) => arrived.then(serve) },
    });
    // (The page's load event waits for the held chunk.)
    await page.goto(`${ORIGIN}/`, { waitUntil: 'domcontentloaded' });
    const box = page.locator('async-chat').getByRole('textbox', { name: 'Message' });
    await box.fill('Typed early');
    await box.press('Enter');
    expect(await page.locator('async-chat').getByRole('log').count()).toBe(0);
    await recordFrames(page, 'Typed early');
    release();
    await expect.poll(async () => (await framesShown(page)).at(-1)?.message).toBe(true);
    expect((await framesShown(page)).at(-1)).toEqual({ message: true, indicator: true });
    expect(await page.evaluate(() => (window as unknown as { __fake: { calls: string[] } }).__fake.calls)).toEqual(['send:Typed early']);
    await page.context().close();
  });
});
