// @vitest-environment node
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = checkRequirement(requirements.chromium);

const CODE = 'const answer = 42;\nconsole.log("answer:", answer);';
const WITH_CODE = `Here it is:\n\n\`\`\`js\n${CODE}\n\`\`\`\n`;

describe.runIf(run)('code blocks in Chromium: highlighted by a lazy chunk, copied by the button', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  let outDir: string;
  const served: string[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'code-blocks-page-'));
    await build({
      config: false,
      entry: { page: new URL('./pages/code-blocks.tsx', import.meta.url).pathname },
      format: ['esm'],
      splitting: true,
      platform: 'browser',
      target: 'es2022',
      noExternal: [/.*/],
      outDir,
      silent: true,
      esbuildOptions(options) {
        options.jsx = 'automatic';
        options.jsxImportSource = 'preact';
      },
    });
    // 127.0.0.1 is a secure context, so the page has the asynchronous clipboard.
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      served.push(path);
      if (path === '/') {
        res.setHeader('content-type', 'text/html');
        res.end(
          '<!doctype html><meta charset="utf-8"><title>code</title><div id="reply"></div><script type="module" src="/page.js"></script>',
        );
        return;
      }
      const name = path.slice(1);
      if (!readdirSync(outDir).includes(name)) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', 'text/javascript');
      res.end(readFileSync(join(outDir, name)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  const chunksServed = () => served.filter((p) => p.endsWith('.js') && p !== '/page.js');

  async function openPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await context.newPage();
    served.length = 0;
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'showReply' in window);
    return { context, page };
  }

  it('loads the highlighter only for a reply with a fenced language, then shows the code as spans and text', async () => {
    const { context, page } = await openPage();
    try {
      const before = chunksServed().length;
      await page.evaluate(() => (window as unknown as { showReply: (t: string) => void }).showReply('No code, just **words**.'));
      await page.waitForSelector('#reply strong');
      expect(chunksServed().length).toBe(before);

      await page.evaluate((text) => (window as unknown as { showReply: (t: string) => void }).showReply(text), WITH_CODE);
      await page.waitForSelector('#reply code .hljs-keyword');
      expect(chunksServed().length).toBeGreaterThan(before);
      const code = await page.$eval('#reply code', (el) => ({
        text: el.textContent,
        keywords: [...el.querySelectorAll('.hljs-keyword')].map((k) => k.textContent),
        // Everything inside is a span or text: nothing of the code became markup.
        tags: [...new Set([...el.querySelectorAll('*')].map((e) => e.tagName))],
      }));
      expect(code.text).toBe(CODE);
      expect(code.keywords).toContain('const');
      expect(code.tags).toEqual(['SPAN']);
      expect(await page.$eval('#reply .acw-code-lang', (el) => el.getAttribute('data-lang'))).toBe('js');
    } finally {
      await context.close();
    }
  });

  it('copies the code to the clipboard from the keyboard and announces it', async () => {
    const { context, page } = await openPage();
    try {
      await page.evaluate((text) => (window as unknown as { showReply: (t: string) => void }).showReply(text), WITH_CODE);
      await page.waitForSelector('#reply button.acw-copy');
      await page.focus('#reply button.acw-copy');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#reply .acw-copied')?.textContent === 'Copied');
      expect(await page.$eval('#reply button.acw-copy', (b) => b.getAttribute('aria-label'))).toBe('Copy');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(CODE);
    } finally {
      await context.close();
    }
  });
});
