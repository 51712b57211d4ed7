// @vitest-environment node
import { readFileSync } from 'node:fs';
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCode, type FakeSiteOptions, fakeSessionScript, openFakeSite, ORIGIN } from './bundle-page.js';

const run = checkRequirement(requirements.chromium);

const history = [{ id: 'm1', role: 'assistant', content: 'Hello **there**', delivery: 'sent', taskId: null }];
const pageWith = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>chunks</title></head><body>${body}</body></html>`;
/** The bundle mounted by `AsyncChat.init` on a page-level fake session. */
const initPage = (options: Record<string, unknown> = {}) => ({
  html: pageWith(`<div id="chat"></div><script src="/chat-widget.js" data-mount="manual"></script><script src="/fake.js"></script>`),
  scripts: { '/fake.js': fakeSessionScript(history, { title: 'Help desk', ...options }) },
});

/**
 * The browser's idle callbacks, held until the test runs them: "idle" then happens exactly when
 * the test says, and nothing else can have asked for the panel before.
 */
const holdIdleCallbacks = (page: Page) =>
  page.addInitScript(() => {
    const held = new Map<number, IdleRequestCallback>();
    (window as unknown as { __idle: typeof held }).__idle = held;
    let lastId = 0;
    window.requestIdleCallback = (callback) => {
      held.set(++lastId, callback);
      return lastId;
    };
    window.cancelIdleCallback = (id) => {
      held.delete(id);
    };
  });
type HeldIdle = { __idle: Map<number, IdleRequestCallback> };
const idleCallbacks = (page: Page) => page.evaluate(() => (window as unknown as HeldIdle).__idle.size);
const runIdleCallbacks = (page: Page) =>
  page.evaluate(() => {
    const held = (window as unknown as HeldIdle).__idle;
    const callbacks = [...held.values()];
    held.clear();
    for (const callback of callbacks) callback({ didTimeout: false, timeRemaining: () => 50 });
  });

/** A gate for a chunk's answer: held until `release()`. */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { opened, release };
}

describe.runIf(run)('the script-tag bundle in two chunks (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (site: FakeSiteOptions) => {
    const opened = await openFakeSite(browser, site);
    const errors: string[] = [];
    opened.page.on('pageerror', (error) => errors.push(error.message));
    await holdIdleCallbacks(opened.page);
    return { ...opened, errors, panelRequests: () => opened.requests.filter((r) => new URL(r).pathname === '/chat-widget-panel.js') };
  };
  const shadow = (page: Page) => page.locator('async-chat');
  /** The panel chunk came and ran: its script element is gone once it has (src/bundle/panel-chunk-loader.ts). */
  const panelScriptGone = (page: Page) => page.evaluate(() => !document.querySelector('script[src*="chat-widget-panel"]'));

  it('bubble mode: only the first chunk until the browser is idle, then the panel, which then opens at once', async () => {
    const { page, requests, panelRequests, errors } = await open(initPage());
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    // The prefetch waits for the browser to be idle after the page loaded and the launcher painted.
    await expect.poll(() => idleCallbacks(page)).toBeGreaterThan(0);
    expect(requests.map((r) => new URL(r).pathname)).toEqual(['/', '/chat-widget.js', '/fake.js']);

    await runIdleCallbacks(page);
    await expect.poll(() => panelRequests().length).toBe(1);
    expect(panelRequests()[0]).toBe(`${ORIGIN}/chat-widget-panel.js?v=${await page.evaluate(() => window.AsyncChat.version)}`);
    await expect.poll(() => panelScriptGone(page)).toBe(true);
    expect(await shadow(page).getByRole('dialog').count()).toBe(0); // still closed

    // Prefetched: the click renders the whole panel, with no loading state in between.
    const opened = await page.evaluate(async () => {
      const root = document.querySelector('async-chat')!.shadowRoot!;
      root.querySelector<HTMLButtonElement>('.acw-launcher')!.click();
      await new Promise((resolve) => setTimeout(resolve));
      return { loading: !!root.querySelector('.acw-wait'), textbox: !!root.querySelector('textarea') };
    });
    expect(opened).toEqual({ loading: false, textbox: true });
    await expect
      .poll(() => page.evaluate(() => document.querySelector('async-chat')!.shadowRoot!.activeElement?.localName))
      .toBe('textarea');
    expect(await shadow(page).getByRole('log').locator('strong').textContent()).toBe('there');
    expect(panelRequests()).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('bubble mode: hovering the launcher asks for the panel, and opening before it is here shows it is loading, with the message box', async () => {
    const held = gate();
    const { page, panelRequests, errors } = await open({
      ...initPage(),
      chunks: { 'chat-widget-panel.js': (_route: Route, serve) => held.opened.then(serve) },
    });
    await page.goto(`${ORIGIN}/`);
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.hover();
    await expect.poll(() => panelRequests().length).toBe(1);
    await launcher.click();
    const dialog = shadow(page).getByRole('dialog', { name: 'Help desk' });
    await dialog.getByRole('status').filter({ hasText: 'Loading the chat…' }).waitFor();
    // The message box takes typing while the conversation's code is on its way.
    expect(await dialog.getByRole('textbox', { name: 'Message' }).isEditable()).toBe(true);
    expect(await dialog.getByRole('log').count()).toBe(0);

    held.release();
    await dialog.getByRole('log').waitFor();
    expect(await page.evaluate(() => document.querySelector('async-chat')!.shadowRoot!.activeElement?.localName)).toBe('textarea');
    expect(await dialog.getByRole('status').count()).toBe(0);
    expect(panelRequests()).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('bubble mode: focus on the launcher asks for the panel too', async () => {
    const { page, panelRequests } = await open(initPage());
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    expect(panelRequests()).toHaveLength(0);
    await page.keyboard.press('Tab');
    await expect.poll(() => panelRequests().length).toBe(1);
    await page.context().close();
  });

  it('inline mode loads the panel at once, without waiting for the browser to be idle', async () => {
    const { page, panelRequests, errors } = await open(initPage({ mode: 'inline', target: '#chat' }));
    await page.goto(`${ORIGIN}/`);
    const region = shadow(page).getByRole('region', { name: 'Help desk' });
    await region.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await region.getByRole('log').locator('strong').textContent()).toBe('there');
    expect(await runIdleCallbacks(page).then(() => panelRequests())).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('inline mode: a preload hint for the panel lets the page fetch both chunks at once', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const site = initPage({ mode: 'inline', target: '#chat' });
    const { page, requests, errors } = await open({
      ...site,
      html: site.html.replace('<title>', `<link rel="preload" as="script" href="/chat-widget-panel.js?v=${version}"><title>`),
    });
    await page.goto(`${ORIGIN}/`);
    await shadow(page).getByRole('textbox', { name: 'Message' }).waitFor();
    // One request for the panel: the script the first chunk adds takes the preloaded response.
    expect(requests.filter((r) => r.includes('chat-widget')).map((r) => new URL(r).pathname)).toEqual([
      '/chat-widget-panel.js',
      '/chat-widget.js',
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('bubble mode: the element AsyncChat.init returns takes properties and sends its events across the chunks', async () => {
    const { page, errors } = await open(initPage());
    await page.goto(`${ORIGIN}/`);
    await page.evaluate(() => {
      const w = window as unknown as { __events: string[] };
      w.__events = [];
      for (const type of ['open', 'close', 'message-sent']) document.addEventListener(type, () => w.__events.push(type));
      Object.assign(document.querySelector('async-chat')!, { chatTitle: 'Renamed', open: true });
    });
    const dialog = shadow(page).getByRole('dialog', { name: 'Renamed' });
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Hi');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Close chat' }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __events: string[] }).__events)).toEqual(['message-sent', 'close']);
    expect(await page.evaluate(() => (window as unknown as { __fake: { calls: string[] } }).__fake.calls)).toEqual(['send:Hi']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it.each([
    ['answered 404', (route: Route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' })],
    ['unreachable (offline)', (route: Route) => route.abort('internetdisconnected')],
  ])('a panel chunk %s: the panel says so with Retry, and Retry loads it', async (_, fail) => {
    let failing = true;
    const { page, panelRequests } = await open({
      ...initPage({ mode: 'inline', target: '#chat' }),
      chunks: { 'chat-widget-panel.js': (route, serve) => (failing ? fail(route) : serve()) },
    });
    await page.goto(`${ORIGIN}/`);
    const region = shadow(page).getByRole('region', { name: 'Help desk' });
    const alert = region.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The chat could not be loaded. Check your connection and try again.');

    failing = false;
    await alert.getByRole('button', { name: 'Retry' }).click();
    await region.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await region.getByRole('alert').count()).toBe(0);
    expect(panelRequests()).toHaveLength(2);
    await page.context().close();
  });

  it('bubble mode: a panel that failed to prefetch is asked for again on open, and shows why if that fails too', async () => {
    let failing = true;
    const { page, panelRequests } = await open({
      ...initPage(),
      chunks: { 'chat-widget-panel.js': (route, serve) => (failing ? route.abort('internetdisconnected') : serve()) },
    });
    await page.goto(`${ORIGIN}/`);
    await expect.poll(() => idleCallbacks(page)).toBeGreaterThan(0);
    await runIdleCallbacks(page);
    await expect.poll(() => panelScriptGone(page)).toBe(true);
    expect(panelRequests()).toHaveLength(1);

    await page.getByRole('button', { name: 'Open chat' }).click();
    const dialog = shadow(page).getByRole('dialog', { name: 'Help desk' });
    await dialog.getByRole('alert').waitFor();
    expect(panelRequests().length).toBeGreaterThan(1);
    failing = false;
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await dialog.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.context().close();
  });

  it('a panel chunk of another version is refused with the same error, naming both versions', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const other = bundleCode('chat-widget-panel.js').replaceAll(version, '0.0.0-other');
    const { page, errors } = await open({
      ...initPage({ mode: 'inline', target: '#chat' }),
      chunks: { 'chat-widget-panel.js': (route) => route.fulfill({ contentType: 'text/javascript', body: other }) },
    });
    await page.goto(`${ORIGIN}/`);
    await shadow(page).getByRole('region', { name: 'Help desk' }).getByRole('alert').waitFor();
    expect(errors).toEqual([
      `chat-widget-panel.js 0.0.0-other cannot run beside chat-widget.js ${version}: serve both files of one build.`,
    ]);
    await page.context().close();
  });
});
