import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import type { FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { startCutProxy } from './support/cut-proxy.js';
import { auditReplies, connect } from './support/db-checks.js';
import { runLoad } from './support/load.js';
import { startRandomLatencyLlm } from './support/random-llm.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { waitForNoOpenTasks } from './support/settle.js';

const hasPostgres = checkRequirement(requirements.postgres);
const VISITORS = 30;
const CUT_EVERY_MS = 2_500;

// Every client connection (SSE streams and commands in flight) goes through a TCP proxy that
// cuts them all every 2.5 s while the visitors chat.
describe.runIf(hasPostgres)('stream connections cut every few seconds', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let proxy: Awaited<ReturnType<typeof startCutProxy>>;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startRandomLatencyLlm(VISITORS * 3);
    server = await startServerProcess({ databaseUrl: database.url, llmUrl: llm.url, env: { RUNNER_CONCURRENCY: '8' } });
    proxy = await startCutProxy(server.port);
    sql = await connect(database.url);
  });

  afterAll(async () => {
    await sql?.end();
    await proxy?.close();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  it('every client still sees every task end, every message is stored and answered once', async () => {
    const SPREAD_MS = 12_000;
    const result = await runLoad({
      baseUrls: [proxy.baseUrl],
      visitors: VISITORS,
      messagesEach: 3,
      spreadMs: SPREAD_MS,
      settleTimeoutMs: 90_000,
      sendRetries: 5,
      // Cuts while the visitors send and for 5 s more; then the clients must recover on their own.
      during: async (elapsed) => {
        while (elapsed() < SPREAD_MS + 5_000) {
          await new Promise((r) => setTimeout(r, CUT_EVERY_MS));
          proxy.cut();
        }
      },
    });
    const open = await waitForNoOpenTasks(sql, 30_000);
    const audit = await auditReplies(sql);
    const sent = result.visitors.flatMap((v) => v.sent);
    report('fault-stream-cuts', {
      visitors: VISITORS,
      cuts: proxy.cuts,
      sendRetries: result.visitors.reduce((n, v) => n + v.sendRetries, 0),
      networkErrors: result.log.networkErrors,
      sendToTerminal: result.sendToTerminal,
      audit,
    });

    expect(proxy.cuts).toBeGreaterThan(3);
    expect(result.sendErrors).toEqual([]);
    expect(result.log.fiveXx).toEqual([]);
    expect(open).toBe(0);
    expect(sent.filter((m) => m.terminal !== 'completed')).toEqual([]);
    expect(audit).toMatchObject({
      userMessages: VISITORS * 3,
      tasks: { completed: VISITORS * 3 },
      unanswered: 0,
      duplicateReplies: 0,
      stuck: 0,
    });
  });
});
