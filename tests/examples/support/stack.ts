import type { Browser } from 'playwright-core';
import { launchChromium } from '@app/test-support';
import { startFakeLlmServer, type FakeLlmServer } from '../../../packages/server/test/support/fake-llm-server.js';
import { startProduct, type RunningProduct } from '../../e2e/support/product.js';
import type { ExampleServer } from './example-server.js';

/** How long the fake LLM takes for an ordinary reply: long enough to see the live status. */
export const REPLY_DELAY_MS = 2000;

/** Everything one test file shares: the reference server, its fake LLM, the example's web server, one Chromium. */
export interface Stack {
  llm: FakeLlmServer;
  product: RunningProduct;
  site: ExampleServer;
  browser: Browser;
  /** The server's URL on 127.0.0.1 (what a proxy or the script tag should use). */
  serverUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the reference server (as the README does, `scripts/start.mjs --serve-only`) with a fake
 * OpenAI-compatible LLM, so a failure can be scripted per reply, then the example's own web server.
 */
export async function startStack(startSite: (serverUrl: string) => Promise<ExampleServer>): Promise<Stack> {
  const llm = await startFakeLlmServer();
  llm.setFallback({ delayMs: REPLY_DELAY_MS });
  const product = await startProduct({
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: 'test-key',
    LLM_MAX_RETRIES: '0',
    RUNNER_POLL_INTERVAL_MS: '250',
    // Every test runs from 127.0.0.1 and starts new visitors: no rate limits here.
    RATE_LIMIT_SEND_PER_IP: '0',
    RATE_LIMIT_SEND_PER_VISITOR: '0',
    RATE_LIMIT_SESSION_PER_IP: '0',
  });
  const serverUrl = product.url.replace('://localhost:', '://127.0.0.1:');
  let site: ExampleServer | undefined;
  let browser: Browser;
  try {
    site = await startSite(serverUrl);
    browser = await launchChromium();
  } catch (error) {
    // The caller gets no stack to stop: stop what already runs, so a failed start leaks nothing.
    await site?.stop().catch(() => {});
    await product.dispose().catch(() => {});
    await llm.close().catch(() => {});
    throw error;
  }
  return {
    llm,
    product,
    site,
    browser,
    serverUrl,
    stop: async () => {
      await browser.close().catch(() => {});
      await site.stop().catch(() => {});
      await product.dispose().catch(() => {});
      await llm.close().catch(() => {});
    },
  };
}
