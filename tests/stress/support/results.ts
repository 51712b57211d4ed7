import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Size knobs: CI size by default, `pnpm bench` sets the full size through the environment. */
export const sizes = {
  visitors: Number(process.env.STRESS_VISITORS ?? 200),
  spreadMs: Number(process.env.STRESS_SPREAD_MS ?? 20_000),
  idleSubscribers: Number(process.env.STRESS_IDLE_SUBSCRIBERS ?? 300),
  /** Streamed replies: how many at once, how long, and how fast the fake model writes them. */
  streaming: {
    replies: Number(process.env.STRESS_STREAMING_REPLIES ?? 20),
    replyChars: Number(process.env.STRESS_STREAMING_REPLY_CHARS ?? 400),
    chunkChars: Number(process.env.STRESS_STREAMING_CHUNK_CHARS ?? 4),
    chunksPerSecond: Number(process.env.STRESS_STREAMING_CHUNKS_PER_SECOND ?? 50),
    /** The server's STREAM_FLUSH_INTERVAL_MS (its default). */
    flushIntervalMs: Number(process.env.STRESS_STREAM_FLUSH_INTERVAL_MS ?? 100),
  },
};

/** Writes figures for `bench/run.mjs` when STRESS_RESULTS_DIR is set; prints them always. */
export function report(name: string, figures: Record<string, unknown>): void {
  console.log(`[stress] ${name}: ${JSON.stringify(figures)}`);
  const dir = process.env.STRESS_RESULTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(figures, null, 2));
}
