// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRequirement, freePort, launchChromium, requirements, startProcess, type StartedProcess } from '@app/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCode } from './bundle-page.js';
import { startFakeLlm } from './fake-llm.js';

const run = checkRequirement(requirements.chromium);
const serverDir = fileURLToPath(new URL('../../../server/', import.meta.url));
const POLL = { timeout: 30_000 };

/**
 * The built script-tag bundle on the reference server's demo page (real server, real database on
 * PGlite, the server's own runner), with only the LLM faked at its HTTP boundary.
 */
describe.runIf(run)('script-tag bundle against the reference server (Chromium)', () => {
  let browser: Browser;
  let server: StartedProcess;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  let base: string;
  let dataDir: string;

  beforeAll(async () => {
    bundleCode(); // fails early with a clear message when the bundle is not built
    llm = await startFakeLlm(await freePort());
    const port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'chat-widget-e2e-'));
    server = await startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      ready: /running at/,
      timeoutMs: 120_000,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LLM_API_KEY: 'test-key',
        LLM_BASE_URL: llm.url,
        LLM_MAX_RETRIES: '0',
        RUNNER_POLL_INTERVAL_MS: '200',
        LOG_LEVEL: 'warn',
      },
    });
    base = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const openChat = async (page: Page) => {
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog').waitFor();
  };
  const send = async (page: Page, text: string) => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  };
  const logText = (page: Page) => page.getByRole('log').textContent();
  const status = (page: Page) =>
    page
      .getByRole('status')
      .textContent({ timeout: 1000 })
      .catch(() => null);

  it('sends, shows live status across a reload, stops, and retries after a failure', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await openChat(page);

    // Live status from the server's runner while the model is working; the reply after it.
    await send(page, 'first [hold]');
    await expect.poll(() => status(page), POLL).toMatch(/Reading the conversation…|AI is thinking…/);
    await expect.poll(() => status(page), POLL).toBe('AI is thinking…');

    // Reload mid-task: the conversation and the running reply come back.
    await page.reload();
    await openChat(page);
    await expect.poll(() => logText(page), POLL).toContain('first [hold]');
    await expect.poll(() => status(page), POLL).toBe('AI is thinking…');
    llm.release();
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: first [hold]');
    await expect.poll(() => status(page), POLL).toBeNull();

    // Stop: the reply is cancelled and never arrives.
    await send(page, 'second [hold]');
    await page.getByRole('button', { name: 'Stop' }).click(POLL);
    await expect.poll(() => status(page), POLL).toBeNull();
    llm.release();
    await send(page, 'third');
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: third');
    expect(await logText(page)).not.toContain('Fake LLM says: second');

    // An injected model failure shows a readable reason; Retry gets the reply.
    await send(page, 'fourth [fail]');
    const alert = page.getByRole('alert');
    await alert.waitFor(POLL);
    expect(await alert.textContent()).toContain('The AI service could not answer.');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => logText(page), POLL).toContain('Fake LLM says: fourth [fail]');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });
});
