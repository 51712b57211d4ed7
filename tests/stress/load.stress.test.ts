import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import type { FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { auditReplies, connect, taskTimings } from './support/db-checks.js';
import { serverEventLoopDelay, watchOwnEventLoop } from './support/event-loop-delay.js';
import { METRICS_TOKEN } from './support/server-metrics.js';
import { rssBytes } from './support/idle-streams.js';
import { latencyFigures, runLoad } from './support/load.js';
import { startRandomLatencyLlm } from './support/random-llm.js';
import { report, sizes } from './support/results.js';
import { summarize } from './support/stats.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { formatSummary } from './support/stats.js';

const hasPostgres = checkRequirement(requirements.postgres);
const MESSAGES_EACH = 3;

// N visitors × 3 messages through the SDK's http transport against the server process on real
// PostgreSQL, the built-in runner calling a fake LLM that answers in 50–500 ms.
describe.runIf(hasPostgres)(`load: ${sizes.visitors} visitors × ${MESSAGES_EACH} messages on one instance`, () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startRandomLatencyLlm(sizes.visitors * MESSAGES_EACH);
    // The runner's default concurrency: sized to the work, not capped below it.
    server = await startServerProcess({ databaseUrl: database.url, llmUrl: llm.url, env: { METRICS_TOKEN } });
    sql = await connect(database.url);
  });

  afterAll(async () => {
    await sql?.end();
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  // The suite's own deadlines bound it (the send window, then settleTimeoutMs); the runner's
  // budget grows with them, so a large run is not cut by the default.
  it('answers every message exactly once, every client sees every task end, no 5xx', { timeout: sizes.spreadMs + 300_000 }, async () => {
    // The server's memory before and at its highest while every visitor is connected.
    const pid = server.process.child.pid!;
    const rssBefore = await rssBytes(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssBytes(pid).then(
        (r) => (rssPeak = Math.max(rssPeak, r)),
        () => undefined,
      );
    }, 500);
    // Both event loops' delays over the run: a latency here includes what the busy server and
    // the busy clients (every visitor in this one process) add.
    await serverEventLoopDelay(server.baseUrl);
    const ownLoop = watchOwnEventLoop();
    const result = await runLoad({
      baseUrls: [server.baseUrl],
      visitors: sizes.visitors,
      messagesEach: MESSAGES_EACH,
      spreadMs: sizes.spreadMs,
      settleTimeoutMs: 120_000,
    });
    clearInterval(sampler);
    const clientLoopDelay = ownLoop.stop();
    const serverLoopDelay = await serverEventLoopDelay(server.baseUrl);
    const total = sizes.visitors * MESSAGES_EACH;
    const audit = await auditReplies(sql);
    const timings = await taskTimings(sql);
    const sent = result.visitors.flatMap((v) => v.sent);
    const figures = {
      visitors: sizes.visitors,
      messages: total,
      spreadMs: sizes.spreadMs,
      wallMs: Math.round(result.wallMs),
      ...latencyFigures(result),
      createdToStarted: summarize(timings.queuedMs),
      startedToFinished: summarize(timings.workingMs),
      statuses: Object.fromEntries(result.log.counts),
      networkErrors: Object.fromEntries(result.log.networkCauses),
      audit,
      rssBeforeMb: +(rssBefore / 2 ** 20).toFixed(1),
      rssPeakMb: +(rssPeak / 2 ** 20).toFixed(1),
      bytesPerVisitor: Math.round((rssPeak - rssBefore) / sizes.visitors),
      serverLoopDelay,
      clientLoopDelay,
      load: await loadAverage(),
    };
    // A growth run (several sizes) names each result by its size.
    report(process.env.STRESS_LOAD_REPORT ?? 'load-one-instance', figures);
    console.log(`send → first status: ${formatSummary(result.sendToFirstStatus)}`);
    console.log(`DB change → client event: ${formatSummary(result.dbChangeToClientEvent)}`);

    expect(result.sendErrors).toEqual([]);
    expect(result.log.fiveXx).toEqual([]);
    expect(sent).toHaveLength(total);
    expect(sent.filter((m) => m.terminal !== 'completed')).toEqual([]);
    expect(audit).toMatchObject({
      userMessages: total,
      tasks: { completed: total },
      unanswered: 0,
      duplicateReplies: 0,
      redispatched: 0,
      stuck: 0,
    });
    // The LLM was asked once per message (its echo names the message).
    const asked = llm.requests.map((r) => r.body.messages?.at(-1)?.content);
    expect(asked).toHaveLength(total);
    expect(new Set(asked)).toEqual(new Set(sent.map((m) => m.content)));
  });
});

async function loadAverage(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}
