import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { checkRequirement, freePort, requirements } from '@app/test-support';
import { auditReplies, connect } from './support/db-checks.js';
import { messageText } from './support/load.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { waitForNoOpenTasks, waitUntil } from './support/settle.js';
import { attemptsHistogram } from './support/task-states.js';
import { statusLog, Visitor } from './support/visitor.js';
import { startWebhookWorker } from './support/webhook-worker.js';

const hasPostgres = checkRequirement(requirements.postgres);
const VISITORS = 30;
const RETRIED = 10;
const SECRET = 'stress-webhook-secret-0123456789abcdef';
const SWEEP_MS = 1000;
// Three dispatch attempts with 1–2 s and 2–4 s of backoff between them, on a busy machine.
const SETTLE_MS = 45_000;

// n8n mode (N8N_WEBHOOK_URL + WEBHOOK_SECRET) with the workflow's webhook down (nothing listens on
// its port): each dispatch is refused, retried with backoff, then the task fails for good. Then a
// stand-in for the workflow comes up on that port and works tasks through the signed callback API.
describe.runIf(hasPostgres)('n8n webhook target down, then back', () => {
  let database: { url: string; drop(): Promise<void> };
  let server: ServerProcess;
  let sql: pg.Client;
  let webhookPort: number;
  let worker: Awaited<ReturnType<typeof startWebhookWorker>> | undefined;
  const log = statusLog();
  const visitors: Visitor[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    webhookPort = await freePort();
    server = await startServerProcess({
      databaseUrl: database.url,
      // Unused in n8n mode: the workflow does the LLM call.
      llmUrl: 'http://127.0.0.1:9/v1',
      env: { N8N_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/webhook/chat`, WEBHOOK_SECRET: SECRET, SWEEP_INTERVAL_MS: String(SWEEP_MS) },
    });
    sql = await connect(database.url);
    visitors.push(...Array.from({ length: VISITORS }, () => new Visitor(server.baseUrl, log)));
  });

  afterAll(async () => {
    for (const v of visitors) v.close();
    await sql?.end();
    await server?.stop();
    await worker?.close();
    await database?.drop();
  });

  it('while the target is down: every message ends failed with dispatch_failed, seen by its client; messages kept, no reply', async () => {
    const sent = await Promise.all(visitors.map((v, i) => v.send(messageText(i, 0))));
    const ended = await waitUntil(() => visitors.every((v) => v.settled), SETTLE_MS);
    const open = await waitForNoOpenTasks(sql, SWEEP_MS + 5_000);
    const audit = await auditReplies(sql);
    const seen = sent.map((m, i) => visitors[i]!.latest.get(m.taskId));
    report('fault-dispatch-down', {
      visitors: VISITORS,
      attempts: await attemptsHistogram(sql),
      seenErrors: [...new Set(seen.map((t) => t?.error?.message))],
      audit,
    });

    expect(ended).toBe(true);
    expect(open).toBe(0);
    expect(sent.map((m) => m.terminal)).toEqual(sent.map(() => 'failed'));
    for (const task of seen) expect(task).toMatchObject({ status: 'failed', error: { code: 'dispatch_failed' } });
    expect(audit).toMatchObject({
      userMessages: VISITORS,
      tasks: { failed: VISITORS },
      unanswered: VISITORS,
      duplicateReplies: 0,
      stuck: 0,
    });
    // Each was dispatched max_attempts (3) times before it failed for good.
    expect(await attemptsHistogram(sql)).toEqual({ 3: VISITORS });
  });

  it('once it is back: new messages and visitor retries of failed ones are answered exactly once', async () => {
    worker = await startWebhookWorker({ port: webhookPort, secret: SECRET, serverUrl: server.baseUrl });
    const started = performance.now();
    const failed = visitors.slice(0, RETRIED).map((v) => ({ visitor: v, taskId: v.sent[0]!.taskId }));
    await Promise.all(failed.map(({ visitor, taskId }) => visitor.transport.retryTask(taskId)));
    const second = await Promise.all(visitors.map((v, i) => v.send(messageText(i, 1))));
    const ended = await waitUntil(
      () => visitors.every((v) => v.settled) && failed.every(({ visitor, taskId }) => visitor.latest.get(taskId)?.status === 'completed'),
      SETTLE_MS,
    );
    const open = await waitForNoOpenTasks(sql, SWEEP_MS + 5_000);
    const audit = await auditReplies(sql);
    const answered = [...failed.map((f) => f.taskId), ...second.map((m) => m.taskId)];
    const { rows: replies } = await sql.query<{ task: string; content: string }>(
      `select async_task_id as task, content from chat_messages where role = 'assistant'`,
    );
    report('fault-dispatch-back', {
      dispatches: worker.dispatches.length,
      callbackErrors: worker.callbackErrors.length,
      wallMs: Math.round(performance.now() - started),
      attempts: await attemptsHistogram(sql),
      audit,
    });

    expect(ended).toBe(true);
    expect(open).toBe(0);
    expect(log.fiveXx).toEqual([]);
    expect(worker.rejected).toEqual([]);
    expect(worker.callbackErrors).toEqual([]);
    // Each task dispatched to the live target once, and each answered with the workflow's reply.
    expect(worker.dispatches.map((d) => d.taskId).sort()).toEqual([...answered].sort());
    expect(replies.map((r) => r.task).sort()).toEqual([...answered].sort());
    for (const r of replies) expect(r.content).toBe(`Reply from the workflow to ${r.task}`);
    expect(audit).toMatchObject({
      userMessages: 2 * VISITORS,
      tasks: { completed: RETRIED + VISITORS, failed: VISITORS - RETRIED },
      unanswered: VISITORS - RETRIED,
      duplicateReplies: 0,
      stuck: 0,
    });
  });
});
