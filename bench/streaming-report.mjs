// The "Streamed replies" section of docs/benchmarks.md, from the figures the streaming stress
// suite (tests/stress/streaming.stress.test.ts) writes at full size: one file per run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const STREAMING_HEADING = '## Streamed replies';

/** The run names the suite reports, as `streaming-<name>.json`. */
const RUNS = {
  one: { single: 'one-instance-single', many: 'one-instance', plain: 'one-instance-plain' },
  three: { single: 'three-instances-single', many: 'three-instances', plain: 'three-instances-plain' },
};

export function readStreamingResults(dir) {
  const read = (name) => {
    const file = join(dir, `streaming-${name}.json`);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  };
  const pick = (runs) => Object.fromEntries(Object.entries(runs).map(([k, name]) => [k, read(name)]));
  return { one: pick(RUNS.one), three: pick(RUNS.three) };
}

const ms = (v) => (v == null || Number.isNaN(v) ? '—' : `${Math.round(v).toLocaleString('en')} ms`);
const pct = (s) => (s && s.n > 0 ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}` : '—');
const num = (v, digits = 1) => (v == null || Number.isNaN(v) ? '—' : v.toLocaleString('en', { maximumFractionDigits: digits }));
const kb = (bytes) => (bytes == null ? '—' : `${(bytes / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} KB`);
const share = (v) => (v == null || Number.isNaN(v) ? '—' : `${Math.round(v * 100)} %`);
const busySessions = (r) => (r?.sessionStates ? (r.sessionStates.active ?? 0) + (r.sessionStates['idle in transaction'] ?? 0) : null);
/** Extra transactions per extra write: what one streamed write costs the database in all. */
const txPerWrite = (t) =>
  t.many && t.plain
    ? (t.many.perReply.transactions - t.plain.perReply.transactions) / (t.many.perReply.taskOutputCalls - t.plain.perReply.taskOutputCalls)
    : null;
/** Extra CPU per extra write against plain (ms): what one streamed write costs, fan-out included. */
const cpuPerWrite = (t, key) =>
  t.many && t.plain
    ? (t.many.perReply[key] - t.plain.perReply[key]) / (t.many.perReply.taskOutputCalls - t.plain.perReply.taskOutputCalls)
    : null;
const byEvent = (r) => {
  const b = r?.perReply.sseBytesByEvent;
  return b ? `${kb(b.snapshot)} / ${kb(b.task)} / ${kb(b.output)} / ${kb(b.message)}` : '—';
};
const outcome = (r) => {
  if (!r?.outcome) return '—';
  const o = r.outcome;
  const lost = r.replies - o.storedOnceAsWritten;
  return `${o.storedOnceAsWritten} of ${r.replies}${lost ? ` (**${lost} not**: ${JSON.stringify(o.tasks)})` : ''}${o.extraAttempts ? `, **${o.extraAttempts} retried attempts**` : ''}`;
};

/**
 * Markdown of the section. `meta`: { date, command, machine, loadAtStart, loadAtEnd, cores, seconds, ok, sizes }.
 */
export function streamingSection(results, meta) {
  const { one, three } = results;
  const s = meta.sizes;
  const any = one.many ?? three.many ?? one.single ?? three.single;
  if (!any) {
    return `${STREAMING_HEADING}\n\nNo result: the streaming step ${meta.ok ? 'reported nothing' : 'failed before reporting'} (${meta.date}).\n`;
  }
  const row = (figure, pickValue, note = '') => `| ${figure} | ${pickValue(one)} | ${pickValue(three)} | ${note} |`;
  const both = (a, b) => `${a} (plain: ${b})`;
  const busy = Number(meta.loadAtStart.split(' ')[0]) > meta.cores;
  const many = `${num(Number(s.replies), 0)} at once`;
  const flush = any.flushIntervalMs;
  const cap = 1000 / flush;
  const nominalS = Number(s.replyChars) / Number(s.chunkChars) / Number(s.chunksPerSecond);

  const rows = [
    row('model chunk → visitor has its text, 1 reply', (t) => pct(t.single?.chunkToEvent), 'n = every chunk of the reply'),
    row(
      '… of which chunk → row written',
      (t) => pct(t.single?.chunkToWrite),
      'waiting for the next write (≤ one flush interval), then the write',
    ),
    row(
      '… of which row written → visitor has it',
      (t) => pct(t.single?.writeToEvent),
      'commit, NOTIFY, the stream re-reading the row, SSE, the SDK',
    ),
    row(
      `model chunk → visitor has its text, ${many}`,
      (t) => pct(t.many?.chunkToEvent),
      `n = every chunk of every reply (${num(one.many?.chunkToEvent.n, 0)} / ${num(three.many?.chunkToEvent.n, 0)})`,
    ),
    row('… of which chunk → row written', (t) => pct(t.many?.chunkToWrite)),
    row('… of which row written → visitor has it', (t) => pct(t.many?.writeToEvent)),
    row(`plain JSON answer → visitor has the reply, ${many}`, (t) => pct(t.plain?.chunkToEvent), 'the baseline: the model answers once'),
    row(`replies stored once, as the model wrote them, ${many}`, (t) => `${outcome(t.many)} (plain: ${outcome(t.plain)})`),
    row(
      `model's stream, first → last chunk, ${many}`,
      (t) => pct(t.many?.modelStreamMs),
      `as set: ${num(any.nominalStreamMs / 1000)} s; as it went by the tap`,
    ),
    row(
      `reply worked (task started → finished), ${many}`,
      (t) => pct(t.many?.taskWorked),
      `the model takes ${num(nominalS + 1, 0)} s (1 s, then ${num(Number(s.replyChars), 0)} characters at ${s.chunksPerSecond} chunks/s of ${s.chunkChars})`,
    ),
    row(
      'task_output writes per reply per second',
      (t) => both(num(t.many?.perReplySecond.taskOutputCalls), num(t.plain?.perReplySecond.taskOutputCalls, 2)),
      `at most 1000 / STREAM_FLUSH_INTERVAL_MS (${flush} ms) = ${num(cap)}; 1 reply: ${num(one.single?.perReplySecond.taskOutputCalls)} / ${num(three.single?.perReplySecond.taskOutputCalls)}`,
    ),
    row(
      'notifications of the task row per reply per second',
      (t) => both(num(t.many?.perReplySecond.taskNotifications), num(t.plain?.perReplySecond.taskNotifications, 2)),
      'counted on a LISTEN app_events connection',
    ),
    row(
      'transactions per reply per second',
      (t) => both(num(t.many?.perReplySecond.transactions), num(t.plain?.perReplySecond.transactions)),
      'pg_stat_database.xact_commit, every session of the run database',
    ),
    row(
      'per reply: task_output calls / task notifications / transactions',
      (t) =>
        `${num(t.many?.perReply.taskOutputCalls)} / ${num(t.many?.perReply.taskNotifications)} / ${num(t.many?.perReply.transactions)} (plain: ${num(t.plain?.perReply.taskOutputCalls)} / ${num(t.plain?.perReply.taskNotifications)} / ${num(t.plain?.perReply.transactions)})`,
      'pg_stat_user_functions (track_functions = pl), LISTEN, xact_commit',
    ),
    row(
      'transactions per streamed write',
      (t) => num(txPerWrite(t)),
      'extra transactions ÷ extra writes against plain: the write and what its notification makes others read',
    ),
    row(
      'CPU per streamed write: server / PostgreSQL',
      (t) => `${num(cpuPerWrite(t, 'serverCpuMs'), 2)} ms / ${num(cpuPerWrite(t, 'postgresCpuMs'), 2)} ms`,
      'extra CPU ÷ extra writes against plain, the fan-out to the stream included',
    ),
    row(
      'server CPU per reply',
      (t) => both(ms(t.many?.perReply.serverCpuMs), ms(t.plain?.perReply.serverCpuMs)),
      'user + system of the server processes (/proc/<pid>/stat), all instances',
    ),
    row(
      'server CPU during the run',
      (t) => both(`${share(t.many?.serverCoreShare)} of a core`, share(t.plain?.serverCoreShare)),
      '3 instances: the sum of the three',
    ),
    row(
      'PostgreSQL CPU per reply',
      (t) => both(ms(t.many?.perReply.postgresCpuMs), ms(t.plain?.perReply.postgresCpuMs)),
      'the backends of the run database (/proc), while the run lasts',
    ),
    row(
      'bench process CPU during the run',
      (t) =>
        both(
          `${share(t.many ? t.many.benchProcessCpuMs / t.many.wallMs : null)} of a core`,
          share(t.plain ? t.plain.benchProcessCpuMs / t.plain.wallMs : null),
        ),
      'the fake model, the tap and every visitor: on the same cores',
    ),
    row(
      'database sessions busy (mean)',
      (t) =>
        t.many?.sessionStates
          ? `${num(busySessions(t.many))} (${num(t.many.sessionStates['idle in transaction'] ?? 0)} idle in transaction)`
          : '—',
      `sampled every 250 ms; each server's pool holds at most 10`,
    ),
    row(
      'SSE bytes per reply (the visitor’s stream)',
      (t) => both(kb(t.many?.perReply.sseBytes), kb(t.plain?.perReply.sseBytes)),
      'counted on the response body the SDK read',
    ),
    row(
      '… by event: snapshot / task / output / message',
      (t) => `${byEvent(t.many)} (plain: ${byEvent(t.plain)})`,
      'the data lines as the server frames them; the rest is ids and keep-alives',
    ),
    row(
      '… had every output been a whole task event',
      (t) => kb(t.many?.perReply.sseBytesIfWholeTaskEvents),
      (() => {
        const r = one.many ?? three.many;
        return r ? `${num(r.perReply.outputEvents)} output events per reply, ${kb(r.perReply.outputEventBytes)} of them` : '';
      })(),
    ),
    row(
      '… 1 reply (every write its own event)',
      (t) => `${kb(t.single?.perReply.sseBytes)}; as whole task events ${kb(t.single?.perReply.sseBytesIfWholeTaskEvents)}`,
      `${num(one.single?.perReply.outputEvents)} output events`,
    ),
  ];

  return `${STREAMING_HEADING}

Written by \`pnpm bench\` (alone: \`BENCH_ONLY=streaming pnpm bench\`, which rewrites only this
section) from \`tests/stress/streaming.stress.test.ts\` at full size.

- Date: ${meta.date}; step ${meta.ok ? 'passed' : '**FAILED** (see the output of the run)'} in ${meta.seconds} s
- Command: ${meta.command}
- Machine: ${meta.machine}
- Load average (1/5/15 min) at the start of this step: ${meta.loadAtStart}; at its end: ${meta.loadAtEnd}${busy ? ' — **the machine was already busy with other work when the step began (load above its core count): latencies include CPU contention**' : ''}
- Set-up: each column a fresh PostgreSQL database and fresh server processes (\`src/main.ts\`,
  built-in runner, STREAM_FLUSH_INTERVAL_MS=${flush}); the fake OpenAI-compatible model streams
  the same ${num(any.replyChars, 0)}-character reply (with some two- and three-byte UTF-8 letters) to
  every request, ${s.chunkChars} characters a chunk, ${s.chunksPerSecond} chunks a second, after 1 s. The visitors
  ask within 1 s through the SDK's http transport (fetch + SSE, \`output\` deltas applied by
  \`reduceTask\`), in the bench process. *3 instances*: one server runs every reply
  (RUNNER_CONCURRENCY=${s.replies}), the visitors' sends and streams go to the other two
  (RUNNER_CONCURRENCY=0), so every chunk crosses instances through PostgreSQL. *Plain*: the same
  replies answered as one JSON body (the model ignores \`stream: true\`) after as long as the
  stream takes; the runner then completes with it (the result carries the text: no task_output).
- Method: an HTTP tap in front of the fake model (bench process) notes when each content chunk
  went by; the visitor notes when an event first gave it text covering that chunk (an \`output\`,
  a whole \`task\`, or the stored message). Latency = arrival − sent, per chunk, one clock; split
  at the row's \`updatedAt\` (the writing transaction's start) that the event carried. Chunks sent
  before the visitor's stream was open are left out (${num((one.many?.chunksBeforeStreamOpen ?? 0) + (three.many?.chunksBeforeStreamOpen ?? 0), 0)} in this run).
  Writes: calls of \`task_output\` (pg_stat_user_functions, read after the servers stopped, so
  every session had reported); each accepted write is one row update and one NOTIFY, and the
  notifications were counted on a LISTEN connection (the task row's; each reply also has two for
  its messages). CPU: user + system from /proc/<pid>/stat over the run. *Per second* = per second
  a reply was being worked on (task started → finished).

| figure (p50 / p95 / p99 where three) | 1 instance | 3 instances | note |
|---|---|---|---|
${rows.join('\n')}

${meaning(results, { flush, cap, many, cores: meta.cores, loadBusy: busy })}
`;
}

