import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import type { Database } from '@app/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { memoryDatabase, testApp, type TestApp } from './support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let db: Database;
let t: TestApp;
let lines: string[];
let bundleDir: string;
const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  db = await memoryDatabase();
  lines = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  bundleDir = mkdtempSync(join(tmpdir(), 'hardening-bundle-'));
  writeFileSync(join(bundleDir, 'chat-widget.js'), 'console.log("widget");\n');
  t = await testApp(db, { WIDGET_BUNDLE: join(bundleDir, 'chat-widget.js') }, { logger: createLogger('info', sink) });
});
afterAll(async () => {
  await db.close();
  rmSync(bundleDir, { recursive: true, force: true });
});

describe('request ids', () => {
  it("are the server's: a client's X-Request-Id is logged beside the server's, never instead of it", async () => {
    const res = await t.request('/healthz', { headers: { 'x-request-id': 'checkout-7f3a.retry:2' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    await expect
      .poll(() => records().find((r) => r.msg === 'request' && r.requestId === id))
      .toMatchObject({
        requestId: id,
        clientRequestId: 'checkout-7f3a.retry:2',
      });
  });

  it.each([
    ['too long', 'x'.repeat(65)],
    ['with spaces', 'a b'],
    ['with a forged log field', '"},"userId":"admin'],
  ])('drop a client id that is %s', async (_, given) => {
    const res = await t.request('/healthz', { headers: { 'x-request-id': given } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    await expect.poll(() => records().some((r) => r.msg === 'request' && r.requestId === id)).toBe(true);
    const record = records().find((r) => r.requestId === id)!;
    expect(record.clientRequestId).toBeUndefined();
    expect(JSON.stringify(record)).not.toContain(given);
  });

  it('differ for two requests that sent the same id', async () => {
    const headers = { 'x-request-id': 'same' };
    const [a, b] = await Promise.all([t.request('/healthz', { headers }), t.request('/healthz', { headers })]);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('security headers, per route', () => {
  const base = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

  it('the demo page: a strict CSP the widget satisfies, never framed', async () => {
    for (const path of ['/', '/demo.css']) {
      const res = await t.request(path);
      expect(res.status, path).toBe(200);
      expect(Object.fromEntries(res.headers)).toMatchObject({
        ...base,
        'content-security-policy':
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
      });
    }
    const html = await (await t.request('/')).text();
    expect(html).not.toMatch(/<style|style=|<script>/);
    expect(html).toContain('<link rel="stylesheet" href="/demo.css">');
  });

  it('the widget bundle: loadable by a script tag of any origin', async () => {
    const res = await t.request('/widget/chat-widget.js');
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({ ...base, 'cross-origin-resource-policy': 'cross-origin' });
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it('the API and health checks: nosniff and no referrer, nothing that would stop other origins', async () => {
    const answers = [
      await t.request('/api/session', { method: 'POST', headers: { origin: 'https://allowed.example' } }),
      await t.request('/api/tasks/00000000-0000-4000-8000-000000000000', { headers: { origin: 'https://allowed.example' } }),
      await t.request('/api/session', {
        method: 'OPTIONS',
        headers: { origin: 'https://allowed.example', 'access-control-request-method': 'POST' },
      }),
      await t.request('/healthz'),
      await t.request('/no/such/route'),
    ];
    for (const res of answers) {
      expect(Object.fromEntries(res.headers)).toMatchObject(base);
      for (const header of ['x-frame-options', 'cross-origin-resource-policy', 'cross-origin-opener-policy', 'content-security-policy']) {
        expect(res.headers.get(header), `${res.url} ${header}`).toBeNull();
      }
    }
    expect(answers[0]!.headers.get('access-control-allow-origin')).toBe('https://allowed.example');
  });
});

describe('a refused CORS origin', () => {
  it('is logged once per origin at warn, with the setting to change', async () => {
    const preflight = (origin: string) =>
      t.request('/api/chat/send', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const refused = (origin: string) => records().filter((r) => r.origin === origin && typeof r.msg === 'string' && /CORS/.test(r.msg));
    for (let i = 0; i < 3; i++) expect((await preflight('https://shop.example')).headers.get('access-control-allow-origin')).toBeNull();
    await preflight('https://blog.example');
    await preflight('https://allowed.example');
    expect(refused('https://shop.example')).toEqual([
      expect.objectContaining({ level: 40, setting: 'CORS_ORIGINS', msg: expect.stringMatching(/add the origin to CORS_ORIGINS/) }),
    ]);
    expect(refused('https://blog.example')).toHaveLength(1);
    expect(refused('https://allowed.example')).toHaveLength(0);
  });
});

describe('an early answer on a keep-alive connection', () => {
  let server: ServerType;
  let url: string;
  beforeAll(async () => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a 300 KB body refused with 413 says Connection: close, and Node's fetch's next request works", async () => {
    const v = await t.visitor();
    const big = await fetch(`${url}/api/chat/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${v.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'x'.repeat(300 * 1024), idempotencyKey: 'big' }),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('connection')).toBe('close');
    expect((await big.json()).error.code).toBe('payload_too_large');
    const next = await fetch(`${url}/api/session`, { method: 'POST' });
    expect(next.status).toBe(201);
    const again = await fetch(`${url}/healthz`);
    expect(again.status).toBe(200);
  });

  it('an answer sent before the body was read closes the connection cleanly once sent, whatever the body still holds', async () => {
    // A raw keep-alive request whose 300 KB body is still being written when the 413 comes.
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      'POST /api/tasks HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: 307200\r\n\r\n{"kind":"',
    );
    await expect.poll(() => received).toMatch(/\r\n\r\n/);
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(received.toLowerCase()).toContain('connection: close');
    socket.end('x'.repeat(1024));
    await ended;
  });

  it('a 401 answered before a body was read says Connection: close too; one whose body was read keeps the connection', async () => {
    const unauthorized = await fetch(`${url}/api/chat/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'hello', idempotencyKey: 'k' }),
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('connection')).toBe('close');
    await unauthorized.arrayBuffer();
    const v = await t.visitor();
    const sent = await fetch(`${url}/api/chat/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${v.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'hello', idempotencyKey: 'k' }),
    });
    expect(sent.status).toBe(201);
    expect(sent.headers.get('connection')).not.toBe('close');
  });
});
