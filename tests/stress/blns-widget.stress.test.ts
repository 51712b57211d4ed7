import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import { loadBlns } from './support/blns.js';
import { connect } from './support/db-checks.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const run = checkRequirement(requirements.postgres) && checkRequirement(requirements.chromium);
const blns = loadBlns();

// The naughty strings typed into the real widget (the server's demo page with the built
// script-tag bundle) in Chromium, sent, answered, and read back from the rendered conversation.
// The composer trims the draft before sending (by design), so "as typed" means trimmed here.
describe.runIf(run)('the Big List of Naughty Strings typed into the widget in Chromium', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    llm.setFallback({ content: 'ok' });
    server = await startServerProcess({ databaseUrl: database.url, llmUrl: llm.url, env: { RUNNER_POLL_INTERVAL_MS: '200' } });
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  const texts = (role: string) =>
    page.evaluate((r) => {
      const root = document.querySelector('async-chat')!.shadowRoot!;
      return [...root.querySelectorAll(`.acw-msg[data-role=${r}]`)].map((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelector('.acw-sr')?.remove();
        return copy.textContent ?? '';
      });
    }, role);

  it('shows every string exactly as sent, and the same in the database', async () => {
    const strings = blns.filter((s) => s.trim() !== '').slice(0, Number(process.env.STRESS_BLNS_WIDGET ?? Infinity));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.baseUrl}/`);
    await page.locator('.acw-launcher').click();
    const box = page.locator('async-chat textarea');
    const sql = await connect(database.url);
    const replies = async () => Number((await sql.query(`select count(*) as n from chat_messages where role = 'assistant'`)).rows[0].n);
    const mismatches: string[] = [];
    try {
      for (const [i, text] of strings.entries()) {
        await box.fill(text);
        await box.press('Enter');
        // One at a time: the reply to this message before the next is typed. The widget renders
        // only the newest 100 messages, so each string is checked as the newest user message.
        await expect.poll(replies, { timeout: 30_000 }).toBe(i + 1);
        await expect
          .poll(async () => (await texts('assistant')).length > 0 && (await texts('user')).length > 0, { timeout: 30_000 })
          .toBe(true);
        const shown = (await texts('user')).at(-1);
        if (shown !== text.trim()) mismatches.push(`${JSON.stringify(text)} shown as ${JSON.stringify(shown)}`);
      }
      const stored = (await sql.query<{ content: string }>(`select content from chat_messages where role = 'user' order by seq`)).rows.map(
        (r) => r.content,
      );
      for (const [i, s] of strings.entries()) {
        if (stored[i] !== s.trim()) mismatches.push(`${JSON.stringify(s)} stored as ${JSON.stringify(stored[i])}`);
      }
      expect(stored).toHaveLength(strings.length);
    } finally {
      await sql.end();
    }
    report('blns-widget', { strings: strings.length, mismatches: mismatches.length, pageErrors: errors.length });
    expect(errors).toEqual([]);
    expect(mismatches).toEqual([]);
  });
});