/** Where the database sessions were while the run lasted: running statements, or held while the server got to its next one. */
function sessionsReading(r, name) {
  const states = r.sessionStates;
  if (!states) return '';
  const waiting = states['idle in transaction'] ?? 0;
  const active = states.active ?? 0;
  const pools = name === 'one instance' ? 10 : 30;
  const where =
    waiting > 2 * active
      ? 'mostly held inside a transaction while the server process got to its next statement, not running one: the queue is in the server process, not in PostgreSQL'
      : 'mostly running statements: the queue is in PostgreSQL';
  return `The database sessions were ${num(active + waiting)} busy on average of the ${pools} the pools allow (${num(waiting)} idle in a transaction, ${num(active)} active) — ${where}.`;
}

/** The paragraph that reads the figures: where the latency goes, what a streamed reply costs. */
function meaning({ one, three }, { flush, cap, many, cores, loadBusy }) {
  const parts = [];
  const single = one.single ?? three.single;
  if (single) {
    parts.push(
      `**Where the latency goes.** One reply: a chunk waits in the runner's output reporter for the next write (at most one per ${flush} ms, one in flight): ${ms(single.chunkToWrite.p50)} at the median${
        single.chunkToWrite.p50 < 0.65 * flush ? ' (about half the interval)' : ''
      }, ${ms(single.chunkToWrite.p95)} at p95, ${ms(single.chunkToWrite.p99)} at p99${
        single.chunkToWrite.p99 <= 1.1 * flush
          ? ' — never much more than one interval'
          : ' — the tail is a write that took longer than the interval (or a timer that fired late on a busy machine), so the next one started late'
      }. From the row being written to the visitor having the text (commit, NOTIFY, the stream's re-read as its visitor, SSE, the SDK) takes ${ms(single.writeToEvent.p50)} (p95 ${ms(single.writeToEvent.p95)}) on one instance${three.single ? ` and ${ms(three.single.writeToEvent.p50)} (p95 ${ms(three.single.writeToEvent.p95)}) across instances` : ''}.${
        single.writeToEvent.p50 < 0.25 * single.chunkToEvent.p50
          ? ' So the flush interval is the latency; lowering STREAM_FLUSH_INTERVAL_MS buys smoothness with writes.'
          : ''
      }`,
    );
  }
  for (const [name, t] of [
    ['one instance', one],
    ['three instances', three],
  ]) {
    const r = t.many;
    if (!r) continue;
    const writes = r.perReplySecond.taskOutputCalls;
    const ownCpu = r.serverCoreShare + r.postgresCoreShare + r.benchProcessCpuMs / r.wallMs;
    const kept = writes >= 0.9 * cap;
    parts.push(
      `${many} on ${name}: p50 ${ms(r.chunkToEvent.p50)}, of which ${ms(r.chunkToWrite.p50)} until the row is written and ${ms(r.writeToEvent.p50)} from there. ${
        kept
          ? `Each reply still got its ${num(writes)} writes a second (of ${num(cap)}), so the wait is the interval plus the queue of the fan-out.`
          : `Each reply got ${num(writes)} writes a second, not ${num(cap)}: a reply has one write in flight at a time, so when writes take longer than the interval the reporter writes less often, in bigger pieces — the writes stay bounded and the wait grows instead.`
      } ${sessionsReading(r, name)} The run's own processes used ${share(ownCpu / cores)} of the ${cores} cores (server ${share(r.serverCoreShare)} of a core, PostgreSQL ${share(r.postgresCoreShare)}, the bench ${share(r.benchProcessCpuMs / r.wallMs)})${loadBusy ? '; the rest of the load average was other work on the machine' : ''}.${
        r.modelStreamMs?.n && r.modelStreamMs.p50 > 1.2 * r.nominalStreamMs
          ? ` The model's streams themselves took ${ms(r.modelStreamMs.p50)} at the median instead of ${ms(r.nominalStreamMs)} (${num((r.replyChars / r.chunkChars - 1) / (r.modelStreamMs.p50 / 1000))} chunks a second, not ${r.chunksPerSecond}): the fake model schedules chunk i at its start + i × the interval, so a late timer delays that chunk only; a stream still longer than set means the bench process (the model, the tap and every visitor) or the socket could not keep up, so the offered rate was lower than set.`
          : ''
      }`,
    );
  }
  const m = one.many ?? three.many;
  const p = one.many ? one.plain : three.plain;
  if (m && p) {
    const t = one.many ? one : three;
    parts.push(
      `**What streaming costs** (${one.many ? 'one instance' : 'three instances'}, ${many}, against the same replies in one piece): ${num(m.perReply.taskOutputCalls, 0)} task_output writes and ${num(m.perReply.taskNotifications, 0)} task notifications per reply instead of ${num(p.perReply.taskOutputCalls, 0)} and ${num(p.perReply.taskNotifications, 0)}; ${num(txPerWrite(t))} transactions per write in all; ${ms(m.perReply.serverCpuMs - p.perReply.serverCpuMs)} more server CPU and ${ms(m.perReply.postgresCpuMs - p.perReply.postgresCpuMs)} more PostgreSQL CPU per reply, ${num(cpuPerWrite(t, 'serverCpuMs'), 2)} ms and ${num(cpuPerWrite(t, 'postgresCpuMs'), 2)} ms per write. At the full ${num(cap)} writes a second a streaming reply would so cost about ${share((cap * cpuPerWrite(t, 'serverCpuMs')) / 1000)} of a core of server and ${share((cap * cpuPerWrite(t, 'postgresCpuMs')) / 1000)} of PostgreSQL while it streams: ${many} would need about ${num((Number(m.replies) * cap * (cpuPerWrite(t, 'serverCpuMs') + cpuPerWrite(t, 'postgresCpuMs'))) / 1000)} cores for that alone${
        (Number(m.replies) * cap * (cpuPerWrite(t, 'serverCpuMs') + cpuPerWrite(t, 'postgresCpuMs'))) / 1000 > cores
          ? `, more than the machine has: writing less often in bigger pieces (${num(m.perReplySecond.taskOutputCalls)} writes a second each here) is what keeps them all going, at the price of the latency above`
          : ''
      }. The visitor's stream carries the growing text once (${kb(m.perReply.sseBytes)} per reply; ${kb(m.perReply.sseBytesIfWholeTaskEvents)} had each write been a whole task event)${
        m.perReply.sseBytesByEvent && m.perReply.sseBytesByEvent.task > m.replyChars
          ? `; at the end it comes twice more, in the completed task's result (most of the ${kb(m.perReply.sseBytesByEvent.task)} of task events) and in the stored message (${kb(m.perReply.sseBytesByEvent.message)})`
          : ''
      }.`,
    );
  }
  return parts.join('\n\n');
}
