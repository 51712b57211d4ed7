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

const hasPostgres = checkRequirement(requirements.postgres);
const VISITORS = 40;
const SWEEP_MS = 1000;

// Restarting the shared PostgreSQL would hit everyone's tests on this machine; instead every
// connection the server holds to its database (pool and LISTEN) is killed, twice, mid-load.
describe.runIf(hasPostgres)('database connections killed mid-load (pg_terminate_backend)', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startRandomLatencyLlm(VISITORS * 3);
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

  it('recovers: every message is stored once and answered once, every client sees every task end', async () => {
    const dbName = new URL(database.url).pathname.slice(1);
    const killed: number[] = [];
    const result = await runLoad({
      baseUrls: [server.baseUrl],
      visitors: VISITORS,
      messagesEach: 3,
      spreadMs: 10_000,
      settleTimeoutMs: 60_000,
      sendRetries: 5,
      during: async (elapsed) => {
        for (const at of [3_000, 6_500]) {
          await sleep(Math.max(0, at - elapsed()));
          const { rows } = await sql.query(
            'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
            [dbName],
          );
          killed.push(rows.length);
        }
      },
    });
    // The server must survive losing its connections.
    expect(server.exited()).toBeNull();
    // Chat tasks have a 120 s deadline: a task orphaned by a killed connection may wait that long.
    const open = await waitForNoOpenTasks(sql, 120_000 + SWEEP_MS + 10_000);
    const audit = await auditReplies(sql);
    const sent = result.visitors.flatMap((v) => v.sent);
    report('fault-db-connections-killed', {
      visitors: VISITORS,
      connectionsKilled: killed,
      sendRetries: result.visitors.reduce((n, v) => n + v.sendRetries, 0),
      fiveXxSeenBySdk: result.log.fiveXx.length,
      networkErrors: result.log.networkErrors,
      wallMs: Math.round(result.wallMs),
      sendToTerminal: result.sendToTerminal,
      audit,
    });

    expect(killed.every((n) => n > 0)).toBe(true);
    expect(result.sendErrors).toEqual([]);
    expect(open).toBe(0);
    expect(sent).toHaveLength(VISITORS * 3);
    expect(sent.filter((m) => m.terminal === null)).toEqual([]);
    expect(audit).toMatchObject({ userMessages: VISITORS * 3, unanswered: 0, duplicateReplies: 0, stuck: 0 });
    expect(audit.tasks).toEqual({ completed: VISITORS * 3 });
  });
});
