// The "Idle streams" section of docs/benchmarks.md: tests/stress/idle-streams.stress.test.ts at
// full size (how many idle SSE streams one instance holds and what each costs it).
export const IDLE_HEADING = '## Idle streams';

const kb = (b) => (b == null || Number.isNaN(b) ? '—' : `${(b / 1024).toFixed(1)} KB`);
const ms = (v) => (v == null ? '—' : `${Math.round(v).toLocaleString('en')} ms`);

export function idleSection({ idle, date, command, machine, loadAtStart, loadAtEnd, ok, seconds }) {
  const lines = [
    IDLE_HEADING,
    '',
    'Written by `pnpm bench` (alone: `BENCH_ONLY=idle pnpm bench`, which rewrites only this section).',
    '',
    `- Date: ${date}; step ${ok ? 'passed' : '**FAILED**'} in ${seconds} s`,
    `- Command: ${command}`,
    `- Machine: ${machine}`,
    `- Load average (1/5/15 min) at the start: ${loadAtStart}; at the end: ${loadAtEnd}`,
    '- Set-up: one server process (`src/main.ts`) on PostgreSQL; task streams of tasks nobody works on,',
    '  50 per visitor, opened 25 at a time with node:http from the bench process in 4 steps; the server’s',
    '  RSS (/proc) and its JS heap and external memory (`/metrics`) before the first and after each step.',
    '',
  ];
  if (!idle) {
    lines.push('No result (the step failed before reporting).', '');
    return `${lines.join('\n')}\n`;
  }
  const split = idle.bytesPerConnectionSplit;
  lines.push(
    '| figure | value | note |',
    '|---|---|---|',
    `| idle SSE streams held by one instance | ${idle.alive.toLocaleString('en')} of ${idle.subscribers.toLocaleString('en')} open | RSS ${idle.rssBeforeMb} → ${idle.rssAfterMb} MB |`,
    `| server memory per idle stream, over the whole run | ${kb(split?.rss)} | of which JS heap ${kb(split?.jsHeap)}, external ${kb(split?.external)}, the rest (sockets, malloc) ${kb(split?.rest)}; the heap moves with garbage collection |`,
    `| … median of the ${idle.bytesPerConnectionSteps.length} step slopes | ${kb(idle.bytesPerConnectionMedian)} | steps: ${idle.bytesPerConnectionSteps.map(kb).join(', ')} |`,
    `| open a stream (p50 / p95 / p99) | ${ms(idle.openStreamMs.p50)} / ${ms(idle.openStreamMs.p95)} / ${ms(idle.openStreamMs.p99)} | while the others are open |`,
    `| /healthz with every stream open | ${ms(idle.healthzMsWithAllOpen)} | |`,
    '',
    '**Where it goes.** Most of it is JavaScript heap (the rest: native memory, such as the sockets’ and the HTTP parser’s): per stream the socket and Node’s HTTP objects',
    '(Socket, IncomingMessage, ServerResponse, the parser, the request and response head strings),',
    'the request wrapper @hono/node-server keeps for the close handler, the feed (its closures, the',
    'snapshot it last sent) and two timers (keep-alive, token expiry). Events are written to the socket',
    'directly (`events/sse-sink.ts`): a web ReadableStream, TransformStream, writer and reader loop per',
    'stream, and the request context they kept, were about half of it (heap snapshots of 1,000 idle',
    'streams: 43.7 KB of heap each with them, 20.6 KB without).',
    '',
  );
  return `${lines.join('\n')}\n`;
}
