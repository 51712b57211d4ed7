// The "Pipeline throughput" section of docs/benchmarks.md: bench/throughput/throughput.ts (our
// pipeline beside pg-boss and graphile-worker) and bench/throughput/fanout.ts (the event hub's
// cost per notification), each run as a child process printing its figures as the last line.
export const THROUGHPUT_HEADING = '## Pipeline throughput';

/** The last line of a step's output that parses as JSON with `key`. */
export function lastJson(output, key) {
  for (const line of output.split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line);
      if (value && key in value) return value[key];
    } catch {}
  }
  return null;
}

const num = (v) => (v == null || Number.isNaN(v) ? '—' : Number(v).toLocaleString('en', { maximumFractionDigits: 2 }));

export function throughputSection({ throughput, fanout, date, command, machine, seconds, ok, cores }) {
  const lines = [THROUGHPUT_HEADING, ''];
  lines.push(
    `Written by \`pnpm bench\` (alone: \`BENCH_ONLY=throughput pnpm bench\`, which rewrites only this section).`,
    '',
    `- Date: ${date}; step ${ok ? 'passed' : '**FAILED**'} in ${seconds} s`,
    `- Command: ${command}`,
    `- Machine: ${machine}`,
    '- Set-up: each queue on a fresh PostgreSQL database of the same server, its worker in the bench',
    '  process, idle, when the backlog commits in one transaction; the figure is from that commit until',
    '  every job is done. *Ours*: the built-in runner and the event hub as `src/server.ts` wires them',
    '  (LISTEN, claim loop, sweep) answering `chat.reply` tasks made by `send_chat_message` (one visitor',
    '  and conversation each) with a model that answers at once: per task a claim (shared), `task_start`,',
    '  the history read, `task_progress`, one `task_output`, a cancel check (shared), `task_complete`',
    '  with its assistant message (shared commit). *pg-boss*, *graphile-worker*: jobs inserted by their',
    '  own batch call, a handler that does nothing, completion by the library.',
    '- Round trips: every `client.query` of the process’s node-postgres clients (it never pipelines),',
    '  the bench’s own polling left out; by statement, per task, with the mean time to its answer.',
    '',
  );
  const peerRow = (name, r) =>
    r?.error
      ? `| ${name} | failed: ${r.error} | | | ${r.loadBefore ?? ''} |`
      : r
        ? `| ${name} | **${num(r.perSecond)}** | ${num(r.tasks)} in ${num(r.ms)} ms | ${r.settings ?? ''} | ${r.loadBefore} → ${r.loadAfter} |`
        : `| ${name} | not run | | | |`;
  const ours = throughput?.ours;
  lines.push('| queue | completed per s | tasks in | settings | load average (1/5/15 min) before → after |', '|---|---|---|---|---|');
  lines.push(
    ours && !ours.error
      ? `| ours (chat.reply, 5 steps and a message) | **${num(ours.perSecond)}** | ${num(ours.tasks)} in ${num(ours.ms)} ms | RUNNER_CONCURRENCY ${ours.concurrency}; ${num(ours.roundTripsPerTask)} round trips and ${num(ours.transactionsPerTask)} explicit transactions per task; this process ${num(ours.cpuMsPerTask)} ms CPU per task (${Math.round((ours.cpuShareOfCore ?? 0) * 100)} % of a core) | ${ours.loadBefore} → ${ours.loadAfter} |`
      : peerRow('ours', ours),
  );
  lines.push(peerRow('pg-boss (no-op job)', throughput?.pgBoss));
  lines.push(peerRow('graphile-worker (no-op job)', throughput?.graphileWorker));
  if (ours?.byStatement?.length) {
    lines.push('', '| our statement | per task | mean ms to its answer |', '|---|---|---|');
    for (const [name, n, ms] of ours.byStatement) lines.push(`| \`${name.replace(/\|/g, '\\|')}\` | ${num(n)} | ${num(ms)} |`);
  }
  if (fanout?.rows?.length) {
    lines.push(
      '',
      `**Fan-out**: the event hub delivering one notification of a watched conversation (${num(fanout.events)} times) while other`,
      'conversations’ streams stay idle; in process, CPU per event (process.cpuUsage). *Indexed* is the hub as it runs; *every',
      'subscriber* is the same subscribers each told every event and filtering it, as a hub without an index would do.',
      '',
      '| idle subscribers | indexed: µs CPU per event | every subscriber: µs CPU per event |',
      '|---|---|---|',
    );
    for (const idle of [...new Set(fanout.rows.map((r) => r.idle))]) {
      const a = fanout.rows.find((r) => r.idle === idle && r.scoped);
      const b = fanout.rows.find((r) => r.idle === idle && !r.scoped);
      lines.push(`| ${num(idle)} | ${num(a?.cpuMicrosPerEvent)} | ${num(b?.cpuMicrosPerEvent)} |`);
    }
  }
  lines.push('', `(${cores} cores: the queues, PostgreSQL and the bench share them, and so does any other work on the machine.)`, '');
  return `${lines.join('\n')}\n`;
}
