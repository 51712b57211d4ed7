import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';

let db: Database;
let t: TestApp;
beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db, { RATE_LIMIT_SEND_PER_VISITOR: '3', RATE_LIMIT_SEND_PER_IP: '5', RATE_LIMIT_SESSION_PER_IP: '4' });
});
afterAll(() => db.close());

describe('rate limits', () => {
  it('answers 429 with Retry-After past the per-visitor send limit', async () => {
    const v = await t.visitor();
    for (let i = 0; i < 3; i++) expect((await t.send(v.token, { content: `m${i}`, idempotencyKey: key() })).status).toBe(201);
    const res = await t.request('/api/chat/send', {
      method: 'POST',
      token: v.token,
      json: { content: 'one too many', idempotencyKey: key() },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await res.json()).error.code).toBe('rate_limited');
  });

  it('limits sends per IP across visitors', async () => {
    const other = await testApp(db, { RATE_LIMIT_SEND_PER_VISITOR: '100', RATE_LIMIT_SEND_PER_IP: '2', TRUST_PROXY: 'true' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const v = await other.visitor();
      // The client forges the first hop each time; the proxy's own hop (the last) is what counts.
      const headers = { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.9` };
      const res = await other.request('/api/chat/send', {
        method: 'POST',
        token: v.token,
        headers,
        json: { content: 'hi', idempotencyKey: key() },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('limits new sessions per IP', async () => {
    // The counters live in the database every app on it shares: an address of its own.
    const fresh = await testApp(db, { RATE_LIMIT_SESSION_PER_IP: '2', TRUST_PROXY: 'true' });
    const headers = { 'x-forwarded-for': '203.0.113.77' };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fresh.request('/api/session', { method: 'POST', headers })).status);
    expect(statuses).toEqual([201, 201, 429]);
  });
});

describe('health', () => {
  it('/healthz answers ok', async () => {
    expect(await (await t.request('/healthz')).json()).toEqual({ ok: true });
  });

  it('/readyz answers 503 when the database is not ready', async () => {
    const down = await testApp(db, {}, { ready: async () => false });
    const res = await down.request('/readyz');
    expect(res.status).toBe(503);
    expect(await t.request('/readyz').then((r) => r.status)).toBe(200);
  });
});

describe('errors', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.request('/api/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});

describe('demo page', () => {
  it('serves the page with the script tag', async () => {
    const res = await t.request('/');
    const html = await res.text();
    expect(html).toContain(
      '<script src="/widget/chat-widget.js" data-server-url="" data-title="Async chat demo" data-attachments async></script>',
    );
  });

  it('says how to build the widget when the bundle is missing', async () => {
    const missing = await testApp(db, { WIDGET_BUNDLE: '/nonexistent/chat-widget.js' });
    expect(await (await missing.request('/')).text()).toMatch(/pnpm build/);
    expect((await missing.request('/widget/chat-widget.js')).status).toBe(404);
    expect((await missing.request('/widget/chat-widget-panel.js')).status).toBe(404);
  });

  it('serves the panel chunk from beside the bundle, with the same headers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-bundle-'));
    try {
      writeFileSync(join(dir, 'chat-widget.js'), 'console.log("first");\n');
      writeFileSync(join(dir, 'chat-widget-panel.js'), 'console.log("panel");\n');
      const served = await testApp(db, { WIDGET_BUNDLE: join(dir, 'chat-widget.js') });
      const first = await served.request('/widget/chat-widget.js');
      const panel = await served.request('/widget/chat-widget-panel.js?v=1.2.3');
      expect([await first.text(), await panel.text()]).toEqual(['console.log("first");\n', 'console.log("panel");\n']);
      for (const header of ['content-type', 'cache-control', 'cross-origin-resource-policy', 'x-content-type-options']) {
        expect(panel.headers.get(header), header).toBe(first.headers.get(header));
      }
      expect(panel.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await served.request('/widget/other.js')).status).toBe(404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
