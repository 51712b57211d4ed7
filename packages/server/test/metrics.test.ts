import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { type FakeLlmServer, startFakeLlmServer } from './support/fake-llm-server.js';
import { ensurePgliteTemplate } from './support/pglite-template.js';
import { readSse } from './support/sse-reader.js';
import { key, memoryDatabase, testApp, testConfig } from './support/test-app.js';

// GET /metrics as Prometheus scrapes it, from a real server on PGlite while a visitor chats.
const TOKEN = 'metrics-token-metrics-token-0123456789';

/** A started server on a copy of the migrated PGlite template, and its folder's removal. */
async function serverOnPglite(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'metrics-'));
  cpSync(await ensurePgliteTemplate(), dir, { recursive: true });
  const server = await startServer(testConfig({ DATA_DIR: dir, PORT: '0', RUNNER_POLL_INTERVAL_MS: '100', ...env }), {
    logger: createLogger('silent'),
  });
  return {
    server,
    close: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The samples of a Prometheus text answer: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

const call = (server: RunningServer, path: string, init: { token?: string; json?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${server.url}${path}`, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

async function scrape(server: RunningServer) {
  const res = await call(server, '/metrics', { token: TOKEN });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return samples(await res.text());
}

async function visitor(server: RunningServer) {
  const res = await call(server, '/api/session', { json: {} });
  expect(res.status).toBe(201);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe('GET /metrics during a chat (PGlite, demo model)', () => {
  let running: Awaited<ReturnType<typeof serverOnPglite>>;
  let server: RunningServer;
  beforeAll(async () => {
    running = await serverOnPglite({
      METRICS_TOKEN: TOKEN,
      DEMO_REPLY_DELAY_MS: '0',
      // Several words a flush interval apart: the reply is several task_output writes and output events.
      DEMO_WORD_DELAY_MS: '15',
      STREAM_FLUSH_INTERVAL_MS: '10',
      RATE_LIMIT_SEND_PER_VISITOR: '1',
    });
    server = running.server;
  });
  afterAll(() => running?.close());

  it('needs the bearer token', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${TOKEN}` }];
    for (const headers of attempts) {
      const res = await call(server, '/metrics', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('moves its counters and histograms with a chat, and reports the queue, the streams and the process', async () => {
    const before = await scrape(server);
    const token = await visitor(server);
    const sent = await call(server, '/api/chat/send', { token, json: { content: 'count this', idempotencyKey: key() } });
    expect(sent.status).toBe(201);
    const { conversationId } = (await sent.json()) as { conversationId: string };

    const stream = readSse(await call(server, `/api/conversations/${conversationId}/stream`, { token }));
    await stream.find((e) => e.event === 'message' && e.data.role === 'assistant');
    const during = await scrape(server);
    expect(during.get('async_chat_sse_streams_open')).toBe(1);
    const outputs = stream.events.filter((e) => e.event === 'output').length;
    expect(outputs).toBeGreaterThan(0);
    await stream.close();

    // Over the per-visitor send limit (1 a minute): one rejection, counted by its limit.
    const refused = await call(server, '/api/chat/send', { token, json: { conversationId, content: 'again', idempotencyKey: key() } });
    expect(refused.status).toBe(429);

    await expect.poll(async () => (await scrape(server)).get('async_chat_sse_streams_open'), { timeout: 10_000 }).toBe(0);
    const after = await scrape(server);
    const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(moved('async_chat_tasks_created_total{kind="chat.reply"}')).toBe(1);
    expect(moved('async_chat_tasks_completed_total{kind="chat.reply"}')).toBe(1);
    expect(moved('async_chat_task_claim_to_start_seconds_count{kind="chat.reply"}')).toBe(1);
    expect(moved('async_chat_task_start_to_finish_seconds_count{kind="chat.reply",outcome="completed"}')).toBe(1);
    expect(after.get('async_chat_task_start_to_finish_seconds_sum{kind="chat.reply",outcome="completed"}')).toBeGreaterThan(0);
    expect(moved('async_chat_rate_limited_total{limit="send"}')).toBe(1);
    // Every write the reply made was accepted; the stream carried its growth as output events.
    expect(moved('async_chat_task_output_writes_total{result="accepted"}')).toBeGreaterThan(1);
    expect(moved('async_chat_sse_events_sent_total{event="output"}')).toBe(outputs);
    expect(moved('async_chat_sse_events_sent_total{event="snapshot"}')).toBe(1);
    // From SQL at scrape time: nothing waits now.
    expect(after.get('async_chat_queue_due_tasks')).toBe(0);
    expect(after.get('async_chat_queue_oldest_due_seconds')).toBe(0);
    // The process: event-loop lag (perf_hooks.monitorEventLoopDelay) and Node's defaults.
    for (const name of [
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_eventloop_lag_max_seconds',
      'process_cpu_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(after.has(name), name).toBe(true);
    }
  });

  it('reports tasks waiting to be claimed, and how long the oldest has waited', async () => {
    // A kind no runner claims: it waits, due, until it is cancelled.
    const token = await visitor(server);
    const created = await call(server, '/api/tasks', { token, json: { kind: 'report.weekly', input: {}, idempotencyKey: key() } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await running.server.db.asService((tx) =>
      tx.query("update async_tasks set next_attempt_at = now() - interval '90 seconds' where id = $1", [id]),
    );
    const values = await scrape(server);
    expect(values.get('async_chat_tasks_created_total{kind="report.weekly"}')).toBe(1);
    expect(values.get('async_chat_queue_due_tasks')).toBe(1);
    expect(values.get('async_chat_queue_oldest_due_seconds')).toBeGreaterThanOrEqual(90);
    await call(server, `/api/tasks/${id}/cancel`, { token, json: {} });
    expect((await scrape(server)).get('async_chat_queue_due_tasks')).toBe(0);
  });
});

describe('GET /metrics with a model (the fake OpenAI-compatible endpoint)', () => {
  let llm: FakeLlmServer;
  let running: Awaited<ReturnType<typeof serverOnPglite>>;
  beforeAll(async () => {
    llm = await startFakeLlmServer();
    running = await serverOnPglite({ METRICS_TOKEN: TOKEN, LLM_BASE_URL: llm.url, LLM_API_KEY: 'test-key', LLM_MAX_RETRIES: '1' });
  });
  afterAll(async () => {
    await running?.close();
    await llm?.close();
  });

  it('times the LLM calls and counts their failed requests by code and status', async () => {
    const { server } = running;
    // The first request fails with a 503 and is retried inside the call; the second answers.
    llm.enqueue({ status: 503 }, { content: 'Hello from the model', chunkSize: 4 });
    const token = await visitor(server);
    const sent = await call(server, '/api/chat/send', { token, json: { content: 'hi', idempotencyKey: key() } });
    const { task } = (await sent.json()) as { task: { id: string } };
    await expect
      .poll(
        async () =>
          (
            await running.server.db.asService((tx) =>
              tx.query<{ status: string }>('select status from async_tasks where id = $1', [task.id]),
            )
          ).rows[0]?.status,
        {
          timeout: 30_000,
        },
      )
      .toBe('completed');
    const values = await scrape(server);
    expect(values.get('async_chat_llm_errors_total{code="llm_unavailable",status="503"}')).toBe(1);
    expect(values.get('async_chat_llm_call_duration_seconds_count{outcome="ok"}')).toBe(1);
    expect(values.get('async_chat_llm_first_text_seconds_count')).toBe(1);
    expect(values.get('async_chat_llm_call_duration_seconds_sum{outcome="ok"}')).toBeGreaterThanOrEqual(
      values.get('async_chat_llm_first_text_seconds_sum') ?? Number.POSITIVE_INFINITY,
    );
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('does not exist: 404, as any unknown path', async () => {
    const db = await memoryDatabase();
    try {
      const t = await testApp(db);
      const res = await t.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /metrics' } });
    } finally {
      await db.close();
    }
  });
});
