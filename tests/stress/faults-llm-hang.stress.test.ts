import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { auditReplies, connect } from './support/db-checks.js';
import { messageText } from './support/load.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { waitForNoOpenTasks, waitUntil } from './support/settle.js';
import { attemptsHistogram } from './support/task-states.js';
import { statusLog, Visitor } from './support/visitor.js';

const hasPostgres = checkRequirement(requirements.postgres);
const DEADLINE_S = 5;
const SWEEP_MS = 1000;
const VISITORS = 12;
const HANGS = 6;
const ATTEMPTS = 3;
// Three attempts of 5 s, with 1–2 s and 2–4 s of backoff between them, plus claiming on a busy machine.
const SETTLE_MS = 60_000;

// The LLM accepts the request and never answers. CHAT_REPLY_TIMEOUT_SECONDS=5: the runner must abort
// the call at the deadline and record `timeout`; the task is retried, and fails for good once its
// attempts are used up.
describe.runIf(hasPostgres)('an LLM that never answers (reply deadline)', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client;
  const log = statusLog();
  const visitors: Visitor[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    llm.setFallback({ delayMs: 100 });
    server = await startServerProcess({
      databaseUrl: database.url,
      llmUrl: llm.url,
      env: { RUNNER_CONCURRENCY: '8', SWEEP_INTERVAL_MS: String(SWEEP_MS), CHAT_REPLY_TIMEOUT_SECONDS: String(DEADLINE_S) },
    });
    sql = await connect(database.url);
  });

  afterAll(async () => {
    for (const v of visitors) v.close();
    await sql?.end();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  it('a message whose every attempt hangs ends failed with code timeout, seen by its client', async () => {
    llm.enqueue(...Array.from({ length: ATTEMPTS }, () => ({ hang: true })));
    const visitor = new Visitor(server.baseUrl, log);
    visitors.push(visitor);
    const message = await visitor.send(messageText(0, 0));
    const ended = await waitUntil(() => visitor.settled, SETTLE_MS);

    const { rows } = await sql.query('select status, attempt, timeout_seconds, error from async_tasks where id = $1', [message.taskId]);
    const seen = visitor.latest.get(message.taskId);
    report('fault-llm-hang-exhausted', {
      llmCalls: llm.requests.length,
      aborted: llm.requests.filter((r) => r.aborted).length,
      task: rows[0],
      seenByClient: seen?.status,
      seenError: seen?.error?.code,
    });

    expect(ended).toBe(true);
    expect(rows[0]).toMatchObject({ status: 'failed', attempt: ATTEMPTS, timeout_seconds: DEADLINE_S, error: { code: 'timeout' } });
    expect(seen).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    // One call per attempt, each aborted by the runner (the fake LLM never closes it itself).
    expect(llm.requests).toHaveLength(ATTEMPTS);
    expect(llm.requests.every((r) => r.aborted)).toBe(true);
  });

  it('under load: the first calls hang, each task completes on a later attempt with exactly one reply', async () => {
    const before = llm.requests.length;
    llm.enqueue(...Array.from({ length: HANGS }, () => ({ hang: true })));
    const started = performance.now();
    const batch = Array.from({ length: VISITORS }, () => new Visitor(server.baseUrl, log));
    visitors.push(...batch);
    await Promise.all(batch.map((v, i) => v.send(messageText(i + 1, 0))));
    const ended = await waitUntil(() => batch.every((v) => v.settled), SETTLE_MS);
    const open = await waitForNoOpenTasks(sql, DEADLINE_S * 1000 + SWEEP_MS + 5_000);
    const audit = await auditReplies(sql);
    const calls = llm.requests.slice(before);
    const hung = calls.slice(0, HANGS);
    const sent = batch.flatMap((v) => v.sent);
    report('fault-llm-hang', {
      visitors: VISITORS,
      hangs: HANGS,
      deadlineS: DEADLINE_S,
      llmCalls: calls.length,
      hungAborted: hung.filter((r) => r.aborted).length,
      attempts: await attemptsHistogram(sql),
      wallMs: Math.round(performance.now() - started),
      sendToTerminal: sent.map((m) => Math.round((m.terminalAt ?? Number.NaN) - m.sentAt)).sort((a, b) => a - b),
      audit,
    });

    expect(ended).toBe(true);
    expect(open).toBe(0);
    expect(log.fiveXx).toEqual([]);
    expect(sent.filter((m) => m.terminal !== 'completed')).toEqual([]);
    // The runner aborted every hung call: none is left open on the LLM.
    expect(hung.every((r) => r.aborted)).toBe(true);
    // At least one call per message plus one per hang (more only if a normal call missed the deadline on a very busy machine).
    expect(calls.length).toBeGreaterThanOrEqual(VISITORS + HANGS);
    // Both parts together: one failed (all attempts hung), the rest completed once each.
    expect(audit).toMatchObject({ userMessages: VISITORS + 1, unanswered: 1, duplicateReplies: 0, stuck: 0 });
    expect(audit.tasks).toEqual({ completed: VISITORS, failed: 1 });
    expect(audit.redispatched).toBeGreaterThanOrEqual(HANGS / 2);
  });
});
