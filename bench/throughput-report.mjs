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
    '  and conversation each) with a model that answers at once: per task a claim (shared), the history',
    '  read, `task_start` ("AI is thinking…", shared commit), a cancel check (shared), `task_complete`',
    '  with its assistant message (shared commit); a reply in one piece is not written as streamed text.',
    '  Worker statements are prepared once per connection. *pg-boss*, *graphile-worker*: jobs inserted by their',
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
      ? `| ours (chat.reply: claim, history, start, result + message) | **${num(ours.perSecond)}** | ${num(ours.tasks)} in ${num(ours.ms)} ms | RUNNER_CONCURRENCY ${ours.concurrency}; ${num(ours.roundTripsPerTask)} round trips and ${num(ours.transactionsPerTask)} explicit transactions per task; CPU per task: server ${num(ours.cpuMsPerTask)} ms (${Math.round((ours.cpuShareOfCore ?? 0) * 100)} % of a core), PostgreSQL ${num(ours.postgresCpuMsPerTask)} ms (${Math.round((ours.postgresShareOfCore ?? 0) * 100)} %) | ${ours.loadBefore} → ${ours.loadAfter} |`
      : peerRow('ours', ours),
  );
  lines.push(peerRow('pg-boss (no-op job)', throughput?.pgBoss));
  lines.push(peerRow('graphile-worker (no-op job)', throughput?.graphileWorker));
  if (ours?.byStatement?.length) {
    lines.push('', '| our statement | per task | mean ms to its answer |', '|---|---|---|');
    for (const [name, n, ms] of ours.byStatement) lines.push(`| \`${name.replace(/\|/g, '\\|')}\` | ${num(n)} | ${num(ms)} |`);
  }
  if (ours?.functions?.length) {
    lines.push('', '| our SQL function (pg_stat_user_functions, its own time) | calls per task | ms per task |', '|---|---|---|');
    for (const [name, n, ms] of ours.functions) lines.push(`| \`${name}\` | ${num(n)} | ${num(ms)} |`);
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
  if (ours && !ours.error && ours.perSecond) {
    const peers = [throughput?.pgBoss, throughput?.graphileWorker].filter((r) => r && !r.error && r.perSecond);
    const best = peers.length ? Math.max(...peers.map((r) => r.perSecond)) : null;
    const pgMs = ours.postgresCpuMsPerTask;
    const nodeMs = ours.cpuMsPerTask;
    lines.push(
      '',
      `**Reading.** Ours completed ${num(ours.perSecond)} chat tasks a second${best ? `, ${num(ours.perSecond / best)}× the faster peer in the same run` : ''}. ` +
        `Each task cost ${num(nodeMs)} ms of CPU in the server process and ${num(pgMs)} ms in PostgreSQL (${num(nodeMs + pgMs)} ms in all), so ${cores} cores ` +
        `would complete at most about ${num(Math.round((cores * 1000) / (nodeMs + pgMs)))} a second with nothing else running; the load average shows what else was. ` +
        'Where PostgreSQL’s time goes: a chat task is three updates of its row (claim, start, result) and an insert (the assistant message), each through ' +
        'the change-feed triggers (seq, version, one notification each), plus the history read; a peer’s no-op job is one ' +
        'update to take it and one to finish it. The round trips per task are what the runner adds on top (batched writes and claims, shared cancel reads).',
    );
  }
  lines.push('', `(${cores} cores: the queues, PostgreSQL and the bench share them, and so does any other work on the machine.)`, '');
  return `${lines.join('\n')}\n`;
}
