// @vitest-environment node
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSessionScript, openFakeSite, ORIGIN } from './bundle-page.js';

const run = checkRequirement(requirements.chromium);

/** Broad host rules of the kind real sites ship; they match the <async-chat> element itself. */
const HOSTILE_CSS = `* { letter-spacing: 3px; word-spacing: 9px; text-transform: uppercase; text-indent: 20px;
  text-shadow: 1px 1px red; text-align: center; cursor: crosshair; font-family: serif; line-height: 3; }
body { white-space: pre; font-feature-settings: "smcp"; }`;

const INHERITED = [
  'letter-spacing',
  'word-spacing',
  'text-transform',
  'text-indent',
  'text-shadow',
  'text-align',
  'white-space',
  'cursor',
  'font-family',
  'line-height',
  'font-feature-settings',
];

/** Computed inherited text properties of every element in the widget's shadow tree. */
const widgetStyles = (page: Page, props: string[]) =>
  page.evaluate((names) => {
    const root = document.querySelector('async-chat')!.shadowRoot!;
    return [...root.querySelectorAll('*')].map((el) => {
      const style = getComputedStyle(el);
      return `${el.tagName}.${el.className}: ${names.map((n) => style.getPropertyValue(n)).join(' | ')}`;
    });
  }, props);

describe.runIf(run)('style isolation of the script-tag bundle (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (css: string) => {
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>host</title><style>${css}</style></head>
<body><p id="host-text">Host text</p><script src="/chat-widget.js" data-mount="manual"></script><script src="/fake.js"></script></body></html>`;
    const fake = fakeSessionScript(
      [
        { id: 'm1', role: 'user', content: 'Hello', delivery: 'sent', taskId: null },
        { id: 'm2', role: 'assistant', content: 'A **reply** with `code`', delivery: 'sent', taskId: null },
      ],
      { title: 'Help desk', open: true },
    );
    const { page } = await openFakeSite(browser, { html, scripts: { '/fake.js': fake } });
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('log').waitFor();
    return page;
  };

  it('looks the same on a page whose broad rules set inherited text properties', async () => {
    const plain = await open('');
    const hostile = await open(HOSTILE_CSS);
    expect(await widgetStyles(hostile, INHERITED)).toEqual(await widgetStyles(plain, INHERITED));
    await plain.context().close();
    await hostile.context().close();
  });

  it('leaves the page styles as they were', async () => {
    const page = await open(HOSTILE_CSS);
    const hostText = await page.locator('#host-text').evaluate((el) => getComputedStyle(el).letterSpacing);
    expect(hostText).toBe('3px');
    await page.context().close();
  });
});
