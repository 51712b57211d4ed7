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
const share = (v) => (v == null ? '—' : `${Math.round(v * 100)} %`);

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
  const row = (figure, pickValue, note) => `| ${figure} | ${pickValue(one)} | ${pickValue(three)} | ${note} |`;
  const both = (a, b) => `${a} (plain: ${b})`;
  const busy = Number(meta.loadAtStart.split(' ')[0]) > meta.cores;
  const many = `${num(any.replies === 1 ? Number(s.replies) : any.replies, 0)} at once`;

  const rows = [
    row('model chunk → visitor has its text, 1 reply', (t) => pct(t.single?.chunkToEvent), 'n = every chunk of the reply'),
    row(
      '… of which chunk → row written',
      (t) => pct(t.single?.chunkToWrite),
      'coalescing wait (≤ one flush interval) + the write before it',
    ),
    row(
      '… of which row written → visitor has it',
      (t) => pct(t.single?.writeToEvent),
      'commit, NOTIFY, the stream re-reading the row, SSE',
    ),
    row(
      `model chunk → visitor has its text, ${many}`,
      (t) => pct(t.many?.chunkToEvent),
      `n = every chunk of every reply (${num(one.many?.chunkToEvent.n, 0)} / ${num(three.many?.chunkToEvent.n, 0)})`,
    ),
    row('… of which chunk → row written', (t) => pct(t.many?.chunkToWrite), ''),
    row('… of which row written → visitor has it', (t) => pct(t.many?.writeToEvent), ''),
    row(
      `plain JSON answer → visitor has the reply, ${many}`,
      (t) => pct(t.plain?.chunkToEvent),
      'the baseline: the model answers once, no stream',
    ),
    row(
      'reply worked (task started → finished)',
      (t) => `${pct(t.many?.taskWorked)}`,
      `${num(s.replyChars, 0)} characters at ${s.chunksPerSecond} chunks/s of ${s.chunkChars} take ${num(Number(s.replyChars) / Number(s.chunkChars) / Number(s.chunksPerSecond), 0)} s + 1 s before the first`,
    ),
    row(
      'task_output writes per reply per second',
      (t) => both(num(t.many?.perReplySecond.taskOutputCalls), num(t.plain?.perReplySecond.taskOutputCalls, 2)),
      `at most 1000 / STREAM_FLUSH_INTERVAL_MS (${any.flushIntervalMs} ms) = ${num(1000 / any.flushIntervalMs)}`,
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
      'the fake model, the tap and every visitor: the same cores',
    ),
    row(
      'SSE bytes per reply (the visitor’s stream)',
      (t) => both(kb(t.many?.perReply.sseBytes), kb(t.plain?.perReply.sseBytes)),
      'counted on the response body the SDK read',
    ),
    row(
      '… had every output been a whole task event',
      (t) => kb(t.many?.perReply.sseBytesIfWholeTaskEvents),
      (() => {
        const r = one.many ?? three.many;
        return r ? `${num(r.perReply.outputEvents)} output events per reply, ${kb(r.perReply.outputEventBytes)} of them` : '';
      })(),
    ),
  ];

  const lat = one.many?.chunkToEvent;
  const split = one.many ? `${ms(one.many.chunkToWrite.p50)} + ${ms(one.many.writeToEvent.p50)}` : '—';
  const cost = one.many && one.plain ? one.many.perReply.serverCpuMs - one.plain.perReply.serverCpuMs : null;
  const pgCost = one.many && one.plain ? one.many.perReply.postgresCpuMs - one.plain.perReply.postgresCpuMs : null;

  return `${STREAMING_HEADING}

Written by \`pnpm bench\` (alone: \`BENCH_ONLY=streaming pnpm bench\`, which rewrites only this
section) from \`tests/stress/streaming.stress.test.ts\` at full size.

- Date: ${meta.date}; step ${meta.ok ? 'passed' : '**FAILED** (see the output of the run)'} in ${meta.seconds} s
- Command: ${meta.command}
- Machine: ${meta.machine}
- Load average (1/5/15 min) at the start of this step: ${meta.loadAtStart}; at its end: ${meta.loadAtEnd}${busy ? ' — **the machine was already busy with other work when the step began (load above its core count): latencies include CPU contention**' : ''}
- Set-up: each column a fresh PostgreSQL database and fresh server processes (\`src/main.ts\`,
  built-in runner, STREAM_FLUSH_INTERVAL_MS=${any.flushIntervalMs}); the fake OpenAI-compatible model
  streams the same ${num(any.replyChars, 0)}-character reply (with some two- and three-byte UTF-8 letters)
  to every request, ${s.chunkChars} characters a chunk, ${s.chunksPerSecond} chunks a second, after 1 s. The
  visitors ask within 1 s through the SDK's http transport (fetch + SSE, \`output\` deltas applied
  by \`reduceTask\`), in the bench process. *3 instances*: one server runs every reply
  (RUNNER_CONCURRENCY=${s.replies}), the visitors' sends and streams go to the other two
  (RUNNER_CONCURRENCY=0), so every chunk crosses instances through PostgreSQL. *Plain*: the same
  replies answered as one JSON body (the model ignores \`stream: true\`) after as long as the stream
  takes; the runner then writes the whole text once (one task_output) and completes.
- Method: an HTTP tap in front of the fake model (bench process) notes when each content chunk
  went by; the visitor notes when an event first gave it text covering that chunk (an \`output\`,
  a whole \`task\`, or the stored message). Latency = arrival − sent, per chunk, same clock; split
  at the row's \`updatedAt\` (the writing transaction's start) the event carried. Chunks sent before
  the visitor's stream was open are left out (none in this run unless said: ${num((one.many?.chunksBeforeStreamOpen ?? 0) + (three.many?.chunksBeforeStreamOpen ?? 0), 0)}).
  Writes: calls of \`task_output\` (pg_stat_user_functions, read after the servers stopped, so every
  session had reported); each accepted write is one row update and one NOTIFY, and the
  notifications were counted directly on a LISTEN connection (the task row's, besides the two
  chat_messages ones of each reply). CPU: user + system time from /proc/<pid>/stat over the run.
  Per second = per second a reply was being worked on (task started → finished).

| figure (p50 / p95 / p99 where three) | 1 instance | 3 instances | note |
|---|---|---|---|
${rows.join('\n')}

What the figures mean: a chunk waits in the runner's output reporter until the next write (at most
one per ${any.flushIntervalMs} ms, one in flight), so with one reply the latency is about half a flush
interval on average and at most one plus the write; the rest — commit, NOTIFY, the stream's re-read
as its visitor, the SSE write and the SDK applying the delta — is a few milliseconds. With
${many} on one instance (median ${lat ? ms(lat.p50) : '—'}: ${split} written + delivered) the time goes to
the writes queueing: every reply writes about ${num(one.many?.perReplySecond.taskOutputCalls)} times a second and
every write is a commit, a notification each instance hears, and a re-read per open stream, so the
server, PostgreSQL and the clients share the two cores; when a write takes longer than the
interval the reporter writes less often, with bigger pieces (the rate stays bounded; the latency
grows instead). On three instances the reply's writes cross PostgreSQL to the visitors' instances
and three processes plus the clients share the same cores. Cost: a streamed reply costs
${cost == null ? '—' : ms(cost)} more server CPU and ${pgCost == null ? '—' : ms(pgCost)} more PostgreSQL CPU than the
same reply answered in one piece, about ${num(one.many?.perReply.taskOutputCalls, 0)} writes and notifications instead of
one; its visitor's stream carries the text once (output deltas), not once per write.
`;
}
