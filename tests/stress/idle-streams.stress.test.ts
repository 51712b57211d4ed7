import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';
import { checkRequirement, requirements } from '@app/test-support';
import { api } from './support/api.js';
import { openIdleStream, rssBytes } from './support/idle-streams.js';
import { report, sizes } from './support/results.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { percentile } from './support/stats.js';
import { METRICS_TOKEN, scrapeMetrics } from './support/server-metrics.js';

const hasPostgres = checkRequirement(requirements.postgres);
const STREAMS_PER_VISITOR = 50;
const STEPS = 4;
/** The server's JS heap in use and its memory outside the heap (buffers, streams' backing stores), from /metrics. */
async function heapAndExternal(baseUrl: string): Promise<{ heap: number; external: number }> {
  const value = await scrapeMetrics(baseUrl);
  return { heap: value('nodejs_heap_size_used_bytes'), external: value('nodejs_external_memory_bytes') };
}

// How many idle SSE subscribers one instance holds, and what each costs in server memory: the
// RSS of the server process as streams are added in steps (the median step slope per stream).
describe.runIf(hasPostgres)(`${sizes.idleSubscribers} idle SSE subscribers on one instance`, () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    server = await startServerProcess({
      databaseUrl: database.url,
      llmUrl: llm.url,
      env: { MAX_STREAMS_PER_VISITOR: String(STREAMS_PER_VISITOR), METRICS_TOKEN },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await llm?.close();
    await database?.drop();
  });

  it('holds them all open, keeps answering, and reports memory per connection', async () => {
    const http = api(server.baseUrl);
    const pid = server.process.child.pid!;
    const targets: Array<{ token: string; taskId: string }> = [];
    for (let i = 0; i < Math.ceil(sizes.idleSubscribers / STREAMS_PER_VISITOR); i += 1) {
      const { token } = await http.visitor();
      // A generic task nobody works on: its stream stays idle.
      const task = await http.call('POST', '/api/tasks', { token, json: { kind: 'bench.idle', input: {}, idempotencyKey: `idle-${i}` } });
      targets.push({ token, taskId: task.json.id });
    }
    const streams: Array<{ close(): void; alive(): boolean }> = [];
    await sleep(1000);
    const rss = [await rssBytes(pid)];
    const inside = [await heapAndExternal(server.baseUrl)];
    const perStep = Math.ceil(sizes.idleSubscribers / STEPS);
    const openMs: number[] = [];
    for (let step = 0; step < STEPS; step += 1) {
      const batch = Math.min(perStep, sizes.idleSubscribers - streams.length);
      for (let i = 0; i < batch; i += 25) {
        const opened = await Promise.all(
          Array.from({ length: Math.min(25, batch - i) }, async (_, j) => {
            const n = streams.length + j;
            const target = targets[Math.floor(n / STREAMS_PER_VISITOR)]!;
            const t0 = performance.now();
            const s = await openIdleStream(server.baseUrl, `/api/tasks/${target.taskId}/stream`, target.token);
            openMs.push(performance.now() - t0);
            return s;
          }),
        );
        streams.push(...opened);
      }
      await sleep(1500);
      rss.push(await rssBytes(pid));
      inside.push(await heapAndExternal(server.baseUrl));
    }
    // With every stream open the server still answers requests promptly.
    const t0 = performance.now();
    const health = await http.call('GET', '/healthz');
    const healthMs = performance.now() - t0;
    const alive = streams.filter((s) => s.alive()).length;
    for (const s of streams) s.close();

    const slopes = rss.slice(1).map((r, i) => (r - rss[i]!) / perStep);
    // Where it goes: the whole change over the run per stream, split into the JS heap, memory
    // outside it that V8 knows of, and the rest of RSS (sockets, the HTTP parser, malloc).
    const per = (a: number, b: number) => Math.round((b - a) / streams.length);
    const split = {
      rss: per(rss[0]!, rss.at(-1)!),
      jsHeap: per(inside[0]!.heap, inside.at(-1)!.heap),
      external: per(inside[0]!.external, inside.at(-1)!.external),
    };
    const figures = {
      subscribers: streams.length,
      alive,
      rssBeforeMb: +(rss[0]! / 2 ** 20).toFixed(1),
      rssAfterMb: +(rss.at(-1)! / 2 ** 20).toFixed(1),
      bytesPerConnectionMedian: Math.round(percentile(slopes, 50)),
      bytesPerConnectionSteps: slopes.map(Math.round),
      bytesPerConnectionSplit: { ...split, rest: split.rss - split.jsHeap - split.external },
      openStreamMs: {
        p50: Math.round(percentile(openMs, 50)),
        p95: Math.round(percentile(openMs, 95)),
        p99: Math.round(percentile(openMs, 99)),
      },
      healthzMsWithAllOpen: Math.round(healthMs),
    };
    report('idle-sse-subscribers', figures);
    expect(alive).toBe(sizes.idleSubscribers);
    expect(health.status).toBe(200);
  });
});
