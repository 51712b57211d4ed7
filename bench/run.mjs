#!/usr/bin/env node
// `pnpm bench`: the full-size figures, printed as a table and written to
// docs/benchmarks.md. Steps (each a real run; a failing step is reported, the rest still run):
//   1. load: 1,000 visitors × 3 messages over ~60 s on one instance (tests/stress, full size)
//   2. the same through three instances on one PostgreSQL (300 visitors by default)
//   3. idle SSE subscribers one instance holds (10,000) and server memory per connection
//   4. streamed replies: model chunk → visitor latency for 1 and 200 replies at once, on one and on
//      three instances, and what streaming costs against the same replies answered in one piece
//   5. the widget's browser figures (packages/chat-widget `bench`, medians of 7 Chromium runs)
//   6. bundle sizes (the packages' `size` scripts)
// Sizes: BENCH_VISITORS, BENCH_SPREAD_MS, BENCH_MULTI_VISITORS, BENCH_IDLE_SUBSCRIBERS,
// BENCH_STREAMING_REPLIES, BENCH_STREAMING_REPLY_CHARS, BENCH_STREAMING_CHUNK_CHARS,
// BENCH_STREAMING_CHUNKS_PER_SECOND.
//   0. pipeline throughput: chat tasks created → completed per second on one instance with a model
//      that answers at once, beside pg-boss and graphile-worker; the event hub's cost per
//      notification at 100 and 10,000 idle subscribers (bench/throughput/)
//   7. growth: the one-instance load at BENCH_GROWTH_VISITORS (100,1000,5000) visitors: answered per
//      second, latency percentiles and server memory per visitor as the work grows
// BENCH_ONLY=streaming runs step 4 alone, BENCH_ONLY=throughput step 0, BENCH_ONLY=growth step 7,
// BENCH_ONLY=idle step 3,
// and each rewrites only its section of docs/benchmarks.md. Step 0's sizes: BENCH_THROUGHPUT_TASKS,
// BENCH_THROUGHPUT_CONCURRENCY, BENCH_THROUGHPUT_PEERS, BENCH_FANOUT_EVENTS.
import { spawnSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStreamingResults, STREAMING_HEADING, streamingSection } from './streaming-report.mjs';
import { GROWTH_HEADING, growthSection } from './growth-report.mjs';
import { IDLE_HEADING, idleSection } from './idle-report.mjs';
import { goalsSection } from './goals-report.mjs';
import { lastJson, THROUGHPUT_HEADING, throughputSection } from './throughput-report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = mkdtempSync(join(tmpdir(), 'bench-results-'));
const size = {
  visitors: process.env.BENCH_VISITORS ?? '1000',
  spreadMs: process.env.BENCH_SPREAD_MS ?? '60000',
  multiVisitors: process.env.BENCH_MULTI_VISITORS ?? '1000',
  idle: process.env.BENCH_IDLE_SUBSCRIBERS ?? '10000',
};
const streamingSize = {
  replies: process.env.BENCH_STREAMING_REPLIES ?? '200',
  replyChars: process.env.BENCH_STREAMING_REPLY_CHARS ?? '4000',
  chunkChars: process.env.BENCH_STREAMING_CHUNK_CHARS ?? '4',
  chunksPerSecond: process.env.BENCH_STREAMING_CHUNKS_PER_SECOND ?? '50',
};
const only = process.env.BENCH_ONLY ?? '';
const ALONE = ['streaming', 'throughput', 'growth', 'idle'];
if (only && !ALONE.includes(only)) {
  console.error(`BENCH_ONLY=${only}: only ${ALONE.map((s) => `"${s}"`).join(', ')} run alone (the other steps write the whole report)`);
  process.exit(2);
}
const throughputSize = {
  tasks: process.env.BENCH_THROUGHPUT_TASKS ?? '5000',
  concurrency: process.env.BENCH_THROUGHPUT_CONCURRENCY ?? '64',
};
const started = new Date();
const sh = (cmd) => {
  try {
    return execSync(cmd, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const machine = {
  cpus: `${sh('nproc')} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
  memory: sh('free -h | awk \'/^Mem:/ {print $2 " total, " $7 " available"}\''),
  load: sh('cat /proc/loadavg').split(' ').slice(0, 3).join(' '),
  node: process.version,
  postgres: sh("psql postgres://postgres@127.0.0.1:5432/postgres -tAc 'show server_version'"),
};

function run(label, command, args, env = {}, dir = '') {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const t0 = Date.now();
  const result = spawnSync(command, args, {
    cwd: join(root, dir),
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  console.log(
    output
      .split('\n')
      .filter((l) => /\[stress\]|✓|×|FAIL|passed|failed|median|→|KB|ms|MB/.test(l))
      .slice(0, 40)
      .join('\n'),
  );
  // A failed step shows why: the end of its output, unfiltered.
  if (result.status !== 0) console.log(output.split('\n').slice(-80).join('\n'));
  return { ok: result.status === 0, output, seconds: Math.round((Date.now() - t0) / 1000) };
}

const loadNow = () => sh('cat /proc/loadavg').split(' ').slice(0, 3).join(' ');

/**
 * The widget bench's figures as [label, value]: it prints one figure a line, indented, the label
 * and its value (or one value per build variant, under a line naming them) two spaces or more
 * apart; a line labelled only "p95" belongs to the figure above it.
 */
function widgetFigures(output) {
  const figures = [];
  let variants = null;
  let previous = '';
  for (const line of output.split('\n')) {
    if (!/^ {2}/.test(line)) continue;
    const cells = line.trim().split(/\s{2,}/);
    if (!/\d (ms|MB|KB)\b/.test(line)) {
      if (/^ {10,}\S/.test(line)) variants = cells; // no label: the line naming the variants
      continue;
    }
    let [label, ...values] = cells;
    if (label === 'p95') label = `${previous.replace(/, median$/, '')}, p95`;
    else previous = label;
    const value =
      variants && values.length === variants.length && values.length > 1
        ? values.map((v, i) => `${variants[i]}: ${v}`).join('; ')
        : values.join(' ');
    figures.push([label, value]);
  }
  return figures;
}

/** Step 4: the streaming suite at full size, and its section of the report. */
function runStreaming() {
  const loadAtStart = loadNow();
  const date = new Date().toISOString();
  const env = {
    STRESS_STREAMING_REPLIES: streamingSize.replies,
    STRESS_STREAMING_REPLY_CHARS: streamingSize.replyChars,
    STRESS_STREAMING_CHUNK_CHARS: streamingSize.chunkChars,
    STRESS_STREAMING_CHUNKS_PER_SECOND: streamingSize.chunksPerSecond,
    STRESS_RESULTS_DIR: resultsDir,
  };
  const step = run('streamed replies at full size', 'pnpm', ['vitest', 'run', '--project', 'stress', 'streaming.stress'], env);
  const command = `\`${only ? 'BENCH_ONLY=streaming ' : ''}pnpm bench\` (${Object.entries(streamingSize)
    .map(([k, v]) => `BENCH_STREAMING_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}=${v}`)
    .join(', ')})`;
  const section = streamingSection(readStreamingResults(resultsDir), {
    date,
    command,
    loadAtStart,
    loadAtEnd: loadNow(),
    cores: Number(sh('nproc')),
    seconds: step.seconds,
    ok: step.ok,
    sizes: streamingSize,
    machine: `${machine.cpus}; memory ${machine.memory}; Node ${machine.node}; PostgreSQL ${machine.postgres}`,
  });
  return { ...step, section };
}

/** Step 0: the pipeline's throughput beside pg-boss and graphile-worker, and the hub's fan-out cost. */
function runThroughput() {
  const date = new Date().toISOString();
  const env = { BENCH_THROUGHPUT_TASKS: throughputSize.tasks, BENCH_THROUGHPUT_CONCURRENCY: throughputSize.concurrency };
  const pipeline = run(
    'pipeline throughput beside pg-boss and graphile-worker',
    'node',
    ['--import', 'tsx', 'throughput/throughput.ts'],
    env,
    'bench',
  );
  const fan = run('event hub fan-out', 'node', ['--import', 'tsx', 'throughput/fanout.ts'], {}, 'bench');
  const throughput = lastJson(pipeline.output, 'throughput');
  const fanout = lastJson(fan.output, 'fanout');
  const ok = pipeline.ok && fan.ok && throughput && !Object.values(throughput).some((r) => r?.error);
  const section = throughputSection({
    throughput,
    fanout,
    date,
    command: `\`${only ? 'BENCH_ONLY=throughput ' : ''}pnpm bench\` (BENCH_THROUGHPUT_TASKS=${throughputSize.tasks}, BENCH_THROUGHPUT_CONCURRENCY=${throughputSize.concurrency})`,
    machine: `${machine.cpus}; memory ${machine.memory}; Node ${machine.node}; PostgreSQL ${machine.postgres}`,
    seconds: pipeline.seconds + fan.seconds,
    ok,
    cores: Number(sh('nproc')),
  });
  return { ok, seconds: pipeline.seconds + fan.seconds, section, figures: { throughput, fanout } };
}

/** Step 7: the load suite at each size of BENCH_GROWTH_VISITORS, one fresh server each. */
function runGrowth() {
  const date = new Date().toISOString();
  const sizesList = (process.env.BENCH_GROWTH_VISITORS ?? '100,1000,5000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const runs = [];
  for (const visitors of sizesList) {
    const name = `load-growth-${visitors}`;
    const step = run(`load at ${visitors} visitors`, 'pnpm', ['vitest', 'run', '--project', 'stress', 'load.stress'], {
      STRESS_VISITORS: String(visitors),
      STRESS_SPREAD_MS: size.spreadMs,
      STRESS_RESULTS_DIR: resultsDir,
      STRESS_LOAD_REPORT: name,
    });
    const file = join(resultsDir, `${name}.json`);
    runs.push({ visitors, ok: step.ok, seconds: step.seconds, result: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null });
  }
  const section = growthSection({
    runs,
    date,
    command: `\`${only ? 'BENCH_ONLY=growth ' : ''}pnpm bench\` (BENCH_GROWTH_VISITORS=${sizesList.join(',')}, BENCH_SPREAD_MS=${size.spreadMs})`,
    machine: `${machine.cpus}; memory ${machine.memory}; Node ${machine.node}; PostgreSQL ${machine.postgres}`,
    spreadMs: Number(size.spreadMs),
  });
  return { ok: runs.every((r) => r.ok), seconds: runs.reduce((n, r) => n + r.seconds, 0), section };
}

/** The idle-streams section from the suite's figures (run here alone, or by the stress step). */
function idleReport(idle, { ok, seconds, loadAtStart, date }) {
  return idleSection({
    idle,
    date,
    command: `\`${only ? 'BENCH_ONLY=idle ' : ''}pnpm bench\` (BENCH_IDLE_SUBSCRIBERS=${size.idle})`,
    machine: `${machine.cpus}; memory ${machine.memory}; Node ${machine.node}; PostgreSQL ${machine.postgres}`,
    loadAtStart,
    loadAtEnd: loadNow(),
    ok,
    seconds,
  });
}

/** Step 3 alone: the idle-streams suite at full size. */
function runIdle() {
  const loadAtStart = loadNow();
  const date = new Date().toISOString();
  const step = run('idle streams at full size', 'pnpm', ['vitest', 'run', '--project', 'stress', 'idle-streams'], {
    STRESS_IDLE_SUBSCRIBERS: size.idle,
    STRESS_RESULTS_DIR: resultsDir,
  });
  const file = join(resultsDir, 'idle-sse-subscribers.json');
  const idle = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  return { ok: step.ok, seconds: step.seconds, section: idleReport(idle, { ok: step.ok, seconds: step.seconds, loadAtStart, date }) };
}

/** Replaces one section of docs/benchmarks.md (or adds it before the bundle sizes). */
function writeSection(heading, section) {
  const file = join(root, 'docs', 'benchmarks.md');
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = doc.indexOf(`${heading}\n`);
  const next = start < 0 ? -1 : doc.indexOf('\n## ', start + heading.length);
  const bundles = doc.indexOf('\n## Bundle sizes');
  const updated =
    start >= 0
      ? `${doc.slice(0, start)}${section}${next >= 0 ? doc.slice(next) : ''}`
      : bundles >= 0
        ? `${doc.slice(0, bundles + 1)}${section}\n${doc.slice(bundles + 1)}`
        : `${doc.trimEnd()}\n\n${section}`;
  writeFileSync(file, updated);
}

if (only) {
  const steps = {
    streaming: () => [runStreaming(), STREAMING_HEADING],
    throughput: () => [runThroughput(), THROUGHPUT_HEADING],
    growth: () => [runGrowth(), GROWTH_HEADING],
    idle: () => [runIdle(), IDLE_HEADING],
  };
  const [step, heading] = steps[only]();
  rmSync(resultsDir, { recursive: true, force: true });
  console.log(`\n${step.section}`);
  writeSection(heading, step.section);
  console.log(`\nwrote the ${only} section of docs/benchmarks.md`);
  process.exit(step.ok ? 0 : 1);
}

const throughput = runThroughput();

const stress = run(
  'stress suites at full size',
  'pnpm',
  ['vitest', 'run', '--project', 'stress', 'load.stress', 'multi-instance', 'idle-streams'],
  {
    STRESS_VISITORS: size.visitors,
    STRESS_SPREAD_MS: size.spreadMs,
    STRESS_MULTI_VISITORS: size.multiVisitors,
    STRESS_IDLE_SUBSCRIBERS: size.idle,
    STRESS_RESULTS_DIR: resultsDir,
  },
);
const streaming = runStreaming();
const widget = run('widget browser figures', 'pnpm', ['--filter', '@app/chat-widget', 'bench']);
const growth = runGrowth();
const sizes = [
  run('SDK bundle sizes', 'pnpm', ['--filter', '@app/async-tasks', 'size']),
  run('widget bundle size', 'pnpm', ['--filter', '@app/chat-widget', 'size']),
];

const loadAtEnd = sh('cat /proc/loadavg').split(' ').slice(0, 3).join(' ');
const read = (name) => {
  const file = join(resultsDir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
};
const one = read('load-one-instance');
const three = read('load-three-instances');
const idle = read('idle-sse-subscribers');
rmSync(resultsDir, { recursive: true, force: true });

const ms = (v) => (v == null || Number.isNaN(v) ? '—' : `${Math.round(v).toLocaleString('en')} ms`);
const pct = (s) => (s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}` : 'not measured');
const rows = [];
for (const [name, r] of [
  ['1 instance', one],
  ['3 instances', three],
]) {
  if (!r) {
    rows.push([`load, ${name}`, 'no result (the run failed before reporting)', '']);
    continue;
  }
  const ok = r.audit.unanswered === 0 && r.audit.duplicateReplies === 0 && r.audit.redispatched === 0 && r.audit.stuck === 0;
  const fiveXx = Object.entries(r.statuses)
    .filter(([s]) => Number(s) >= 500)
    .reduce((n, [, c]) => n + c, 0);
  rows.push([
    `load, ${name}: visitors × messages`,
    `${r.visitors} × 3 = ${r.messages} over ~${r.spreadMs / 1000} s`,
    `${ok ? 'every message answered once' : 'AUDIT FAILED'}, ${fiveXx} 5xx, ${r.audit.redispatched} re-dispatched`,
  ]);
  rows.push([
    `load, ${name}: messages / wall time`,
    `${(r.messages / (r.wallMs / 1000)).toFixed(1)} per s`,
    `${r.messages} answered in ${(r.wallMs / 1000).toFixed(0)} s, send window included (offered ${(r.messages / (r.spreadMs / 1000)).toFixed(1)}/s)`,
  ]);
  rows.push([`load, ${name}: send → first status`, pct(r.sendToFirstStatus), `n=${r.sendToFirstStatus.n}`]);
  if (r.sendToFirstStatusStreamOpen) {
    rows.push([
      `load, ${name}: … while the conversation's stream was open`,
      pct(r.sendToFirstStatusStreamOpen),
      `n=${r.sendToFirstStatusStreamOpen.n}: the 2nd and 3rd messages`,
    ]);
    rows.push([
      `load, ${name}: … first messages (the stream opens after the answer)`,
      pct(r.sendToFirstStatusFirstMessage),
      `n=${r.sendToFirstStatusFirstMessage.n}: the conversation is made by the send`,
    ]);
    rows.push([`load, ${name}: send request answered`, pct(r.sendAnswered), 'message and task stored']);
  }
  if (r.serverLoopDelay && r.clientLoopDelay) {
    const d = (x) => `${x.p50} / ${x.p99} / ${x.max} ms`;
    rows.push([
      `load, ${name}: event-loop delay, server; bench clients`,
      `${d(r.serverLoopDelay)}; ${d(r.clientLoopDelay)}`,
      'p50 / p99 / max over the run: late callbacks add to every latency above',
    ]);
  }
  rows.push([`load, ${name}: DB change → client event`, pct(r.dbChangeToClientEvent), `n=${r.dbChangeToClientEvent.n}`]);
  rows.push([`load, ${name}: send → terminal state seen`, pct(r.sendToTerminal), `n=${r.sendToTerminal.n}`]);
  rows.push([`load, ${name}: task queued (created → started)`, pct(r.createdToStarted), 'from the rows']);
  rows.push([`load, ${name}: task worked (started → finished)`, pct(r.startedToFinished), 'LLM 50–500 ms inside']);
}
// The idle streams have their own section (below the table).
const idleSectionText = idleReport(idle, {
  ok: stress.ok,
  seconds: stress.seconds,
  loadAtStart: machine.load,
  date: started.toISOString(),
});
for (const [label, value] of widgetFigures(widget.output)) {
  const note =
    /p95/.test(label) || /p95/.test(value)
      ? 'over every chunk of every run (Chromium)'
      : /^parse /.test(label)
        ? 'fastest of the widget bench parses (Chromium)'
        : 'median of the widget bench runs (Chromium)';
  rows.push([`widget: ${label}`, value, note]);
}
// size-limit prints "name / Size limit / Size" blocks; keep those, drop pnpm's and esbuild's chatter
// (esbuild warns, line by line with a code frame, that bare imports of chunks of a package without
// side effects are dropped: true, and no part of a size).
const isEsbuildWarning = (line) =>
  /^▲ \[WARNING\]|[│╵]|"sideEffects" is false/.test(line) || /^\s+[\w./-]+\.(js|json):\d+:\d+:$/.test(line);
