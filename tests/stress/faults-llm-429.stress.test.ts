import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { auditReplies, connect } from './support/db-checks.js';
import { runLoad } from './support/load.js';
import { report } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { waitForNoOpenTasks } from './support/settle.js';

const hasPostgres = checkRequirement(requirements.postgres);
const VISITORS = 20;
const STORM = 60;

// The LLM provider rate-limits hard: the first 60 calls answer 429 (3 per message) with Retry-After: 1, then it
// recovers. The runner's in-call retries honour Retry-After and the task retries with backoff.
describe.runIf(hasPostgres)('an LLM 429 storm with Retry-After', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    llm.enqueue(...Array.from({ length: STORM }, () => ({ status: 429, retryAfter: '1' })));
    llm.setFallback({ delayMs: 100 });
    server = await startServerProcess({
      databaseUrl: database.url,
      llmUrl: llm.url,
      // 2 in-call retries per attempt, 3 attempts per chat task: the storm exhausts the first attempts.
      env: { RUNNER_CONCURRENCY: '8', LLM_MAX_RETRIES: '2' },
    });
    sql = await connect(database.url);
  });

  afterAll(async () => {
    await sql?.end();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  it('every message still gets exactly one reply once the storm passes, none stuck', async () => {
    const result = await runLoad({
      baseUrls: [server.baseUrl],
      visitors: VISITORS,
      messagesEach: 1,
      spreadMs: 2_000,
      settleTimeoutMs: 150_000,
    });
    const open = await waitForNoOpenTasks(sql, 30_000);
    const audit = await auditReplies(sql);
    const sent = result.visitors.flatMap((v) => v.sent);
    const tooMany = llm.requests.length;
    const attempts = (await sql.query('select attempt, count(*)::int as n from async_tasks group by 1 order by 1')).rows;
    report('fault-llm-429-storm', {
      visitors: VISITORS,
      llmCalls: tooMany,
      storm: STORM,
      attempts,
      sendToTerminal: result.sendToTerminal,
      audit,
    });

    expect(result.sendErrors).toEqual([]);
    expect(result.log.fiveXx).toEqual([]);
    expect(open).toBe(0);
    expect(tooMany).toBeGreaterThan(STORM);
    expect(sent.filter((m) => m.terminal !== 'completed')).toEqual([]);
    expect(audit).toMatchObject({ userMessages: VISITORS, tasks: { completed: VISITORS }, unanswered: 0, duplicateReplies: 0, stuck: 0 });
    // The storm was felt: some tasks needed a second attempt.
    expect(attempts.some((a: { attempt: number }) => a.attempt > 1)).toBe(true);
  });
});
