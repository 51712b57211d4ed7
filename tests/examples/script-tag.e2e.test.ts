import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkRequirement, requirements } from '@app/test-support';
import { axeViolations, type AxeViolation } from './support/axe.js';
import { repoRoot, startStaticServer } from './support/example-server.js';
import { chatScenarios, saveScreenshot } from './support/scenarios.js';
import { startStack, type Stack } from './support/stack.js';
import { recordStatuses, shownStatuses } from './support/surface.js';

const hasChromium = checkRequirement(requirements.chromium);

describe.runIf(hasChromium)('examples/script-tag (static, cross-origin) with the reference server, in Chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The pages as committed, served from their own origin; only the README's server address is
    // swapped for the test server's, so the script tag loads the bundle cross-origin as on a real site.
    stack = await startStack((serverUrl) =>
      startStaticServer(join(repoRoot, 'examples', 'script-tag'), { 'http://localhost:8787': serverUrl }),
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  chatScenarios(
    () => stack,
    {
      name: 'script-tag',
      path: '/index.html',
      widget: true,
      queuedLabel: /waiting for connection/i,
      offlineNotice: /offline/i,
    },
    {
      hostSelectors: ['body', '.site-header', 'h1', 'main p', 'nav a'],
      screenshot: 'example-script-tag',
    },
  );

  const openOptionsPage = async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1000, height: 760 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await recordStatuses(page);
    await page.goto(`${stack.site.url}/options.html`);
    const helpDesk = page.locator('#help-desk');
    await helpDesk.getByRole('textbox', { name: /^message$/i }).waitFor();
    return { context, page, errors, helpDesk };
  };

  test('options page: AsyncChat.init mounts an inline chat with its options, and a suggestion gets a reply', async () => {
    const { context, page, errors, helpDesk } = await openOptionsPage();
    // (innerText stops at a shadow root; locators go inside it.)
    await helpDesk.getByRole('heading', { name: 'Help desk' }).waitFor();
    await helpDesk.getByText('Hello! Ask me about your order.').waitFor();
    expect(await helpDesk.getByRole('textbox', { name: /^message$/i }).getAttribute('placeholder')).toBe('Ask about your order…');
    expect(await helpDesk.getByRole('button', { name: /open chat/i }).count()).toBe(0); // inline: no launcher

    await helpDesk.getByRole('button', { name: 'Where is my order?' }).click();
    const log = helpDesk.getByRole('log');
    await expect.poll(() => log.innerText(), { timeout: 30_000 }).toContain('Echo: Where is my order?');
    expect(await shownStatuses(page)).toContain('AI is thinking…');
    // themeVars: the accent given to init colours the send button.
    await helpDesk.getByRole('textbox', { name: /^message$/i }).fill('x');
    expect(await helpDesk.getByRole('button', { name: /^send$/i }).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(109, 40, 217)',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  test("options page: the <async-chat> element takes the page's theme and its attributes", async () => {
    const { context, page, errors } = await openOptionsPage();
    const element = page.locator('async-chat.plant-theme');
    const launcher = element.getByRole('button', { name: /open chat/i });
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(47, 93, 58)');
    const box = await launcher.boundingBox();
    expect(box!.x).toBeLessThan(100); // position="left"
    await launcher.click();
    await element.getByRole('heading', { name: 'Plant doctor' }).waitFor();
    const textbox = element.getByRole('textbox', { name: /^message$/i });
    expect(await textbox.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/^"?Trebuchet MS"?, Verdana, sans-serif$/);
    await textbox.fill('Why are my fern leaves brown?');
    await textbox.press('Enter');
    await expect.poll(() => element.getByRole('log').innerText(), { timeout: 30_000 }).toContain('Echo: Why are my fern leaves brown?');
    expect(errors).toEqual([]);
    await context.close();
  });

  const optionsAxe = async (check: (violations: AxeViolation[]) => void, screenshot = false) => {
    const { context, page, errors, helpDesk } = await openOptionsPage();
    await helpDesk.getByRole('button', { name: 'Can I change the delivery day?' }).click();
    await expect.poll(() => helpDesk.getByRole('log').innerText(), { timeout: 30_000 }).toContain('Echo: Can I change the delivery day?');
    if (screenshot) await saveScreenshot(page, 'example-script-tag-options');
    await page
      .locator('async-chat.plant-theme')
      .getByRole('button', { name: /open chat/i })
      .click();
    await page.locator('async-chat.plant-theme').getByRole('log').waitFor();
    check(await axeViolations(page));
    expect(errors).toEqual([]);
    await context.close();
  };

  test('options page: axe-core finds no violations with both chats open', () =>
    optionsAxe((violations) => expect(violations).toEqual([]), true));
});
