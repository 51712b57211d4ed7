import type { RateLimiter } from './limiter.js';

/**
 * The same fixed windows as the database limiter, in this process's memory: for a single
 * process that has no database to share (and for tests on a clock they move). Several
 * instances each counting in memory would allow N times the limit.
 *
 * @example
 * const limiter = createMemoryRateLimiter({ now: () => clock.now });
 * await limiter.hit([{ key: 'visitor:123', limit: 20 }]); // null or seconds
 */
export function createMemoryRateLimiter({
  windowMs = 60_000,
  now = Date.now,
}: {
  windowMs?: number;
  now?: () => number;
} = {}): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastPrune = now();

  return {
    async hit(hits) {
      const t = now();
      if (t - lastPrune > windowMs) {
        for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
        lastPrune = t;
      }
      let wait: number | null = null;
      for (const { key, limit, cost = 1 } of hits) {
        let w = windows.get(key);
        if (!w || t - w.start >= windowMs) {
          w = { start: t, count: 0 };
          windows.set(key, w);
        }
        w.count += cost;
        if (w.count > limit) wait = Math.max(wait ?? 1, Math.ceil((w.start + windowMs - t) / 1000));
      }
      return wait;
    },
  };
}
