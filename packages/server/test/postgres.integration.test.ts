import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { checkRequirement, requirements } from '@app/test-support';
import { createLogger } from '../src/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { readSse, type SseEvent } from './support/sse-reader.js';
import { key, testConfig } from './support/test-app.js';

const hasPostgres = checkRequirement(requirements.postgres);

describe.runIf(hasPostgres)('two server instances on one real PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    const config = (n: number) =>
      testConfig({
        DATABASE_URL: database.url,
        PORT: '0',
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'test',
        RUNNER_POLL_INTERVAL_MS: '200',
        SWEEP_INTERVAL_MS: '1000',
        RUNNER_CONCURRENCY: String(n),
      });
    // Started one after the other: the second finds the migrations applied.
    a = await startServer(config(2), { logger: createLogger('silent') });
    b = await startServer(config(2), { logger: createLogger('silent') });
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await llm?.close();
    await database?.drop();
  });

  const api = async (server: RunningServer, path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
    const { token, json, ...rest } = init;
    return fetch(`${server.url.replace('localhost', '127.0.0.1')}${path}`, {
      ...rest,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  };

  /** The task done, as a task event or already in the snapshot (a fast reply may finish before the stream opens). */
  const completed = (taskId: string) => (e: SseEvent) =>
    (e.event === 'task' && e.data.id === taskId && e.data.status === 'completed') ||
    (e.event === 'snapshot' && e.data.tasks.some((t: { id: string; status: string }) => t.id === taskId && t.status === 'completed'));

  it('a message sent through one instance is streamed live by the other, and replied to exactly once', async () => {
    const session = await (await api(a, '/api/session', { method: 'POST' })).json();
    const token = session.accessToken;
    const first = await (
      await api(a, '/api/chat/send', { method: 'POST', token, json: { content: 'hello postgres', idempotencyKey: key() } })
    ).json();
    const stream = await api(b, `/api/conversations/${first.conversationId}/stream`, { token });
    expect(stream.status).toBe(200);
    const sse = readSse(stream);
    await sse.next((e) => e.event === 'snapshot');
    await sse.find(completed(first.task.id));

    llm.enqueue({ content: 'reply two', delayMs: 200 });
    const second = await (
      await api(a, '/api/chat/send', {
        method: 'POST',
        token,
        json: { conversationId: first.conversationId, content: 'and again', idempotencyKey: key() },
      })
    ).json();
    const status = await sse.find((e) => e.event === 'task' && e.data.id === second.task.id && e.data.statusMessage === 'AI is thinking…');
    expect(status.data.status).toBe('processing');
    const reply = await sse.find((e) => e.event === 'message' && e.data.role === 'assistant' && e.data.asyncTaskId === second.task.id);
    expect(reply.data).toMatchObject({ role: 'assistant', content: 'reply two' });
    await sse.close();

    const page = await (await api(b, `/api/conversations/${first.conversationId}`, { token })).json();
    expect(page.messages.filter((m: { role: string }) => m.role === 'assistant')).toHaveLength(2);
    expect(llm.requests).toHaveLength(2);
  });

  it('keeps streaming after the LISTEN connection is lost (reconnects and re-reads)', async () => {
    const session = await (await api(a, '/api/session', { method: 'POST' })).json();
    const token = session.accessToken;
    const first = await (
      await api(a, '/api/chat/send', { method: 'POST', token, json: { content: 'before the cut', idempotencyKey: key() } })
    ).json();
    const sse = readSse(await api(b, `/api/conversations/${first.conversationId}/stream`, { token }));
    await sse.find(completed(first.task.id));

    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        "select pg_terminate_backend(pid) as killed from pg_stat_activity where datname = current_database() and query ilike 'listen%'",
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    llm.enqueue({ content: 'after the cut' });
    const second = await (
      await api(a, '/api/chat/send', {
        method: 'POST',
        token,
        json: { conversationId: first.conversationId, content: 'again', idempotencyKey: key() },
      })
    ).json();
    const reply = await sse.find((e) => e.event === 'message' && e.data.role === 'assistant' && e.data.asyncTaskId === second.task.id);
    expect(reply.data.content).toBe('after the cut');
    await sse.close();
  });

  it('/readyz is ok on both', async () => {
    expect((await api(a, '/readyz')).status).toBe(200);
    expect((await api(b, '/readyz')).status).toBe(200);
  });
});
