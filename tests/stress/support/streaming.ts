import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { createTestDatabase } from '@app/db';
import { startFakeLlmServer } from '@app/server/testing';
import { connect, taskTimings } from './db-checks.js';
import { startLlmTap, type TappedAnswer } from './llm-tap.js';
import {
  backendCpu,
  countNotifications,
  cpuMs,
  databaseCounters,
  sampleSessions,
  trackFunctionCalls,
  type DatabaseCounters,
} from './run-cost.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { summarize, type Summary } from './stats.js';
import { StreamingVisitor } from './streaming-visitor.js';

export interface StreamingRunOptions {
  /** 1: one server does everything. 3: one runs the replies, the visitors talk to the other two. */
  instances: 1 | 3;
  replies: number;
  /** False: the baseline, each reply answered as one plain JSON body after as long as its stream would take. */
  streaming: boolean;
  replyChars: number;
  chunkChars: number;
  chunksPerSecond: number;
  flushIntervalMs: number;
  /** The model's wait before its first chunk (time for every visitor's stream to open). Default 1 s. */
  firstChunkDelayMs?: number;
  /** The questions are sent at random moments within this long. Default 1 s. */
  sendSpreadMs?: number;
}

/** What every reply must satisfy, whatever the timings. */
export interface StreamingChecks {
  /** Questions the server did not take (each with why). */
  sendErrors: string[];
  /** Visitors that never saw their stored reply. */
  unfinished: number;
  /** Tasks whose assistant messages are not exactly one equal to the reply the model wrote. */
  wrongStored: string[];
  /** Visitors that saw no text while their reply was still running. */
  noTextBeforeCompletion: number;
  /** Texts some visitor was shown that were not a start of the reply. */
  wrongText: string[];
  /** Model calls (one per reply expected) and how many of them streamed. */
  modelCalls: number;
  streamedCalls: number;
  /** Task attempts beyond the first (none expected). */
  extraAttempts: number;
}

export interface StreamingRun {
  figures: Record<string, unknown>;
  checks: StreamingChecks;
}

/**
 * About `chars` characters of prose, the same every time, with some non-ASCII letters (two or
 * three UTF-8 bytes each) and paragraph breaks; it neither starts nor ends with whitespace.
 */
export function replyText(chars: number): string {
  const words = [
    'the',
    'reply',
    'grows',
    'in',
    'its',
    'durable',
    'task',
    'row',
    'über',
    'café',
    'naïve',
    'piece',
    'by',
    'piece',
    '—',
    'and',
  ];
  let text = '';
  for (let i = 0; text.length < chars; i += 1) {
    text += words[(i * 7 + Math.floor(i / 16)) % words.length];
    text += i % 60 === 59 ? '.\n\n' : i % 12 === 11 ? '. ' : ' ';
  }
  return text.slice(0, chars).trimEnd();
}

/**
 * `replies` visitors ask one question each, at about the same time, through the SDK's http
 * transport; the fake model answers every one with the same reply, streamed at a set rate (or, for
 * the baseline, as one JSON body). The server processes run on a fresh PostgreSQL database. Measures
 * per chunk when the model sent it and when the visitor first had text covering it, and what the run
 * cost: server and PostgreSQL CPU, transactions, task_output calls, notifications, SSE bytes.
 */
