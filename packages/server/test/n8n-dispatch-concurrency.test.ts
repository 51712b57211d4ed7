import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { ensurePgliteTemplate } from './support/pglite-template.js';
import { key, testConfig } from './support/test-app.js';

// n8n mode: the dispatcher offers n8n's webhook N8N_DISPATCH_CONCURRENCY requests at a time,
// whatever RUNNER_CONCURRENCY (the built-in runner's, sized to the model) says.
describe('dispatch to n8n', () => {
  let dir: string;
  let server: RunningServer;
  let webhook: Server;
  const held: ServerResponse[] = [];
  let received = 0;

  beforeAll(async () => {
    webhook = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        received++;
        held.push(res); // answered when the test says
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    dir = mkdtempSync(join(tmpdir(), 'n8n-dispatch-'));
    cpSync(await ensurePgliteTemplate(), dir, { recursive: true });
    server = await startServer(
      testConfig({
        DATA_DIR: dir,
        PORT: '0',
        N8N_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhook/async-chat/chat-reply`,
        WEBHOOK_SECRET: 's'.repeat(40),
        N8N_DISPATCH_CONCURRENCY: '3',
        RUNNER_CONCURRENCY: '500',
        RUNNER_POLL_INTERVAL_MS: '50',
      }),
      { logger: createLogger('silent') },
    );
  }, 60_000);
  afterAll(async () => {
    for (const res of held) res.end();
    await server?.stop();
    await new Promise((resolve) => webhook?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = async (path: string, token: string | null, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    expect(res.ok, await res.clone().text()).toBe(true);
    return res.json();
  };

  it('keeps at most N8N_DISPATCH_CONCURRENCY dispatches in flight, and sends the rest as they are answered', async () => {
    const visitors = await Promise.all(Array.from({ length: 8 }, () => call('/api/session', null, {})));
    for (const v of visitors) await call('/api/chat/send', v.accessToken, { content: 'hello', idempotencyKey: key() });

    await vi.waitFor(() => expect(received).toBe(3), { timeout: 10_000 });
    // Many claim rounds (every 50 ms, and on each notification) later, still three.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received).toBe(3);

    // Each answer frees one place: all eight are dispatched in the end.
    while (received < 8) {
      const next = held.shift();
      if (next) next.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(received).toBe(8);
  });
});
