import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import type { FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { auditReplies, connect, taskTimings } from './support/db-checks.js';
import { latencyFigures, runLoad } from './support/load.js';
import { startRandomLatencyLlm } from './support/random-llm.js';
import { report, sizes as defaults } from './support/results.js';
import { summarize } from './support/stats.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const hasPostgres = checkRequirement(requirements.postgres);
const INSTANCES = 3;
const MESSAGES_EACH = 3;
// Three server processes share the 2 cores with the clients: CI runs fewer visitors here.
const sizes = { ...defaults, visitors: Number(process.env.STRESS_MULTI_VISITORS ?? Math.min(defaults.visitors, 90)) };

// Three server processes on their own ports against one PostgreSQL; every instance runs its own
// runner (each claims with FOR UPDATE SKIP LOCKED) and visitor i talks to instance i mod 3.
describe.runIf(hasPostgres)(`${INSTANCES} server instances on one PostgreSQL, ${sizes.visitors} visitors spread across them`, () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  const servers: ServerProcess[] = [];
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startRandomLatencyLlm(sizes.visitors * MESSAGES_EACH);
    // One after the other: the first applies the migrations, the others find them applied.
    for (let i = 0; i < INSTANCES; i += 1) {
      servers.push(await startServerProcess({ databaseUrl: database.url, llmUrl: llm.url }));
    }
    sql = await connect(database.url);
  });

  afterAll(async () => {
    await sql?.end();
    await Promise.all(servers.map((s) => s.stop()));
    await llm?.close();
    await database?.drop();
  });

  it('answers every message exactly once and dispatches no task twice', async () => {
    const result = await runLoad({
      baseUrls: servers.map((s) => s.baseUrl),
      visitors: sizes.visitors,
      messagesEach: MESSAGES_EACH,
      spreadMs: sizes.spreadMs,
      settleTimeoutMs: 120_000,
    });
    const total = sizes.visitors * MESSAGES_EACH;
    const audit = await auditReplies(sql);
    const timings = await taskTimings(sql);
    const sent = result.visitors.flatMap((v) => v.sent);
    // The dispatch log: every LLM call names the message it answers (the fake echoes it).
    const asked = llm.requests.map((r) => r.body.messages?.at(-1)?.content ?? '');
    const askedTwice = asked.filter((content, i) => asked.indexOf(content) !== i);
    report('load-three-instances', {
      instances: INSTANCES,
      visitors: sizes.visitors,
      messages: total,
      spreadMs: sizes.spreadMs,
      wallMs: Math.round(result.wallMs),
      ...latencyFigures(result),
      createdToStarted: summarize(timings.queuedMs),
      startedToFinished: summarize(timings.workingMs),
      statuses: Object.fromEntries(result.log.counts),
      networkErrors: Object.fromEntries(result.log.networkCauses),
      llmCalls: asked.length,
      audit,
    });

    expect(result.sendErrors).toEqual([]);
    expect(result.log.fiveXx).toEqual([]);
    expect(sent.filter((m) => m.terminal !== 'completed')).toEqual([]);
    expect(audit).toMatchObject({
      userMessages: total,
      tasks: { completed: total },
      unanswered: 0,
      duplicateReplies: 0,
      redispatched: 0,
      stuck: 0,
    });
    expect(askedTwice).toEqual([]);
    expect(new Set(asked)).toEqual(new Set(sent.map((m) => m.content)));
  });
});
