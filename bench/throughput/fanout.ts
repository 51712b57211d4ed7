// What one notification costs the event hub with 100 and with 10,000 idle subscribers on other
// conversations (and, for comparison, the same subscribers each filtering every event, as a hub
// without an index would make them). In process, no database: the hub's own delivery cost.
// Prints one JSON line (the last) for bench/run.mjs.
import { randomUUID } from 'node:crypto';
import { createEventHub } from '../../packages/server/src/events/event-hub.js';

const EVENTS = Number(process.env.BENCH_FANOUT_EVENTS ?? 20_000);

function measure(idle: number, scoped: boolean) {
  const hub = createEventHub();
  const watched = randomUUID();
  let delivered = 0;
  // The watched conversation's own stream, and `idle` streams of other conversations.
  const streams = [watched, ...Array.from({ length: idle }, () => randomUUID())];
  for (const conversationId of streams)
    hub.subscribe(
      {
        onEvent: (e) => {
          if (e.conversation_id !== conversationId) return;
          delivered += 1;
        },
      },
      scoped ? { conversationId } : {},
    );
  const event = { table: 'async_tasks' as const, id: randomUUID(), owner_id: null, conversation_id: watched, version: null, seq: 1 };
  for (let i = 0; i < 1000; i += 1) hub.emit(event); // warm up
  delivered = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i += 1) hub.emit(event);
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  if (delivered !== EVENTS) throw new Error(`delivered ${delivered} of ${EVENTS}`);
  return {
    idle,
    scoped,
    cpuMicrosPerEvent: +((used.user + used.system) / EVENTS).toFixed(3),
    wallMicrosPerEvent: +((wallMs * 1000) / EVENTS).toFixed(3),
  };
}

const rows = [measure(100, true), measure(10_000, true), measure(100, false), measure(10_000, false)];
for (const r of rows) console.log(`${r.scoped ? 'indexed' : 'every subscriber'}, ${r.idle} idle: ${r.cpuMicrosPerEvent} µs CPU per event`);
console.log(JSON.stringify({ fanout: { events: EVENTS, rows } }));
