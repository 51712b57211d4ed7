// The "Goals" section of docs/benchmarks.md: each performance goal beside this run's figure,
// met or missed by how much, and what the run's own figures say limits it.

const num = (v, digits = 1) => (v == null || Number.isNaN(v) ? '—' : Number(v).toLocaleString('en', { maximumFractionDigits: digits }));
const ms = (v) => (v == null || Number.isNaN(v) ? '—' : `${num(Math.round(v), 0)} ms`);

/** "met", or how far the figure is from the goal (× for ratios of rates and times). */
function verdict(value, goal, { higherIsBetter = false } = {}) {
  if (value == null || Number.isNaN(value)) return 'not measured';
  const met = higherIsBetter ? value >= goal : value <= goal;
  if (met) return '**met**';
  const factor = higherIsBetter ? goal / value : value / goal;
  return `**missed**, ${num(factor, 2)}× off`;
}

/** The widget bench's value for its two-chunk build (the script-tag default), in ms. */
function twoChunks(value) {
  const m = /two chunks: ([\d.]+) ms/.exec(value ?? '') ?? /^([\d.]+) ms/.exec(value ?? '');
  return m ? Number(m[1]) : null;
}

export function goalsSection({ throughput, fanout, one, three, idle, widget, cores }) {
  const lines = [
    '## Goals',
    '',
    'Each goal of the performance work beside this run’s figure; a missed goal says by how much and',
    'what this run’s own figures show limits it.',
    '',
    '| goal | this run | verdict | what limits it |',
    '|---|---|---|---|',
  ];
  const row = (goal, value, v, limit) => lines.push(`| ${goal} | ${value} | ${v} | ${limit} |`);

  const ours = throughput?.ours;
  const peers = [throughput?.pgBoss, throughput?.graphileWorker].filter((r) => r && !r.error && r.perSecond);
  const best = peers.length ? Math.max(...peers.map((r) => r.perSecond)) : null;
  const cpu = ours ? (ours.cpuMsPerTask ?? 0) + (ours.postgresCpuMsPerTask ?? 0) : null;
  row(
    'pipeline: ≥ 1,000 chat tasks/s, beside pg-boss and graphile-worker',
    ours?.perSecond ? `${num(ours.perSecond, 0)}/s (the faster peer ${num(best, 0)}/s)` : 'not measured',
    verdict(ours?.perSecond, 1000, { higherIsBetter: true }),
    cpu
      ? `CPU: ${num(cpu, 2)} ms a task (server ${num(ours.cpuMsPerTask, 2)}, PostgreSQL ${num(ours.postgresCpuMsPerTask, 2)}), so ${cores} cores would finish at most ${num((cores * 1000) / cpu, 0)}/s if nothing else ran on them (the bench does); see [Pipeline throughput](#pipeline-throughput) for the statements and functions`
      : '—',
  );

  const first = one?.sendToFirstStatus;
  const open = one?.sendToFirstStatusStreamOpen;
  const firstMessages = one?.sendToFirstStatusFirstMessage;
  const loops = one?.serverLoopDelay && one?.clientLoopDelay;
  const loopText = loops
    ? `event loops late by p99 ${ms(one.serverLoopDelay.p99)} (server) and ${ms(one.clientLoopDelay.p99)} (the process of all ${num(one.visitors, 0)} visitors)`
    : '';
  row(
    `send → first status p99 ≤ 100 ms (${num(one?.visitors, 0)} × 3, one instance)`,
    first
      ? `${ms(first.p99)}${open ? `; with the stream open ${ms(open.p99)}, first messages ${ms(firstMessages?.p99)}` : ''}`
      : 'not measured',
    verdict(first?.p99, 100),
    [
      one?.createdToStarted ? `task queued (created → started) p99 ${ms(one.createdToStarted.p99)}` : '',
      firstMessages ? `a first message’s status waits for its new conversation’s stream to open (rate limit, slot, snapshot)` : '',
      loopText,
    ]
      .filter(Boolean)
      .join('; '),
  );
  row(
    'DB change → client event p99 ≤ 25 ms (one instance)',
    one?.dbChangeToClientEvent ? ms(one.dbChangeToClientEvent.p99) : 'not measured',
    verdict(one?.dbChangeToClientEvent?.p99, 25),
    `not split further by this run: the path is commit, NOTIFY, the stream’s re-read as its visitor (a transaction on the request pool), SSE, the client, with sends and streams sharing the ${cores} cores with PostgreSQL and the visitors${loopText ? `; ${loopText}` : ''}`,
  );
  row(
    'DB change → client event p99 ≤ 50 ms (three instances)',
    three?.dbChangeToClientEvent ? ms(three.dbChangeToClientEvent.p99) : 'not measured',
    verdict(three?.dbChangeToClientEvent?.p99, 50),
    `not split further by this run: three servers, PostgreSQL and the visitors on ${cores} cores, every change crossing instances through PostgreSQL`,
  );

  const perStream = idle?.bytesPerConnectionSplit?.rss;
  row(
    'idle streams: ≥ 10,000 on one instance at ≤ 20 KB each',
    idle ? `${num(idle.alive, 0)} open, ${num(perStream / 1024)} KB each` : 'not measured',
    idle ? (idle.alive >= 10_000 && perStream <= 20 * 1024 ? '**met**' : verdict(perStream / 1024, 20)) : 'not measured',
    'see [Idle streams](#idle-streams) for where the memory goes',
  );

  const scoped = (fanout?.rows ?? []).filter((r) => r.scoped).sort((a, b) => a.idle - b.idle);
  const few = scoped[0];
  const many = scoped.at(-1);
  row(
    'fan-out: one notification costs O(its conversation’s subscribers)',
    few && many
      ? `${num(few.cpuMicrosPerEvent, 2)} µs at ${num(few.idle, 0)} idle subscribers, ${num(many.cpuMicrosPerEvent, 2)} µs at ${num(many.idle, 0)}`
      : 'not measured',
    few && many ? (many.cpuMicrosPerEvent < few.cpuMicrosPerEvent * 5 ? '**met**' : '**missed**') : 'not measured',
    `read as met when the cost grows less than 5× while the idle subscribers grow ${few && many ? num(many.idle / few.idle, 0) : '—'}×: the hub indexes subscribers by conversation and task`,
  );

  const start = twoChunks(widget.find(([label]) => label === 'inline: init → enabled input')?.[1]);
  const deepMs = twoChunks(widget.find(([label]) => /^inline: the same for deep-chat [\d.]+ \(/.test(label))?.[1]);
  const work = twoChunks(widget.find(([label]) => label === 'inline: init → enabled input, before the frame')?.[1]);
  const deepWork = twoChunks(widget.find(([label]) => /^inline: the same for deep-chat .*before the frame/.test(label))?.[1]);
  row('widget: init → enabled input ≤ 15 ms', start == null ? 'not measured' : `${num(start)} ms`, verdict(start, 15), '—');
  row(
    'widget: … ≤ 0.25× deep-chat’s, same run',
    start != null && deepMs
      ? `${num(start / deepMs, 2)}× (deep-chat ${num(deepMs)} ms)${work != null && deepWork ? `; the work alone, before the frame: ${num(work)} ms against ${num(deepWork)} ms, ${num(work / deepWork, 2)}×` : ''}`
      : 'not measured',
    start != null && deepMs ? verdict(start / deepMs, 0.25) : 'not measured',
    'both figures end at the next animation frame, the first that can show the box: a render that ends early in a frame still waits for it, so the ratio of the work alone says more',
  );
  const enter = widget.find(([label]) => /^Enter → user message/.test(label));
  row(
    'widget: the visitor’s message and the thinking cue in the frame of Enter',
    enter ? `Enter → both shown: ${enter[1]}` : 'not measured',
    'shown together, optimistically, before the send is answered (the Chromium test `optimistic-send` checks every animation frame)',
    'the figure is from the key press the bench sends to both painted: the browser’s input handling and a frame',
  );
  lines.push('');
  return `${lines.join('\n')}\n`;
}