export async function runStreamingReplies(options: StreamingRunOptions): Promise<StreamingRun> {
  const { instances, replies, streaming, replyChars, chunkChars, chunksPerSecond, flushIntervalMs } = options;
  const firstChunkDelayMs = options.firstChunkDelayMs ?? 1000;
  const sendSpreadMs = options.sendSpreadMs ?? 1000;
  const reply = replyText(replyChars);
  const streamMs = (Math.ceil(reply.length / chunkChars) / chunksPerSecond) * 1000;

  const database = await createTestDatabase();
  const fake = await startFakeLlmServer();
  fake.setFallback(
    streaming
      ? { content: reply, chunkSize: chunkChars, chunksPerSecond, delayMs: firstChunkDelayMs }
      : { content: reply, ignoreStream: true, delayMs: firstChunkDelayMs + Math.round(streamMs) },
  );
  const tap = await startLlmTap(fake.url);
  const servers: ServerProcess[] = [];
  let sql: pg.Client | null = null;
  let notifications: Awaited<ReturnType<typeof countNotifications>> | null = null;
  const visitors: StreamingVisitor[] = [];
  try {
    sql = await connect(database.url);
    await trackFunctionCalls(sql);
    const env = {
      STREAM_FLUSH_INTERVAL_MS: String(flushIntervalMs),
      // Every visitor comes from 127.0.0.1: the per-address caps on streams would refuse most of them.
      MAX_STREAMS_PER_IP: '100000',
      RATE_LIMIT_STREAM_PER_IP: '100000',
      RATE_LIMIT_STREAM_PER_VISITOR: '1000',
      RATE_LIMIT_REFRESH_PER_IP: '100000',
    };
    // One after the other: the first applies the migrations. The first one runs every reply.
    servers.push(
      await startServerProcess({
        databaseUrl: database.url,
        llmUrl: tap.url,
        env: { ...env, RUNNER_CONCURRENCY: String(Math.max(16, replies)) },
      }),
    );
    for (let i = 1; i < instances; i += 1) {
      servers.push(await startServerProcess({ databaseUrl: database.url, llmUrl: tap.url, env: { ...env, RUNNER_CONCURRENCY: '0' } }));
    }
    const front = instances === 1 ? servers : servers.slice(1);
    notifications = await countNotifications(database.url);
    await sleep(1000); // the servers' start-up work settles

    const myPid = (await sql.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const counters0 = await databaseCounters(sql);
    const backends = await backendCpu(sql, [myPid, notifications.pid]);
    const serverCpu0 = await Promise.all(servers.map((s) => cpuMs(s.process.child.pid!)));
    const benchCpu0 = process.cpuUsage();
    const t0 = performance.now();
    notifications.start();
    // Its own connection: the samples must not wait behind the checks' queries.
    const sampler = await connect(database.url);
    const sessions = sampleSessions(sampler, [
      myPid,
      notifications.pid,
      (await sampler.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid,
    ]);

    const questions = Array.from({ length: replies }, (_, i) => `stream v${i} ${Math.random().toString(36).slice(2, 8)}`);
    for (let i = 0; i < replies; i += 1) visitors.push(new StreamingVisitor(front[i % front.length]!.baseUrl, reply));
    const sendErrors: string[] = [];
    await Promise.all(
      visitors.map(async (visitor, i) => {
        await sleep(Math.random() * sendSpreadMs);
        await visitor.ask(questions[i]!).catch((error: unknown) => {
          const cause = (error as { cause?: unknown }).cause;
          sendErrors.push(
            `visitor ${i}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}${cause ? ` (${String(cause)})` : ''}`,
          );
        });
      }),
    );
    const asked = visitors.filter((v) => v.taskId !== null);
    const deadline = performance.now() + firstChunkDelayMs + streamMs + 60_000;
    while (performance.now() < deadline && !asked.every((v) => v.done)) await sleep(100);

    const wallMs = performance.now() - t0;
    notifications.stop();
    const serverCpu = (await Promise.all(servers.map((s) => cpuMs(s.process.child.pid!)))).map((ms, i) => ms - serverCpu0[i]!);
    const postgresCpu = await backends.read();
    const bench = process.cpuUsage(benchCpu0);
    const sessionStates = await sessions.stop();
    await sampler.end();
    for (const v of visitors) v.close();
    // Sessions report their statistics when they end: stop the servers, then read the counters.
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await sleep(500);
    const counters = diff(await databaseCounters(sql), counters0);

    const answers = questions.map((q) => tap.answers.get(q));
    const chunks = chunkLatencies(visitors, answers);
    const timings = await taskTimings(sql);
    const workedSeconds = timings.workingMs.reduce((a, b) => a + b, 0) / 1000;
    const per = (n: number) => +(n / replies).toFixed(1);
    const perSecond = (n: number) => +(n / workedSeconds).toFixed(2);
    const serverTotal = serverCpu.reduce((a, b) => a + b, 0);
    const sum = (pick: (v: StreamingVisitor) => number) => visitors.reduce((n, v) => n + pick(v), 0);
    const taskNotifications = notifications.byTable.async_tasks ?? 0;

    const figures = {
      instances,
      replies,
      streaming,
      replyChars: reply.length,
      chunkChars,
      chunksPerSecond,
      flushIntervalMs,
      wallMs: Math.round(wallMs),
      chunkToEvent: chunks.total,
      chunkToWrite: chunks.toWrite,
      writeToEvent: chunks.writeToEvent,
      chunksMeasured: chunks.total.n,
      chunksBeforeStreamOpen: chunks.beforeOpen,
      chunksArrivedVia: chunks.via,
      taskWorked: summarize(timings.workingMs),
      // How long the model's streams took as they went by the tap, against the rate set.
      modelStreamMs: summarize(answers.flatMap((a) => (a && a.chunks.length > 1 ? [a.chunks.at(-1)!.at - a.chunks[0]!.at] : []))),
      nominalStreamMs: Math.round(((Math.ceil(reply.length / chunkChars) - 1) / chunksPerSecond) * 1000),
      perReply: {
        taskOutputCalls: per(counters.calls.task_output ?? 0),
        taskNotifications: per(taskNotifications),
        notifications: per(Object.values(notifications.byTable).reduce((a, b) => a + b, 0)),
        transactions: per(counters.transactions),
        taskRowUpdates: per(counters.taskRowUpdates),
        sseBytes: Math.round(sum((v) => v.sseBytes) / replies),
        outputEvents: per(sum((v) => v.events.output)),
        outputEventBytes: Math.round(sum((v) => v.events.outputBytes) / replies),
        sseBytesByEvent: Object.fromEntries(
          (['snapshot', 'task', 'output', 'message'] as const).map((name) => [
            name,
            Math.round(sum((v) => v.bytesByEvent[name]) / replies),
          ]),
        ),
        sseBytesIfWholeTaskEvents: Math.round(sum((v) => v.sseBytes - v.events.outputBytes + v.events.asWholeTaskBytes) / replies),
        serverCpuMs: +(serverTotal / replies).toFixed(1),
        postgresCpuMs: +(postgresCpu.ms / replies).toFixed(1),
      },
      // Per second a reply was being worked on (task started → finished): totals over the summed time.
      perReplySecond: {
        taskOutputCalls: perSecond(counters.calls.task_output ?? 0),
        taskNotifications: perSecond(taskNotifications),
        transactions: perSecond(counters.transactions),
      },
      replySeconds: +(workedSeconds / replies).toFixed(2),
      serverCpuMs: serverCpu.map(Math.round),
      serverCoreShare: +(serverTotal / wallMs).toFixed(3),
      postgresCpuMs: Math.round(postgresCpu.ms),
      postgresCoreShare: +(postgresCpu.ms / wallMs).toFixed(3),
      postgresBackends: postgresCpu.backends,
      /** Mean sessions of the database by state over the run, sampled every 250 ms (the servers' pools: 10 connections each, plus LISTEN). */
      sessionStates,
      benchProcessCpuMs: Math.round((bench.user + bench.system) / 1000),
      functionCalls: counters.calls,
      notificationsByTable: { ...notifications.byTable },
    };

    const stored = await sql.query<{ task: string; content: string }>(
      `select async_task_id as task, content from chat_messages where role = 'assistant'`,
    );
    const byTask = new Map<string, string[]>();
    for (const row of stored.rows) byTask.set(row.task, [...(byTask.get(row.task) ?? []), row.content]);
    const attempts = await sql.query<{ n: string }>('select coalesce(sum(attempt - 1), 0) as n from async_tasks');
    const checks: StreamingChecks = {
      sendErrors,
      unfinished: asked.filter((v) => !v.done).length,
      wrongStored: asked.flatMap((v) => {
        const contents = byTask.get(v.taskId ?? '') ?? [];
        return contents.length === 1 && contents[0] === reply && v.finalText === reply ? [] : [`${v.taskId}: ${contents.length} messages`];
      }),
      noTextBeforeCompletion: asked.filter((v) => !v.sawTextBeforeCompletion).length,
      wrongText: visitors.flatMap((v) => v.wrongText),
      modelCalls: tap.answers.size,
      streamedCalls: [...tap.answers.values()].filter((a) => a.streamed).length,
      extraAttempts: Number(attempts.rows[0]!.n),
    };
    // The outcome goes into the report too: a figure from a run that lost or retried replies says so.
    const outcome = {
      storedOnceAsWritten: asked.length - checks.wrongStored.length,
      sendErrors: sendErrors.length,
      unfinished: checks.unfinished,
      extraAttempts: checks.extraAttempts,
      tasks: Object.fromEntries(
        (await sql.query<{ status: string; n: number }>('select status, count(*)::int as n from async_tasks group by 1')).rows.map((r) => [
          r.status,
          r.n,
        ]),
      ),
    };
    return { figures: { ...figures, outcome }, checks };
  } finally {
    for (const v of visitors) v.close();
    await notifications?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await sql?.end();
    await tap.close();
    await fake.close();
    await database.drop();
  }
}

function diff(after: DatabaseCounters, before: DatabaseCounters): DatabaseCounters {
  const calls: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.calls)) {
    const d = n - (before.calls[name] ?? 0);
    if (d > 0) calls[name] = d;
  }
  return { transactions: after.transactions - before.transactions, calls, taskRowUpdates: after.taskRowUpdates - before.taskRowUpdates };
}

