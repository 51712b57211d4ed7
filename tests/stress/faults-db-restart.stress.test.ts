import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import type { FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements, startPrivatePostgres, type PostgresStopMode, type PrivatePostgres } from '@app/test-support';
import { auditReplies, connect } from './support/db-checks.js';
import { runLoad } from './support/load.js';
import { startRandomLatencyLlm } from './support/random-llm.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { waitForNoOpenTasks } from './support/settle.js';

const hasPostgres = checkRequirement(requirements.postgresServerBinaries);
const VISITORS = 40;
const SWEEP_MS = 1000;
const DOWN_MS = 2500;
/** When each outage begins (ms after the first send), and how the server goes down. */
const OUTAGES: Array<{ at: number; mode: PostgresStopMode }> = [
  { at: 3_000, mode: 'fast' },
  { at: 9_000, mode: 'immediate' },
];

// A PostgreSQL of the test's own (initdb, its own port), so it can be shut down and crashed
// mid-load without touching the shared server the other suites use.
describe.runIf(hasPostgres)('database restarted mid-load (a private PostgreSQL: clean shutdown, then a crash)', () => {
  let postgres: PrivatePostgres;
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client | undefined;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    database = await createTestDatabase(postgres.adminUrl);
    llm = await startRandomLatencyLlm(VISITORS * 3);
    server = await startServerProcess({
      databaseUrl: database.url,
      llmUrl: llm.url,
      env: { RUNNER_CONCURRENCY: '8', SWEEP_INTERVAL_MS: String(SWEEP_MS) },
    });
  });

  afterAll(async () => {
    await sql?.end();
    await server?.stop();
    await llm?.close();
    await postgres?.destroy();
  });

  it('recovers: every message stored once and answered once, every client sees every task end, only 503s meanwhile', async () => {
    const downtimes: number[] = [];
    const result = await runLoad({
      baseUrls: [server.baseUrl],
      visitors: VISITORS,
      messagesEach: 3,
      spreadMs: 14_000,
      settleTimeoutMs: 90_000,
      // 1 s apart: enough to outlast an outage, with the same idempotency key each time.
      sendRetries: 15,
      during: async (elapsed) => {
        for (const { at, mode } of OUTAGES) {
          await sleep(Math.max(0, at - elapsed()));
          const down = performance.now();
          await postgres.stop(mode);
          await sleep(DOWN_MS);
          await postgres.start();
          downtimes.push(Math.round(performance.now() - down));
        }
      },
    });
    // The server must ride out the outages, not crash or need a restart.
    expect(server.exited()).toBeNull();
    sql = await connect(database.url);
    // Chat tasks have a 120 s deadline: a task whose claim was lost with the connection may wait that long.
    const open = await waitForNoOpenTasks(sql, 120_000 + SWEEP_MS + 10_000);
    const audit = await auditReplies(sql);
    const sent = result.visitors.flatMap((v) => v.sent);
    const statuses = Object.fromEntries(result.log.counts);
    report('fault-db-restart', {
      visitors: VISITORS,
      outages: OUTAGES.map((o, i) => ({ ...o, downMs: downtimes[i] })),
      sendRetries: result.visitors.reduce((n, v) => n + v.sendRetries, 0),
      statuses,
      networkErrors: result.log.networkErrors,
      wallMs: Math.round(result.wallMs),
      sendToTerminal: result.sendToTerminal,
      audit,
      // What the stream of a visitor that never saw a task end delivered, to find out why.
      unsettled: result.visitors.filter((v) => !v.settled).map((v) => ({ sent: v.sent.map((m) => m.taskId.slice(0, 8)), trace: v.trace })),
    });

    expect(downtimes).toHaveLength(OUTAGES.length);
    // The outages were felt (requests were refused while the database was down) ...
    expect(result.log.fiveXx.length).toBeGreaterThan(0);
    // ... and answered honestly: 503 "try again", never a 500.
    expect(result.log.fiveXx.filter((line) => !line.endsWith('→ 503'))).toEqual([]);
    expect(result.sendErrors).toEqual([]);
    expect(open).toBe(0);
    expect(sent).toHaveLength(VISITORS * 3);
    expect(sent.filter((m) => m.terminal === null)).toEqual([]);
    expect(audit).toMatchObject({ userMessages: VISITORS * 3, unanswered: 0, duplicateReplies: 0, stuck: 0 });
    expect(audit.tasks).toEqual({ completed: VISITORS * 3 });
  });
});
