import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { auditReplies, connect } from './support/db-checks.js';
import { startRandomLatencyLlm } from './support/random-llm.js';
import { report } from './support/results.js';
import { startServerProcess } from './support/server-process.js';
import { waitForNoOpenTasks } from './support/settle.js';
import { summarize } from './support/stats.js';
import { statusLog, Visitor } from './support/visitor.js';

const hasPostgres = checkRequirement(requirements.postgres);
const SWEEP_MS = 300;

async function stack(env: Record<string, string>, llmFactory: () => Promise<FakeLlmServer>) {
  const database = await createTestDatabase();
  const llm = await llmFactory();
  const server = await startServerProcess({
    databaseUrl: database.url,
    llmUrl: llm.url,
    env: { SWEEP_INTERVAL_MS: String(SWEEP_MS), ...env },
  });
  const sql = await connect(database.url);
  return {
    database,
    llm,
    server,
    sql,
    close: async () => {
      await sql.end();
      await server.stop();
      await llm.close();
      await database.drop();
    },
  };
}

const until = async (check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
};

describe.runIf(hasPostgres)('cancel racing completion (built-in runner, LLM 50–500 ms)', () => {
  let s: Awaited<ReturnType<typeof stack>>;
  beforeAll(async () => {
    s = await stack({ RUNNER_CONCURRENCY: '8' }, () => startRandomLatencyLlm(200));
  });
  afterAll(() => s?.close());

  it('every task ends completed with one reply or cancelled with none, by its deadline plus one sweep; the client sees the end', async () => {
    const log = statusLog();
    const visitors = Array.from({ length: 30 }, () => new Visitor(s.server.baseUrl, log));
    const cancelledAt = new Map<string, number>();
    await Promise.all(
      visitors.map(async (v, i) => {
        const sent = await v.send(`race ${i}`);
        await sleep(Math.random() * 700);
        cancelledAt.set(sent.taskId, Date.now());
        await v.transport.cancelTask(sent.taskId);
      }),
    );
    // Chat tasks have a 120 s deadline; the sweep then settles whatever a worker left behind.
    const open = await waitForNoOpenTasks(s.sql, 120_000 + SWEEP_MS + 15_000);
    await until(async () => visitors.every((v) => v.settled));
    for (const v of visitors) v.close();
    const { rows } = await s.sql.query<{
      id: string;
      status: string;
      replies: number;
      finished: Date;
    }>(`select t.id, t.status, t.finished_at as finished,
      (select count(*)::int from chat_messages m where m.role = 'assistant' and m.async_task_id = t.id) as replies from async_tasks t`);
    const outcome = (status: string) => rows.filter((r) => r.status === status).length;
    const cancelToEnd = rows.map((r) => new Date(r.finished).getTime() - cancelledAt.get(r.id)!);
    report('fault-cancel-races-completion', {
      tasks: rows.length,
      completed: outcome('completed'),
      cancelled: outcome('cancelled'),
      cancelToTerminalMs: summarize(cancelToEnd),
      // A cancel the runner did not acknowledge is only settled by the sweep at the deadline.
      endedOnlyAtTheDeadline: cancelToEnd.filter((ms) => ms > 60_000).length,
    });

    expect(open).toBe(0);
    expect(log.fiveXx).toEqual([]);
    for (const row of rows)
      expect({ status: row.status, replies: row.replies }).toEqual(
        row.status === 'completed' ? { status: 'completed', replies: 1 } : { status: 'cancelled', replies: 0 },
      );
    const seen = visitors.flatMap((v) => v.sent.map((m) => m.terminal));
    expect(seen.sort()).toEqual(rows.map((r) => r.status).sort());
  });
});

