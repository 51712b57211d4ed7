// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDN_ORIGIN, fakeSessionScript, openFakeSite, ORIGIN } from './bundle-page.js';

const run = checkRequirement(requirements.chromium);

/** The policy docs/widget.md tells hosts to use: no inline script, no inline style. */
const CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'";

const page = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>csp</title>
<script src="/violations.js"></script></head><body>${body}</body></html>`;
const violations = `window.__violations = []; document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });`;

describe.runIf(run)('script-tag bundle under a strict CSP (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('mounts a styled bubble from an async script tag with no CSP violation', async () => {
    const html = page(`<script src="/chat-widget.js" data-mount="manual" async></script><script src="/fake.js" defer></script>`);
    const fake = `window.addEventListener('load', function () { ${fakeSessionScript([{ id: 'm1', role: 'assistant', content: 'Hello **there**', delivery: 'sent', taskId: null }], { title: 'Help desk', themeVars: { '--acw-accent': 'rgb(124, 58, 237)' } })} });`;
    const { page: p, requests } = await openFakeSite(browser, {
      html,
      headers: { 'content-security-policy': CSP },
      scripts: { '/violations.js': violations, '/fake.js': fake },
    });
    await p.goto(`${ORIGIN}/`);
    const launcher = p.getByRole('button', { name: 'Open chat' });
    await launcher.waitFor();
    // Styles arrived through adoptedStyleSheets: the launcher is fixed and takes the accent colour.
    const style = await launcher.evaluate((b) => ({
      position: getComputedStyle(b).position,
      background: getComputedStyle(b).backgroundColor,
    }));
    expect(style).toEqual({ position: 'fixed', background: 'rgb(124, 58, 237)' });
    await launcher.click();
    await expect.poll(() => p.getByRole('dialog', { name: 'Help desk' }).isVisible()).toBe(true);
    expect(await p.getByRole('log').locator('strong').textContent()).toBe('there');
    await p.getByRole('textbox', { name: 'Message' }).fill('Hi');
    await p.keyboard.press('Enter');
    await expect.poll(() => p.evaluate(() => (window as unknown as { __fake: { calls: string[] } }).__fake.calls)).toEqual(['send:Hi']);
    // The panel's code came as a second script from beside the first, which 'self' allows.
    expect(requests.filter((r) => r.includes('chat-widget')).map((r) => new URL(r).pathname)).toEqual([
      '/chat-widget.js',
      '/chat-widget-panel.js',
    ]);
    expect(await p.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await p.context().close();
  });

  it('mounts from its own data-* attributes with typed values and the script origin as server', async () => {
    const html = page(
      `<script src="/chat-widget.js" data-server-url="" data-title="From data" data-mode="inline" data-allow-images="false" data-suggestions='["A?","B?"]' async></script>`,
    );
    const { page: p, requests } = await openFakeSite(browser, {
      html,
      headers: { 'content-security-policy': CSP },
      scripts: { '/violations.js': violations },
    });
    await p.goto(`${ORIGIN}/`);
    await p.getByRole('region', { name: 'From data' }).waitFor();
    const props = await p.evaluate(() => {
      const el = document.querySelector('async-chat') as unknown as Record<string, unknown>;
      return { serverUrl: el.serverUrl, mode: el.mode, allowImages: el.allowImages, suggestions: el.suggestions };
    });
    expect(props).toEqual({ serverUrl: ORIGIN, mode: 'inline', allowImages: false, suggestions: ['A?', 'B?'] });
    expect(await p.getByRole('button', { name: 'B?' }).isVisible()).toBe(true);
    // Sending talks to the script's origin (answered 404 here), and to no other host.
    await p.getByRole('textbox', { name: 'Message' }).fill('Hi');
    await p.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => requests.some((r) => r.startsWith(`${ORIGIN}/api/`))).toBe(true);
    expect(requests.every((r) => r.startsWith(ORIGIN))).toBe(true);
    expect(await p.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await p.evaluate(() => (window as unknown as { AsyncChat: { destroy(): void } }).AsyncChat.destroy());
    expect(await p.locator('async-chat').count()).toBe(0);
    await p.context().close();
  });

  it('loads its panel from beside itself on the origin it came from, which the page allows in script-src', async () => {
    const html = page(
      `<div id="chat"></div><script src="${CDN_ORIGIN}/widget/chat-widget.js" data-mount="manual"></script><script src="/fake.js"></script>`,
    );
    const { page: p, requests } = await openFakeSite(browser, {
      html,
      headers: { 'content-security-policy': CSP.replace("script-src 'self'", `script-src 'self' ${CDN_ORIGIN}`) },
      scripts: {
        '/violations.js': violations,
        '/fake.js': fakeSessionScript([], { mode: 'inline', target: '#chat', title: 'From a CDN' }),
      },
    });
    await p.goto(`${ORIGIN}/`);
    await p.getByRole('region', { name: 'From a CDN' }).getByRole('textbox', { name: 'Message' }).waitFor();
    const chunks = requests.filter((r) => r.includes('chat-widget')).map((r) => new URL(r));
    expect(chunks.map((u) => `${u.origin}${u.pathname}`)).toEqual([
      `${CDN_ORIGIN}/widget/chat-widget.js`,
      `${CDN_ORIGIN}/widget/chat-widget-panel.js`,
    ]);
    expect(await p.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await p.context().close();
  });

  it("loads its panel under a policy that allows scripts by nonce only, with its own script's nonce", async () => {
    const nonce = 'r4nd0m-n0nce';
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>csp</title><script nonce="${nonce}" src="/violations.js"></script></head>
<body><div id="chat"></div><script nonce="${nonce}" src="/chat-widget.js" data-mount="manual"></script><script nonce="${nonce}" src="/fake.js"></script></body></html>`;
    const { page: p } = await openFakeSite(browser, {
      html,
      headers: { 'content-security-policy': CSP.replace("script-src 'self'", `script-src 'nonce-${nonce}'`) },
      scripts: { '/violations.js': violations, '/fake.js': fakeSessionScript([], { mode: 'inline', target: '#chat', title: 'By nonce' }) },
    });
    await p.goto(`${ORIGIN}/`);
    await p.getByRole('region', { name: 'By nonce' }).getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await p.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await p.context().close();
  });
});