/**
 * Per model chunk: from when it passed the tap to the first event that showed the visitor text
 * covering it; split at the database write that event carried (its row's `updatedAt`). Chunks sent
 * before the visitor's stream was open are left out (their wait is the stream's opening, not the
 * path).
 */
function chunkLatencies(visitors: StreamingVisitor[], answers: Array<TappedAnswer | undefined>) {
  const total: number[] = [];
  const toWrite: number[] = [];
  const writeToEvent: number[] = [];
  const via: Record<string, number> = {};
  let beforeOpen = 0;
  visitors.forEach((visitor, i) => {
    let g = 0;
    for (const chunk of answers[i]?.chunks ?? []) {
      while (g < visitor.growth.length && visitor.growth[g]!.length < chunk.end) g += 1;
      const shown = visitor.growth[g];
      if (!shown) continue; // never shown: the checks catch it (the stored reply is the whole text)
      if (visitor.liveAt === null || chunk.at < visitor.liveAt) {
        beforeOpen += 1;
        continue;
      }
      total.push(shown.at - chunk.at);
      toWrite.push(Math.max(0, shown.writtenAt - chunk.at));
      writeToEvent.push(shown.at - shown.writtenAt);
      via[shown.via] = (via[shown.via] ?? 0) + 1;
    }
  });
  const round = (s: Summary): Summary => ({
    n: s.n,
    p50: +s.p50.toFixed(1),
    p95: +s.p95.toFixed(1),
    p99: +s.p99.toFixed(1),
    max: +s.max.toFixed(1),
  });
  return {
    total: round(summarize(total)),
    toWrite: round(summarize(toWrite)),
    writeToEvent: round(summarize(writeToEvent)),
    via,
    beforeOpen,
  };
}