describe.runIf(hasPostgres)('workers racing through the SQL functions (runner off: the test is the worker)', () => {
  let s: Awaited<ReturnType<typeof stack>>;
  beforeAll(async () => {
    s = await stack({ RUNNER_CONCURRENCY: '0' }, () => startFakeLlmServer());
  });
  afterAll(() => s?.close());

  const claim = async (id: string) => {
    const { rows } = await s.sql.query(`select id, attempt from public.task_claim(50, array['chat.reply'])`);
    return rows.find((r) => r.id === id)?.attempt as number | undefined;
  };
  const call = async (fn: string, args: unknown[]) =>
    (await s.sql.query(`select public.${fn}(${args.map((_, i) => `$${i + 1}`).join(', ')}) as ok`, args)).rows[0].ok as boolean;

  it('a stale worker reporting for an old attempt after the task was retried changes nothing', async () => {
    const visitor = new Visitor(s.server.baseUrl, statusLog());
    const sent = await visitor.send('who answers me?');
    const id = sent.taskId;
    expect(await claim(id)).toBe(1);
    expect(await call('task_start', [id, 1])).toBe(true);
    // Worker 1 goes quiet. Time passes: its deadline is moved into the past, the server's sweep
    // times the attempt out and the task becomes due again.
    await s.sql.query(`update async_tasks set deadline_at = now() - interval '1 second' where id = $1`, [id]);
    await until(async () => (await s.sql.query('select status from async_tasks where id = $1', [id])).rows[0].status === 'pending');
    await s.sql.query(`update async_tasks set next_attempt_at = now() where id = $1`, [id]);
    expect(await claim(id)).toBe(2);
    expect(await call('task_start', [id, 2])).toBe(true);

    // The stale worker wakes up and reports for attempt 1: every call refused.
    expect(await call('task_progress', [id, 1, 'stale progress'])).toBe(false);
    expect(await call('task_complete', [id, 1, JSON.stringify({ content: 'stale reply' })])).toBe(false);
    expect(await call('task_fail', [id, 1, 'stale', 'stale failure', false])).toBe(false);
    expect(await call('task_complete', [id, 2, JSON.stringify({ content: 'fresh reply' })])).toBe(true);

    const replies = (await s.sql.query(`select content from chat_messages where role = 'assistant' and async_task_id = $1`, [id])).rows;
    expect(replies).toEqual([{ content: 'fresh reply' }]);
    await until(async () => visitor.settled);
    expect(visitor.sent[0]!.terminal).toBe('completed');
    visitor.close();
  });

  it('cancel and complete at the same instant, 25 times: never both, never a reply on a cancelled task', async () => {
    const visitor = new Visitor(s.server.baseUrl, statusLog());
    const outcomes: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      const sent = await visitor.send(`instant ${i}`);
      const attempt = await claim(sent.taskId);
      expect(attempt).toBe(1);
      await call('task_start', [sent.taskId, 1]);
      // The worker's call is a direct SQL round trip, the cancel an HTTP request through the
      // server: a random 0–60 ms head start, given to each side in turn, makes both orders happen
      // however fast the machine is.
      const headStart = (mine: boolean) => (mine ? sleep(Math.random() * 60) : Promise.resolve());
      const cancelFirst = i % 2 === 0;
      const [cancel, complete] = await Promise.all([
        headStart(!cancelFirst).then(() => visitor.transport.cancelTask(sent.taskId)),
        headStart(cancelFirst).then(() => call('task_complete', [sent.taskId, 1, JSON.stringify({ content: `done ${i}` })])),
      ]);
      expect(cancel.id).toBe(sent.taskId);
      // If the cancel was only requested, the worker acknowledges it (as the runner does).
      if (!complete) await call('task_cancel', [sent.taskId, 1]);
      outcomes.push((await s.sql.query('select status from async_tasks where id = $1', [sent.taskId])).rows[0].status);
    }
    const audit = await auditReplies(s.sql);
    const cancelled = outcomes.filter((o) => o === 'cancelled').length;
    report('fault-cancel-vs-complete-instant', { races: outcomes.length, completed: outcomes.length - cancelled, cancelled });
    expect(outcomes.every((o) => o === 'completed' || o === 'cancelled')).toBe(true);
    expect(cancelled, 'both orders should happen at least once').toBeGreaterThan(0);
    expect(cancelled).toBeLessThan(outcomes.length);
    const perTask = (
      await s.sql.query<{ status: string; n: number }>(`select t.status, count(m.id)::int as n from async_tasks t
      left join chat_messages m on m.async_task_id = t.id and m.role = 'assistant' group by t.id, t.status`)
    ).rows;
    for (const row of perTask) if (row.status === 'cancelled') expect(row.n).toBe(0);
    expect(audit.duplicateReplies).toBe(0);
    await until(async () => visitor.settled);
    visitor.close();
  });
});
