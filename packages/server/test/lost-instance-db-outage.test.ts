import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { checkRequirement, requirements, startPrivatePostgres, type PrivatePostgres } from '@app/test-support';
import { createLogger } from '../src/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { key, testConfig } from './support/test-app.js';

const hasPostgres = checkRequirement(requirements.postgresServerBinaries);
const LOST_AFTER_S = 2;
const OUTAGE_MS = LOST_AFTER_S * 1000 * 3;

// While the database is down no instance can heartbeat. After it comes back, a sweep may run
// before the instance's next beat, with its last beat older than the threshold: the instance
// must not be taken for lost (its task would be failed and the reply paid for twice). The sweep
// counts silence from the database's start at the earliest, so an outage of any length is
// never held against a live instance.
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
        // The sweep runs far more often than the heartbeat: after the restart it almost surely
        // comes first, with the instance's last beat from before the outage.
        SWEEP_INTERVAL_MS: '200',
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
    // The LLM answers after the outage is over.
    llm.enqueue({ content: 'answered across the outage', delayMs: OUTAGE_MS + 3000 });
    const session = await (await api('/api/session', { method: 'POST' })).json();
    const sent = await (
      await api('/api/chat/send', { method: 'POST', token: session.accessToken, json: { content: 'hold on', idempotencyKey: key() } })
    ).json();
    const taskId = sent.task.id as string;

    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const row = async () => (await sql.query('select status, attempt, error from async_tasks where id = $1', [taskId])).rows[0];
    await expect.poll(async () => (await row()).status, { timeout: 30_000, interval: 50 }).toBe('processing');
    await sql.end();

    await postgres.stop('immediate');
    await sleep(OUTAGE_MS);
    await postgres.start();

    const after = new pg.Client({ connectionString: database.url });
    await after.connect();
    try {
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
