import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { checkRequirement, requirements, startPrivatePostgres, type PrivatePostgres } from '@app/test-support';
import { createLogger } from '../src/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { key, testConfig } from './support/test-app.js';

const hasPostgres = checkRequirement(requirements.postgresServerBinaries);
// Far above how long the database may take to recover, or the runner may stall, on a busy machine.
const LOST_AFTER_S = 1200;

// While the database is down no instance can heartbeat. After it comes back, a sweep may run
// before the instance's next beat, with its last beat older than the threshold: the instance
// must not be taken for lost (its task would be failed and the reply paid for twice). The sweep
// counts silence from the database's start at the earliest, so an outage of any length is
// never held against a live instance.
//
// The outage's length is set on the database's clock, not slept through: right after the restart,
// one transaction moves the instance's last beat an hour back and sweeps. Sleeping past a short
// threshold would make the verdict depend on how fast the database recovers and the first beat
// after it lands (recovery already counts as silence after the server's start), which a loaded
// machine does not bound. Here no beat can come between (the next is due in ten minutes) and the
// database's start is seconds old, so the sweep fails the task exactly when it ignores that start.
describe.runIf(hasPostgres)('a live runner instance across a database outage longer than RUNNER_LOST_AFTER_SECONDS', () => {
  let postgres: PrivatePostgres;
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: RunningServer;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    database = await createTestDatabase(postgres.adminUrl);
    llm = await startFakeLlmServer();
    server = await startServer(
      testConfig({
        DATABASE_URL: database.url,
        PORT: '0',
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'test',
        LLM_MAX_RETRIES: '0',
        RUNNER_POLL_INTERVAL_MS: '200',
        SWEEP_INTERVAL_MS: '200',
        // One beat at start (and the claim's), none during the test.
        RUNNER_HEARTBEAT_INTERVAL_MS: String((LOST_AFTER_S * 1000) / 2),
        RUNNER_LOST_AFTER_SECONDS: String(LOST_AFTER_S),
      }),
      { logger: createLogger('silent') },
    );
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await llm?.close();
    await database?.drop();
    await postgres?.destroy();
  });

  const api = (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
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

  it('keeps its task: completed on attempt 1 with one reply, no worker_lost', { timeout: 120_000 }, async () => {
    // The reply is held until the sweep after the restart has looked at the task.
    llm.enqueue({ content: 'answered across the outage', holdAfterChunks: 0 });
    const session = await (await api('/api/session', { method: 'POST' })).json();
    const sent = await (
      await api('/api/chat/send', { method: 'POST', token: session.accessToken, json: { content: 'hold on', idempotencyKey: key() } })
    ).json();
    const taskId = sent.task.id as string;
    // The runner is inside the LLM call: the task is processing and every write before it is done.
    await expect.poll(() => llm.requests.length, { timeout: 30_000, interval: 50 }).toBe(1);

    await postgres.stop('immediate');
    await postgres.start();

    const after = new pg.Client({ connectionString: database.url });
    await after.connect();
    try {
      await after.query('begin');
      const backdated = await after.query(`update app_internal.runner_instances set heartbeat_at = now() - interval '1 hour' returning id`);
      expect(backdated.rowCount).toBe(1);
      const swept = await after.query('select public.task_sweep(p_lost_after_seconds => $1::int) as r', [LOST_AFTER_S]);
      expect(swept.rows[0].r).toMatchObject({ lost: 0 });
      const held = await after.query('select status, attempt from async_tasks where id = $1', [taskId]);
      expect(held.rows[0]).toEqual({ status: 'processing', attempt: 1 });
      await after.query('commit');

      llm.release();
      await expect
        .poll(async () => (await after.query('select status from async_tasks where id = $1', [taskId])).rows[0].status, {
          timeout: 60_000,
          interval: 100,
        })
        .toBe('completed');
      const { rows } = await after.query('select attempt, error from async_tasks where id = $1', [taskId]);
      expect(rows[0]).toEqual({ attempt: 1, error: null });
      const replies = await after.query("select content from chat_messages where async_task_id = $1 and role = 'assistant'", [taskId]);
      expect(replies.rows).toEqual([{ content: 'answered across the outage' }]);
      expect(llm.requests).toHaveLength(1);
    } finally {
      await after.end();
    }
  });
});
