// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbiddenHostPattern, xssVectors } from '../fixtures/xss-vectors.js';
import { fakeSessionScript, openFakeSite, ORIGIN } from './bundle-page.js';

const run = checkRequirement(requirements.chromium);

// No CSP on this page on purpose: a CSP would hide an injection the renderer let through.
const html = `<!doctype html><html><head><meta charset="utf-8"><title>xss</title>
<script src="/trap.js"></script></head><body><div id="chat"></div>
<script src="/chat-widget.js" data-mount="manual"></script><script src="/fake.js"></script></body></html>`;

// Records any code the vectors manage to run.
const trap = `window.__xss = []; ['alert','confirm','prompt'].forEach(function (n) { window[n] = function (m) { window.__xss.push(n + ':' + m); }; });`;

describe.runIf(run)('XSS corpus in the built bundle (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every vector as a reply without running code, javascript: links or stray requests', async () => {
    const messages = xssVectors.map((content, i) => ({ id: `m${i}`, role: 'assistant', content, delivery: 'sent', taskId: null }));
    const { page, requests } = await openFakeSite(browser, {
      html,
      scripts: { '/trap.js': trap, '/fake.js': fakeSessionScript(messages, { mode: 'inline', target: '#chat' }) },
    });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${ORIGIN}/`);
    const log = page.getByRole('log');
    await expect.poll(() => log.locator('.acw-msg').count(), { timeout: 30_000 }).toBe(xssVectors.length);
    // Hover and focus every element once, so on* handlers would have had their chance.
    await page.evaluate(() => {
      const root = document.querySelector('async-chat')!.shadowRoot!;
      for (const el of root.querySelectorAll('*')) {
        for (const type of ['mouseover', 'focus', 'load', 'error', 'toggle']) el.dispatchEvent(new Event(type));
      }
    });
    await page.waitForLoadState('networkidle');

    const found = await page.evaluate(() => {
      const root = document.querySelector('async-chat')!.shadowRoot!;
      const everything = [...root.querySelector('[role=log]')!.querySelectorAll('*')];
      // The row under each message (its time, the copy, rating and regenerate buttons with their
      // icons) is the widget's own, outside the bubble: checked on its own below.
      const all = everything.filter((e) => !e.closest('.acw-actions'));
      const rows = everything.filter((e) => e.closest('.acw-actions'));
      // The widget's own controls in replies, which a reply cannot shape (a task item's disabled
      // checkbox, a code block's copy button): exactly these attributes, nothing from the reply inside.
      const attrs = (e: Element) =>
        [...e.attributes]
          .map((a) => a.name)
          .sort()
          .join();
      const isControl = (e: Element) =>
        (e.localName === 'input' &&
          e.matches('label.acw-task > input[type=checkbox][disabled]:first-child') &&
          attrs(e) === 'disabled,type') ||
        (e.localName === 'button' &&
          e.matches('.acw-code-bar > button.acw-copy[aria-label="Copy"]') &&
          attrs(e) === 'aria-label,class,type' &&
          !e.hasChildNodes());
      return {
        controls: all
          .filter((e) => ['input', 'button'].includes(e.localName) && e.closest('.acw-msg'))
          .filter((e) => !isControl(e))
          .map((e) => e.outerHTML),
        checkboxes: all.filter((e) => e.localName === 'input').length,
        xss: (window as unknown as { __xss: string[] }).__xss,
        hrefs: all.filter((e) => e.localName === 'a').map((a) => (a as HTMLAnchorElement).href),
        elements: [...new Set(all.filter((e) => !isControl(e)).map((e) => e.localName))].sort(),
        handlers: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.localName}[${a.name}]`)),
        sources: all.filter((e) => e.hasAttribute('src')).map((e) => e.localName),
        rowElements: [...new Set(rows.map((e) => e.localName))].sort(),
        rowButtons: [...new Set(rows.filter((e) => e.localName === 'button').map((e) => e.getAttribute('aria-label')))].sort(),
        rowLinks: rows.filter(
          (e) => e.hasAttribute('href') || e.hasAttribute('src') || [...e.attributes].some((a) => a.name.startsWith('on')),
        ).length,
      };
    });
    expect(found.xss).toEqual([]);
    expect(found.controls).toEqual([]);
    expect(found.checkboxes).toBe(2);
    expect(dialogs).toEqual([]);
    expect(found.handlers).toEqual([]);
    expect(found.sources).toEqual([]);
    for (const tag of found.rowElements) expect(['button', 'div', 'path', 'span', 'svg', 'time']).toContain(tag);
    for (const name of found.rowButtons) expect(['Bad reply', 'Copy', 'Copy Markdown', 'Edit', 'Good reply', 'Regenerate']).toContain(name);
    expect(found.rowButtons).toContain('Copy Markdown');
    expect(found.rowLinks).toBe(0);
    expect(found.hrefs.length).toBeGreaterThan(0);
    for (const href of found.hrefs) expect(new URL(href).protocol, href).toMatch(/^(https?|mailto):$/);
    for (const tag of [
      'script',
      'iframe',
      'object',
      'embed',
      'img',
      'svg',
      'style',
      'meta',
      'base',
      'form',
      'input',
      'video',
      'audio',
      'math',
    ])
      expect(found.elements).not.toContain(tag);
    expect(requests.filter((r) => forbiddenHostPattern.test(r) || !r.startsWith(ORIGIN))).toEqual([]);
    expect(requests.map((r) => new URL(r).pathname).sort()).toEqual([
      '/',
      '/chat-widget-panel.js',
      '/chat-widget.js',
      '/fake.js',
      '/trap.js',
    ]);
    await page.context().close();
  });
});
