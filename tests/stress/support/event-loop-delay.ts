import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scrapeMetrics } from './server-metrics.js';

/**
 * How late an event loop ran its callbacks: what a busy process adds to every latency it measures
 * or serves (ms). Node samples with a 10 ms timer and records the time between its callbacks, so
 * the interval is taken off: 0 is an idle loop.
 */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** Measures this process's event-loop delay from now until `stop()` (ms). */
const RESOLUTION_MS = 10;
const late = (ms: number) => +Math.max(0, ms - RESOLUTION_MS).toFixed(1);

export function watchOwnEventLoop(): { stop(): LoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const ms = (ns: number) => late(ns / 1e6);
      return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
    },
  };
}

/**
 * The server's event-loop delay from its `/metrics` (prom-client's default metrics, sampled the
 * same way, which start over at every scrape): scrape once before the work, and this after it
 * gives the work's (ms).
 */
export async function serverEventLoopDelay(baseUrl: string): Promise<LoopDelay> {
  const value = await scrapeMetrics(baseUrl);
  const ms = (name: string) => late(value(name) * 1000);
  return {
    p50: ms('nodejs_eventloop_lag_p50_seconds'),
    p99: ms('nodejs_eventloop_lag_p99_seconds'),
    max: ms('nodejs_eventloop_lag_max_seconds'),
  };
}
