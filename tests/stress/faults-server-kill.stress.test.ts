import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import type { FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { auditReplies, connect } from './support/db-checks.js';
import { runLoad } from './support/load.js';
import { startRandomLatencyLlm } from './support/random-llm.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { waitForNoOpenTasks } from './support/settle.js';
import { attemptsHistogram, inFlightTaskIds, lastErrorCodes, waitForInFlight } from './support/task-states.js';

const hasPostgres = checkRequirement(requirements.postgres);
const VISITORS = 40;
const MESSAGES = 3;
const SWEEP_MS = 1000;
// The defaults: the reply deadline (CHAT_REPLY_TIMEOUT_SECONDS), the runner's heartbeat
// (RUNNER_HEARTBEAT_INTERVAL_MS) and the silence after which an instance is lost
// (RUNNER_LOST_AFTER_SECONDS). The killed process stops heartbeating; the restarted one's sweep
// retries its tasks as `worker_lost` after LOST_AFTER_S, long before their deadline.
const DEADLINE_S = 120;
const LOST_AFTER_S = 30;
/** Kill → an orphan's attempt 2 started, at most: the threshold (the last beat came before the
 * kill, so less), one sweep, the backoff (≤ 2 s), a claim; plus slack for a loaded machine. */
const RECOVERY_BOUND_S = LOST_AFTER_S + 20;

// The server process is SIGKILLed (no shutdown hook runs) while it holds tasks, then started again on
// the same port a second later. Visitors retry failed sends with the same idempotency key; the SDK
// reconnects its SSE streams.
describe.runIf(hasPostgres)('server SIGKILLed mid-load, then restarted', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Slower answers than the load suites, so several tasks are in flight at the kill.
    llm = await startRandomLatencyLlm(VISITORS * MESSAGES, { minMs: 300, maxMs: 1500 });
    server = await startServerProcess({
      databaseUrl: database.url,
      llmUrl: llm.url,
      env: { RUNNER_CONCURRENCY: '8', SWEEP_INTERVAL_MS: String(SWEEP_MS) },
    });
    sql = await connect(database.url);
  });

  afterAll(async () => {
    await sql?.end();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  it('loses nothing: every message stored once and answered once, every client sees every task end', { timeout: 300_000 }, async () => {
    let heldAtKill: string[] = [];
    /** Attempt 1's deadline of each task held at the kill, and the kill time, on the database's clock. */
    let held: Array<{ id: string; deadline_at: Date; killed_at: Date }> = [];
    let downMs = 0;
    const result = await runLoad({
      baseUrls: [server.baseUrl],
      visitors: VISITORS,
      messagesEach: MESSAGES,
      spreadMs: 12_000,
      settleTimeoutMs: RECOVERY_BOUND_S * 1000 + 60_000,
      // The restart takes seconds on a loaded machine: sends keep trying meanwhile (same key).
      sendRetries: 30,
      during: async (elapsed) => {
        await sleep(Math.max(0, 4_000 - elapsed()));
        await waitForInFlight(sql, 3, 10_000);
        const down = performance.now();
        await server.stop('SIGKILL');
        // Read once the process is gone: exactly the tasks it was holding.
        heldAtKill = await inFlightTaskIds(sql);
        ({ rows: held } = await sql.query<{ id: string; deadline_at: Date; killed_at: Date }>(
          'select id, deadline_at, now() as killed_at from async_tasks where id = any($1::uuid[])',
          [heldAtKill],
        ));
        await sleep(1_000);
        await server.restart();
        downMs = performance.now() - down;
      },
    });
    expect(server.exited()).toBeNull();
    const open = await waitForNoOpenTasks(sql, RECOVERY_BOUND_S * 1000 + SWEEP_MS + 15_000);
    const audit = await auditReplies(sql);
    const sent = result.visitors.flatMap((v) => v.sent);
    const { rows: retried } = await sql.query<{ id: string }>('select id from async_tasks where attempt > 1');
    const { rows: stored } = await sql.query<{ content: string; n: number }>(
      `select content, count(*)::int as n from chat_messages where role = 'user' group by content`,
    );
    // Replies in a conversation are made in order: a later message of a conversation whose task was orphaned waits for it.
    const { rows: blocked } = await sql.query<{ n: number }>(
      `select count(*)::int as n from async_tasks where attempt = 1 and started_at - created_at > make_interval(secs => $1)`,
      [LOST_AFTER_S / 2],
    );
    // When each orphan's last attempt started, against the kill and attempt 1's deadline.
    const { rows: orphans } = await sql.query<{ id: string; attempt: number; started_at: Date }>(
      'select id, attempt, started_at from async_tasks where id = any($1::uuid[])',
      [heldAtKill],
    );
    const recoveryS = orphans.map((o) => {
      const h = held.find((x) => x.id === o.id)!;
      return {
        afterKillS: (o.started_at.getTime() - h.killed_at.getTime()) / 1000,
        beforeDeadlineS: (h.deadline_at.getTime() - o.started_at.getTime()) / 1000,
      };
    });
    const llmCallsPerMessage = new Map<string, number>();
    for (const request of llm.requests) {
      const last = [...(request.body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '';
      llmCallsPerMessage.set(last, (llmCallsPerMessage.get(last) ?? 0) + 1);
    }
    report('fault-server-kill', {
      visitors: VISITORS,
      messages: sent.length,
      heldAtKill: heldAtKill.length,
      downMs: Math.round(downMs),
      sendRetries: result.visitors.reduce((n, v) => n + v.sendRetries, 0),
      networkErrors: result.log.networkErrors,
      neededAttempt2: retried.length,
      waitedBehindAnOrphan: blocked[0]!.n,
      orphanRetriedAfterKillS: {
        min: Math.min(...recoveryS.map((r) => r.afterKillS)),
        max: Math.max(...recoveryS.map((r) => r.afterKillS)),
      },
      orphanRetriedBeforeDeadlineS: { min: Math.min(...recoveryS.map((r) => r.beforeDeadlineS)) },
      retriedThatWereHeldAtKill: retried.filter((r) => heldAtKill.includes(r.id)).length,
      attempts: await attemptsHistogram(sql),
      errorCodes: await lastErrorCodes(sql),
      llmCalls: llm.requests.length,
      messagesAskedTwice: [...llmCallsPerMessage.values()].filter((n) => n > 1).length,
      wallMs: Math.round(result.wallMs),
      sendToTerminal: result.sendToTerminal,
      audit,
    });

    expect(heldAtKill.length).toBeGreaterThan(0);
    expect(result.sendErrors).toEqual([]);
    expect(result.log.fiveXx).toEqual([]);
    expect(open).toBe(0);
    // No lost and no doubled user message: each text sent is stored exactly once.
    expect(sent).toHaveLength(VISITORS * MESSAGES);
    expect(stored.filter((s) => s.n !== 1)).toEqual([]);
    expect(new Set(stored.map((s) => s.content))).toEqual(new Set(sent.map((m) => m.content)));
    expect(sent.filter((m) => m.terminal !== 'completed')).toEqual([]);
    expect(audit).toMatchObject({ userMessages: VISITORS * MESSAGES, unanswered: 0, duplicateReplies: 0, stuck: 0 });
    expect(audit.tasks).toEqual({ completed: VISITORS * MESSAGES });
    // Only tasks the killed process held may have needed another attempt.
    expect(retried.filter((r) => !heldAtKill.includes(r.id))).toEqual([]);
    // The lost instance was detected: every orphan's next attempt started within the threshold +
    // sweep + backoff after the kill, i.e. long before attempt 1's 120 s deadline (which is what
    // recovered them before: the check fails without the heartbeat).
    expect(orphans.every((o) => o.attempt >= 2)).toBe(true);
    expect(recoveryS.filter((r) => r.afterKillS > RECOVERY_BOUND_S)).toEqual([]);
    expect(recoveryS.filter((r) => r.beforeDeadlineS < DEADLINE_S - RECOVERY_BOUND_S - 15)).toEqual([]);
  });
});
