import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '@app/db';
import { key, memoryDatabase, testApp } from '../../test/support/test-app.js';
import { createLogger } from '../logger.js';
import { createN8nExecutionStopper } from './n8n-execution-stopper.js';

/** n8n's public API as far as this feature uses it: real HTTP on 127.0.0.1, recording requests. */
function startN8nApiStandIn(status = 200) {
  const requests: { method?: string; url?: string; apiKey?: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push({ method: req.method, url: req.url, apiKey: req.headers['x-n8n-api-key'] as string | undefined });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', status: 'canceled' }));
  });
  return new Promise<{ url: string; requests: typeof requests; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

let db: Database;
beforeAll(async () => {
  db = await memoryDatabase();
});
afterAll(() => db.close());

/** A chat task that a worker (as n8n would) claimed and started under `executionId`. */
async function startedTask(t: Awaited<ReturnType<typeof testApp>>, token: string, executionId: string) {
  const sent = await t.send(token, { content: 'Stop me', idempotencyKey: key() });
  const taskId = sent.body.task.id as string;
  await db.asWorker(async (tx) => {
    const claimed = await tx.query<{ id: string; attempt: number }>('select id, attempt from public.task_claim(100)');
    const mine = claimed.rows.find((r) => r.id === taskId)!;
    await tx.query('select public.task_start($1::uuid, $2::int, $3, $4)', [taskId, mine.attempt, executionId, 'Reading the conversation…']);
  });
  return taskId;
}

describe('stopping the n8n execution of a cancelled task', () => {
  it('asks n8n to stop the running execution, with the API key, when the API is configured', async () => {
    const n8n = await startN8nApiStandIn();
    const t = await testApp(db, { N8N_API_URL: `${n8n.url}/`, N8N_API_KEY: 'n8n-key' });
    const { token } = await t.visitor();
    const taskId = await startedTask(t, token, 'exec/42');
    const res = await t.request(`/api/tasks/${taskId}/cancel`, { method: 'POST', token, json: {} });
    expect(res.status).toBe(200);
    expect((await res.json()).cancelRequested).toBe(true);
    expect(n8n.requests).toEqual([{ method: 'POST', url: '/api/v1/executions/exec%2F42/stop', apiKey: 'n8n-key' }]);
    await n8n.close();
  });

  it('still cancels when n8n refuses or cannot be reached', async () => {
    const n8n = await startN8nApiStandIn(404);
    const t = await testApp(db, { N8N_API_URL: n8n.url, N8N_API_KEY: 'n8n-key' });
    const { token } = await t.visitor();
    const refused = await startedTask(t, token, 'exec-404');
    expect((await t.request(`/api/tasks/${refused}/cancel`, { method: 'POST', token, json: {} })).status).toBe(200);
    expect(n8n.requests).toHaveLength(1);
    await n8n.close();
    const unreachable = await startedTask(t, token, 'exec-gone');
    const res = await t.request(`/api/tasks/${unreachable}/cancel`, { method: 'POST', token, json: {} });
    expect(res.status).toBe(200);
    expect((await res.json()).cancelRequested).toBe(true);
  });

  it('does not call n8n when the API is not configured', async () => {
    const fetchSpy = vi.fn<typeof fetch>();
    const stop = createN8nExecutionStopper({ api: null, logger: createLogger('silent'), fetch: fetchSpy });
    await stop({ id: 't1', status: 'processing', cancel_requested: true, execution_id: 'exec-1' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('does not call n8n for a task that has no running execution', async () => {
    const n8n = await startN8nApiStandIn();
    const configured = await testApp(db, { N8N_API_URL: n8n.url, N8N_API_KEY: 'n8n-key' });
    const other = await configured.visitor();
    const pending = (await configured.send(other.token, { content: 'Not started yet', idempotencyKey: key() })).body.task.id;
    const cancelled = await configured.request(`/api/tasks/${pending}/cancel`, { method: 'POST', token: other.token, json: {} });
    expect((await cancelled.json()).status).toBe('cancelled');
    expect(n8n.requests).toEqual([]);
    await n8n.close();
  });

  it('refuses N8N_API_URL without N8N_API_KEY at start', async () => {
    await expect(testApp(db, { N8N_API_URL: 'http://127.0.0.1:5678' })).rejects.toThrow(/N8N_API_KEY/);
  });
});
