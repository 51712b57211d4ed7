import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, type AxeViolation } from './axe.js';
import { hostStyles, setHostStylesDisabled, styleDifferences, widgetRulesInDocument, widgetStyles } from './computed-styles.js';
import { repoRoot } from './example-server.js';
import type { Stack } from './stack.js';
import {
  conversationLog,
  messageBox,
  openChat,
  recordStatuses,
  retryButton,
  sendMessage,
  shownStatuses,
  statusIndicator,
  type Surface,
} from './surface.js';

export interface ScenarioOptions {
  /** Host elements whose styles must not change because of the widget (widget surfaces only). */
  hostSelectors?: string[];
  /** Save a screenshot of the open conversation as `docs/images/<name>.png` (see README of tests/examples). */
  screenshot?: string;
}

const REPLY_TIMEOUT = 30_000;
const artifactsDir = join(repoRoot, 'test-results', 'examples');

/** A fresh visitor: its own browser context (storage), page errors collected. */
async function visitor(stack: Stack) {
  const context = await stack.browser.newContext({ viewport: { width: 1000, height: 720 } });
  const errors: string[] = [];
  const page = await newTab(context, errors);
  return { context, page, errors, newTab: () => newTab(context, errors) };
}

async function newTab(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await recordStatuses(page);
  return page;
}

const replyTo = (question: string) => `Echo: ${question}`;
const logText = (page: Page) => conversationLog(page).innerText();
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

/** Sends `question` and waits for the fake LLM's echo to be rendered. */
async function exchange(page: Page, question: string) {
  await sendMessage(page, question);
  await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain(replyTo(question));
}

/**
 * The browser scenarios every example host must pass, one test each, on the file's shared stack.
 */
