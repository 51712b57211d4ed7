import { createTestDatabase, migrate, openPostgres } from '@app/db';
import { createLogger } from '../../packages/server/src/logger.js';
import { createEventHub } from '../../packages/server/src/events/event-hub.js';
import { createChatReplyHandler, type ReplyModel } from '../../packages/server/src/runner/chat-reply.js';
import { createRunner } from '../../packages/server/src/runner/runner.js';
import { createSweeper } from '../../packages/server/src/runner/sweeper.js';
import { benchClient, sendChatBacklog, waitForCount } from './backlog.js';
import { countRoundTrips, perTask } from './round-trips.js';

/** The model answers at once, in one piece (an echo of the message): only the pipeline costs time. */
const instantModel: ReplyModel = {
  async stream(messages, options) {
    const text = `Echo: ${messages.at(-1)?.content ?? ''}`;
    options?.onText?.(text, text);
    return text;
  },
};

export interface PipelineResult {
  tasks: number;
  ms: number;
  perSecond: number;
  roundTripsPerTask: number;
  transactionsPerTask: number;
  byStatement: Array<[string, number, number]>;
  concurrency: number;
  cpuMsPerTask: number;
  cpuShareOfCore: number;
  postgresCpuMsPerTask: number;
  postgresShareOfCore: number;
  /** SQL functions by their own time: name, calls per task, ms per task. */
  functions: Array<[string, number, number]>;
}

/** CPU (user + system, ms) of every backend of the database, from /proc (same machine). */
async function backendCpuMs(client: import('pg').Client): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()');
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return (ticks * 1000) / 100;
}

/**
 * The product's own pipeline on one instance: the built-in runner and the event hub as
 * src/server.ts wires them (LISTEN, claim loop, `chat.reply` handler, sweep), on a fresh
 * PostgreSQL database, with a model that answers at once. `tasks` chat turns are committed in
 * one transaction while the runner is idle; the figure is from that commit until every task is
 * completed with its assistant message.
 */
export async function runOurs({ tasks, concurrency }: { tasks: number; concurrency: number }): Promise<PipelineResult> {
  const database = await createTestDatabase();
  // Time per SQL function (pg_stat_user_functions), for this throwaway database's sessions only.
  const admin = await benchClient(database.url);
  await admin.query(`alter database ${admin.escapeIdentifier(new URL(database.url).pathname.slice(1))} set track_functions = 'pl'`);
  await admin.end();
  const logger = createLogger('warn');
  const counter = countRoundTrips();
  const db = await openPostgres({ connectionString: database.url });
  await migrate(db);
  const hub = createEventHub({ db, logger });
  await hub.start();
  const runner = createRunner({
    db,
    hub,
    logger,
    concurrency,
    pollIntervalMs: 2000,
    handlers: { 'chat.reply': createChatReplyHandler({ model: instantModel, systemPrompt: 'You are a benchmark.' }) },
  });
  const sweeper = createSweeper({ db, logger, intervalMs: 5000, lostAfterSeconds: 30 });
  const client = await benchClient(database.url);
  let closed = false;
  try {
    runner.start();
    sweeper.start();
    // Let the first claim (an empty queue) and the heartbeat go by.
    await new Promise((r) => setTimeout(r, 300));
    const before = counter.snapshot();
    const pgBefore = await backendCpuMs(client);
    const cpuBefore = process.cpuUsage();
    const committed = await sendChatBacklog(client, tasks);
    const done = await waitForCount(
      client,
      "select count(*) as n from public.async_tasks where status = 'completed' and kind = 'chat.reply'",
      tasks,
    );
    const after = counter.snapshot();
    const cpu = process.cpuUsage(cpuBefore);
    const pgMs = (await backendCpuMs(client)) - pgBefore;
    const { rows } = await client.query<{ n: string }>("select count(*) as n from public.chat_messages where role = 'assistant'");
    if (Number(rows[0]?.n) !== tasks) throw new Error(`expected ${tasks} assistant messages, found ${rows[0]?.n}`);
    const trips = perTask(before, after, tasks);
    // The functions' own time, once every session has reported (they report when they end).
    await runner.stop(1000);
    await sweeper.stop();
    await hub.stop();
    await db.close();
    closed = true;
    await new Promise((r) => setTimeout(r, 500));
    const { rows: functions } = await client.query<{ name: string; calls: string; self_ms: number; total_ms: number }>(
      `select funcname as name, calls, self_time as self_ms, total_time as total_ms
         from pg_stat_user_functions where calls > 0 order by self_time desc limit 12`,
    );
    const begins = trips.byStatement.find(([name]) => name === 'begin' || name.startsWith('begin;'))?.[1] ?? 0;
    const ms = done - committed;
    return {
      tasks,
      ms: Math.round(ms),
      perSecond: Math.round(tasks / (ms / 1000)),
      roundTripsPerTask: trips.total,
      transactionsPerTask: begins,
      byStatement: trips.byStatement,
      concurrency,
      /** This process (runner, hub, pool) per task, user + system. */
      cpuMsPerTask: +((cpu.user + cpu.system) / 1000 / tasks).toFixed(3),
      cpuShareOfCore: +((cpu.user + cpu.system) / 1000 / ms).toFixed(2),
      /** PostgreSQL: the backends of the run's database, per task. */
      postgresCpuMsPerTask: +(pgMs / tasks).toFixed(3),
      postgresShareOfCore: +(pgMs / ms).toFixed(2),
      functions: functions.map(
        (f) => [f.name, +(Number(f.calls) / tasks).toFixed(2), +(f.self_ms / tasks).toFixed(3)] as [string, number, number],
      ),
    };
  } finally {
    if (!closed) {
      await runner.stop(1000);
      await sweeper.stop();
      await hub.stop();
      await db.close();
    }
    await client.end();
    counter.restore();
    await database.drop();
  }
}