const sizeLines = sizes.flatMap((s) =>
  s.output
    .split('\n')
    .filter((l) => l.trim() && !/^>|esbuild project/.test(l.trim()) && !isEsbuildWarning(l))
    .map((l) => l.replace(/\s+$/, '')),
);

const table = ['| figure | value (p50 / p95 / p99 where three) | note |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
  '\n',
);
console.log(`\n${table}\n\n${sizeLines.join('\n')}`);

const doc = `# Benchmarks

Written by \`pnpm bench\` (\`node bench/run.mjs\`); see [reliability.md](reliability.md) for what each
suite proves. Figures from one invocation; every latency is a percentile over all the samples of
that run (hundreds to thousands), never a single measurement; the widget figures are medians of
its bench's runs.

- Date: ${started.toISOString()}
- Command: \`pnpm bench\` (BENCH_VISITORS=${size.visitors}, BENCH_SPREAD_MS=${size.spreadMs}, BENCH_MULTI_VISITORS=${size.multiVisitors}, BENCH_IDLE_SUBSCRIBERS=${size.idle})
- Machine: ${machine.cpus}; memory ${machine.memory}; Node ${machine.node}; PostgreSQL ${machine.postgres}
- Load average (1/5/15 min) at the start: ${machine.load}; at the end: ${loadAtEnd} (the run's own servers and clients)${Number(machine.load.split(' ')[0]) > Number(sh('nproc')) ? ' — **the machine was already busy with other work when the run began (load above its core count): latencies include CPU contention**' : ''}
- Reading the figures: when the offered rate exceeds what the instance's runner completes, tasks
  queue, and *send → first status* is mostly the wait in the queue (compare it with *task queued*);
  the event path itself is *DB change → client event*. The three-instance row runs
  BENCH_MULTI_VISITORS visitors (by default as many as the one-instance row), three server
  processes plus every client on the same cores.
- Set-up: the reference server as a child process (\`src/main.ts\`, built-in runner) on a throwaway
  PostgreSQL database, real HTTP on 127.0.0.1, the fake OpenAI-compatible LLM answering in a random
  50–500 ms, clients through the SDK's http transport (fetch + SSE) in one Node process. Rate limits
  raised for the run (RATE_LIMIT_SEND_PER_IP / RATE_LIMIT_SESSION_PER_IP = 100000,
  RATE_LIMIT_SEND_PER_VISITOR = 1000): every simulated visitor comes from 127.0.0.1.
- Definitions: *send → first status* = from calling send to the client seeing the task past
  \`pending\`; *DB change → client event* = client receive time − the row's \`updated_at\` (the
  changing transaction's start, same clock) for every live \`task\` event.
- Steps: pipeline throughput ${throughput.ok ? 'passed' : '**FAILED**'} in ${throughput.seconds} s (figures in [its section](#pipeline-throughput)); growth ${growth.ok ? 'passed' : '**FAILED**'} in ${growth.seconds} s ([its section](#growth)); stress suites ${stress.ok ? 'passed' : '**FAILED** (see the output of the run)'} in ${stress.seconds} s; streamed replies ${streaming.ok ? 'passed' : '**FAILED**'} in ${streaming.seconds} s (figures in [their section](#streamed-replies)); widget bench ${widget.ok ? 'ran' : '**failed**'}; size scripts ${sizes.every((s) => s.ok) ? 'passed' : '**failed**'}.

${table}

${goalsSection({
  throughput: throughput.figures?.throughput,
  fanout: throughput.figures?.fanout,
  one,
  three,
  idle,
  widget: widgetFigures(widget.output),
  cores: Number(sh('nproc')),
})}
${idleSectionText}
${throughput.section}
${growth.section}
${streaming.section}
## Bundle sizes

\`\`\`
${sizeLines.join('\n') || 'no output'}
\`\`\`
`;
writeFileSync(join(root, 'docs', 'benchmarks.md'), doc);
console.log('\nwrote docs/benchmarks.md');
process.exit(throughput.ok && growth.ok && stress.ok && streaming.ok && widget.ok && sizes.every((s) => s.ok) ? 0 : 1);