export function chatScenarios(getStack: () => Stack, surface: Surface, options: ScenarioOptions = {}) {
  const url = () => getStack().site.url;

  test(`${surface.name}: a full conversation shows the live status, then the reply`, async () => {
    const stack = getStack();
    // Real-looking replies, for the screenshot used in the docs.
    const replies = [
      'Most ferns like their soil just moist: water when the top **2 cm** feel dry, usually once or twice a week.',
      'Cacti need much less: soak the soil, then wait until it is completely dry, every **2–4 weeks**.',
    ];
    stack.llm.enqueue({ delayMs: 2000, content: replies[0] }, { delayMs: 2000, content: replies[1] });
    const { context, page, errors } = await visitor(stack);
    await openChat(page, url(), surface);
    const question = 'How often should I water a fern?';
    await sendMessage(page, question);
    await expect.poll(() => logText(page)).toContain(question);
    await statusIndicator(page).first().waitFor({ timeout: REPLY_TIMEOUT });
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain('Most ferns like their soil just moist');
    await expect.poll(() => statusIndicator(page).count()).toBe(0);
    // The reply is markdown, rendered as such: `**2 cm**` is bold text, not asterisks.
    await expect.poll(() => conversationLog(page).locator('strong').first().textContent()).toBe('2 cm');
    expect(await logText(page)).not.toContain('**');
    // The workflow's own words were shown while the reply was made.
    expect(await shownStatuses(page)).toContain('AI is thinking…');
    // A follow-up in the same conversation.
    await sendMessage(page, 'And cacti?');
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain('Cacti need much less');
    expect(count(await logText(page), question)).toBe(1);
    expect(stack.llm.requests.at(-1)?.body.messages?.map((m) => m.content)).toEqual(
      expect.arrayContaining([question, replies[0], 'And cacti?']),
    );
    if (options.screenshot) await saveScreenshot(page, options.screenshot);
    expect(errors).toEqual([]);
    await context.close();
  });

  test(`${surface.name}: after a reload while the reply is being made, the status comes back and the reply arrives`, async () => {
    const stack = getStack();
    stack.llm.enqueue({ delayMs: 7000 });
    const { context, page, errors } = await visitor(stack);
    await openChat(page, url(), surface);
    const question = `${surface.name}: a slow question`;
    await sendMessage(page, question);
    await expect
      .poll(() => statusIndicator(page).filter({ hasText: 'AI is thinking…' }).count(), { timeout: REPLY_TIMEOUT })
      .toBeGreaterThan(0);

    await page.reload();
    await openChat(page, url(), surface);
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain(question);
    await statusIndicator(page).first().waitFor({ timeout: REPLY_TIMEOUT });
    expect(await logText(page)).not.toContain(replyTo(question)); // the indicator came back before the reply
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain(replyTo(question));
    await expect.poll(() => statusIndicator(page).count()).toBe(0);
    expect(count(await logText(page), question)).toBe(2); // sent once, answered once
    expect(errors).toEqual([]);
    await context.close();
  });

  test(`${surface.name}: two tabs on the same conversation see the same messages and status`, async () => {
    const stack = getStack();
    const { context, page: first, errors, newTab } = await visitor(stack);
    await openChat(first, url(), surface);
    await exchange(first, `${surface.name}: first tab says hello`);

    const second = await newTab();
    await openChat(second, url(), surface);
    await expect.poll(() => logText(second), { timeout: REPLY_TIMEOUT }).toContain(replyTo(`${surface.name}: first tab says hello`));

    stack.llm.enqueue({ delayMs: 4000 });
    const question = `${surface.name}: asked in the first tab`;
    await sendMessage(first, question);
    // The other tab sees the question and the live status while the reply is made…
    await expect.poll(() => logText(second), { timeout: REPLY_TIMEOUT }).toContain(question);
    await statusIndicator(second).first().waitFor({ timeout: REPLY_TIMEOUT });
    // …then the reply, like the tab that asked.
    await expect.poll(() => logText(second), { timeout: REPLY_TIMEOUT }).toContain(replyTo(question));
    await expect.poll(() => logText(first), { timeout: REPLY_TIMEOUT }).toContain(replyTo(question));
    await expect.poll(async () => (await logText(second)) === (await logText(first))).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  test(`${surface.name}: a message typed while offline waits, the UI says so, and it goes out when back online`, async () => {
    const stack = getStack();
    const { context, page, errors } = await visitor(stack);
    await openChat(page, url(), surface);
    await exchange(page, `${surface.name}: online first`);

    const question = `${surface.name}: typed while the network is down`;
    await messageBox(page).fill(question.slice(0, 10));
    await context.setOffline(true);
    await page.getByText(surface.offlineNotice).first().waitFor({ timeout: REPLY_TIMEOUT });
    await sendMessage(page, question);
    await expect.poll(() => logText(page)).toContain(question);
    await page.getByText(surface.queuedLabel).first().waitFor();
    await page.waitForTimeout(1500);
    expect(stack.llm.requests.some((r) => JSON.stringify(r.body).includes(question))).toBe(false);

    await context.setOffline(false);
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain(replyTo(question));
    await expect.poll(() => page.getByText(surface.offlineNotice).count()).toBe(0);
    await expect.poll(() => page.getByText(surface.queuedLabel).count()).toBe(0);
    expect(count(await logText(page), question)).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  test(`${surface.name}: a failed reply shows an error with Retry, and Retry gets the reply`, async () => {
    const stack = getStack();
    stack.llm.enqueue({ status: 400 }); // rejected by the LLM: not retryable, the task fails at once
    const { context, page, errors } = await visitor(stack);
    await openChat(page, url(), surface);
    const question = `${surface.name}: this one fails first`;
    await sendMessage(page, question);
    await retryButton(page).waitFor({ timeout: REPLY_TIMEOUT });
    expect(await logText(page)).not.toContain(replyTo(question));

    await retryButton(page).click();
    await expect.poll(() => logText(page), { timeout: REPLY_TIMEOUT }).toContain(replyTo(question));
    await expect.poll(() => retryButton(page).count()).toBe(0);
    expect(stack.llm.requests.filter((r) => JSON.stringify(r.body).includes(question))).toHaveLength(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  if (options.hostSelectors) {
    const selectors = options.hostSelectors;
    test(`${surface.name}: the page's own styles do not change the widget`, async () => {
      const { context, page, errors } = await visitor(getStack());
      await openChat(page, url(), surface);
      await exchange(page, `${surface.name}: style check`);
      await messageBox(page).fill('draft');
      const withPageStyles = await widgetStyles(page);
      expect(Object.keys(withPageStyles).length).toBeGreaterThan(10);
      await setHostStylesDisabled(page, true);
      const withoutPageStyles = await widgetStyles(page);
      await setHostStylesDisabled(page, false);
      expect(styleDifferences(withoutPageStyles, withPageStyles)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });

    test(`${surface.name}: the widget's styles do not change the page`, async () => {
      const { context, page, errors } = await visitor(getStack());
      await openChat(page, url(), surface);
      await exchange(page, `${surface.name}: style check`);
      expect(await widgetRulesInDocument(page)).toEqual([]);
      const hostWithWidget = await hostStyles(page, selectors);
      await page.evaluate(() => {
        for (const el of document.querySelectorAll('async-chat')) el.remove();
      });
      const hostWithoutWidget = await hostStyles(page, selectors);
      expect(Object.keys(hostWithoutWidget)).toEqual(selectors);
      expect(styleDifferences(hostWithoutWidget, hostWithWidget)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  const axeTest = async (check: (violations: AxeViolation[]) => void) => {
    const { context, page, errors } = await visitor(getStack());
    await openChat(page, url(), surface);
    await exchange(page, `${surface.name}: accessibility check`);
    check(await axeViolations(page));
    expect(errors).toEqual([]);
    await context.close();
  };
  test(`${surface.name}: axe-core finds no violations with the conversation open`, () =>
    axeTest((violations) => expect(violations).toEqual([])));
}

/**
 * Saves the page as a test artifact (`test-results/examples/<name>.png`); the copy in
 * `docs/images/` is written when missing or when UPDATE_DOC_IMAGES=1.
 */
export async function saveScreenshot(page: Page, name: string) {
  mkdirSync(artifactsDir, { recursive: true });
  const artifact = join(artifactsDir, `${name}.png`);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: artifact });
  const docImage = join(repoRoot, 'docs', 'images', `${name}.png`);
  if (process.env.UPDATE_DOC_IMAGES === '1' || !existsSync(docImage)) {
    mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
    copyFileSync(artifact, docImage);
  }
}
