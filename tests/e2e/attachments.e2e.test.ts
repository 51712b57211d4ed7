import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkRequirement, launchChromium, requirements } from '@app/test-support';
import { startProduct, type RunningProduct } from './support/product.js';

const hasChromium = checkRequirement(requirements.chromium);

/** A real PNG of noise (hardly compressible, so the upload takes a moment on a throttled link). */
function noisePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.runIf(hasChromium)('attachments in the widget, end to end (demo page → Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startProduct({ DEMO_REPLY_DELAY_MS: '300' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.dispose();
  });

  test('a visitor pastes a screenshot, sees its preview and progress, sends it, sees the thumbnail and a reply that mentions it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(product.url);
    await page.getByRole('button', { name: /open chat/i }).click();
    const box = page.getByRole('textbox', { name: /message/i });
    await box.waitFor();
    // The attach button is a real, named button, reachable by keyboard.
    await page.getByRole('button', { name: 'Attach files' }).waitFor();

    // A slow upload link, so the progress is there to be seen.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 150 * 1024,
    });

    const png = noisePng(300, 300).toString('base64');
    await box.evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    }, png);

    const tray = page.getByRole('list', { name: 'Attachments' });
    await tray.waitFor();
    const progress = page.getByRole('progressbar', { name: 'Uploading screenshot.png' });
    await progress.waitFor();
    await expect.poll(() => tray.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(300);
    const send = page.getByRole('button', { name: /^send$/i });
    expect(await send.isDisabled()).toBe(true);
    await progress.waitFor({ state: 'detached', timeout: 60_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // A second file, removed again with the keyboard.
    await box.evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'other.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    }, png);
    const remove = page.getByRole('button', { name: 'Remove other.png' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await remove.waitFor({ state: 'detached' });

    await box.fill('What does my screenshot show?');
    await box.press('Enter');
    await tray.waitFor({ state: 'detached' });

    // In the thread: the thumbnail, loaded from the visitor's read URL, as a link that opens it full size.
    const log = page.getByRole('log');
    const link = log.getByRole('link', { name: 'Open screenshot.png' });
    await link.waitFor();
    const thumbnail = link.getByRole('img', { name: 'screenshot.png' });
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBe(300);
    expect(await link.getAttribute('target')).toBe('_blank');

    // The demo model's reply names the image it was given.
    await expect.poll(() => log.innerText(), { timeout: 60_000 }).toContain('Attached image: screenshot.png, 300×300 pixels');

    const [full] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await full.waitForLoadState();
    expect(full.url()).toMatch(/\/api\/uploads\/[0-9a-f-]{36}\/content\?t=v1\./);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
