import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { startFakeLlmServer, type FakeLlmServer } from '../../test/support/fake-llm-server.js';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';
import { createLlmClient } from '../llm/llm-client.js';
import { createLogger } from '../logger.js';
import { createChatReplyHandler } from './chat-reply.js';
import { createRunner, type Runner } from './runner.js';
import { createSweeper } from './sweeper.js';

// A runner instance that dies (SIGKILL, machine gone) stops heartbeating; another instance's
// sweep retries its tasks as `worker_lost` once it has been silent for RUNNER_LOST_AFTER_SECONDS,
// long before the tasks' deadline. A live instance that heartbeats keeps its slow task.
const LOST_AFTER_S = 1;
const POLL = { timeout: 60_000, interval: 100 };

let db: Database;
let app: TestApp;
let llm: FakeLlmServer;
beforeAll(async () => {
  db = await memoryDatabase();
  app = await testApp(db);
  llm = await startFakeLlmServer();
});
afterAll(async () => {
  await app.hub.stop();
  await llm.close();
  await db.close();
});

let stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
  await db.asService((tx) =>
    tx.query("update async_tasks set status = 'cancelled', finished_at = now() where status in ('pending', 'processing')"),
  );
});

/** The other server instance: a real runner with its heartbeat, and its sweeper. */
function startInstance(): Runner {
  const logger = createLogger('silent');
  const model = createLlmClient({ baseUrl: llm.url, apiKey: 'test-key', model: 'fake', maxRetries: 0 });
  const runner = createRunner({
    db,
    hub: app.hub,
    logger,
    concurrency: 2,
    pollIntervalMs: 100,
    heartbeatIntervalMs: 200,
    handlers: { 'chat.reply': createChatReplyHandler({ model, systemPrompt: 'Be brief.' }) },
  });
  const sweeper = createSweeper({ db, logger, intervalMs: 200, lostAfterSeconds: LOST_AFTER_S });
  runner.start();
  sweeper.start();
  stops.push(async () => {
    await sweeper.stop();
    await runner.stop(0);
  });
  return runner;
}

async function task(id: string) {
  const { rows } = await db.asService((tx) => tx.query<Record<string, any>>('select * from async_tasks where id = $1', [id]));
  return rows[0]!;
}

async function instanceRows(id: string) {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from app_internal.runner_instances where id = $1', [id]);
  return rows[0]!.n;
}

describe('a lost runner instance', () => {
  it("has its task retried by another instance's sweep long before the deadline; its late reports are refused", async () => {
    const v = await app.visitor();
    const sent = await app.send(v.token, { content: 'held by a dying instance', idempotencyKey: key() });
    const taskId = sent.body.task.id as string;

    // Instance A claims and starts the task, then dies: no heartbeat, no report.
    const dead = randomUUID();
    const claimed = await db.asWorker((tx) =>
      tx.query<Record<string, any>>("select * from public.task_claim(1, array['chat.reply'], $1::uuid)", [dead]),
    );
    expect(claimed.rows.map((r) => r.id)).toEqual([taskId]);
    await db.asWorker((tx) => tx.query('select public.task_start($1, 1)', [taskId]));
    const attempt1 = await task(taskId);
    expect(attempt1.deadline_at.getTime() - attempt1.dispatched_at.getTime()).toBe(120_000);

    startInstance();
    await expect.poll(async () => (await task(taskId)).status, POLL).toBe('completed');
    const done = await task(taskId);
    expect(done.attempt).toBe(2);
    // Retried because A went silent, not because its deadline passed (database clock).
    expect(done.finished_at.getTime()).toBeLessThan(attempt1.deadline_at.getTime() - 60_000);
    const { rows: replies } = await db.query<{ content: string }>(
      "select content from chat_messages where async_task_id = $1 and role = 'assistant'",
      [taskId],
    );
    expect(replies).toHaveLength(1);

    // A comes back to life with attempt 1's answer: refused, no second reply.
    const late = await db.asWorker((tx) =>
      tx.query<{ ok: boolean }>(`select public.task_complete($1, 1, '{"content":"late"}'::jsonb) as ok`, [taskId]),
    );
    expect(late.rows[0]!.ok).toBe(false);
    const { rows: after } = await db.query<{ n: number }>(
      "select count(*)::int as n from chat_messages where async_task_id = $1 and role = 'assistant'",
      [taskId],
    );
    expect(after[0]!.n).toBe(1);
  });

  it('a live instance keeps a task that outlasts the threshold, and deregisters on a graceful stop', async () => {
    // The reply takes three times the threshold: the instance's heartbeats keep it.
    llm.enqueue({ content: 'slow but alive', delayMs: LOST_AFTER_S * 3000 });
    const runner = startInstance();
    const v = await app.visitor();
    const sent = await app.send(v.token, { content: 'slow one', idempotencyKey: key() });
    const taskId = sent.body.task.id as string;
    await expect.poll(async () => (await task(taskId)).status, POLL).toBe('completed');
    const done = await task(taskId);
    expect(done.attempt).toBe(1);
    expect(done.result).toEqual({ content: 'slow but alive' });
    expect(await instanceRows(runner.instanceId)).toBe(1);

    await stops.pop()!();
    expect(await instanceRows(runner.instanceId)).toBe(0);
  });

  it('leaves a task claimed without an instance (the n8n dispatcher) to its deadline', async () => {
    const v = await app.visitor();
    const sent = await app.send(v.token, { content: 'held by n8n', idempotencyKey: key() });
    const taskId = sent.body.task.id as string;
    await db.asWorker((tx) => tx.query("select * from public.task_claim(1, array['chat.reply'])"));
    await db.asWorker((tx) => tx.query('select public.task_start($1, 1)', [taskId]));
    // Sweeps with a 1 s threshold, well after it.
    const sweeper = createSweeper({ db, logger: createLogger('silent'), intervalMs: 60_000, lostAfterSeconds: LOST_AFTER_S });
    await new Promise((resolve) => setTimeout(resolve, LOST_AFTER_S * 1000 + 500));
    const result = await sweeper.sweepOnce();
    expect(result.lost).toBe(0);
    expect((await task(taskId)).status).toBe('processing');
  });
});
