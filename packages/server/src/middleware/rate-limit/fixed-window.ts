/**
 * Counts hits per key in fixed one-minute windows (in memory, per process). Returns the seconds
 * to wait when over the limit, else null. A limit of 0 disables it.
 *
 * @example
 * const limiter = createFixedWindowLimiter({ limit: 20 });
 * const wait = limiter.hit('visitor:123'); // null or seconds
 */
export function createFixedWindowLimiter({
  limit,
  windowMs = 60_000,
  now = Date.now,
}: {
  limit: number;
  windowMs?: number;
  now?: () => number;
}) {
  const windows = new Map<string, { start: number; count: number }>();
  let lastPrune = now();

  return {
    hit(key: string): number | null {
      if (limit <= 0) return null;
      const t = now();
      if (t - lastPrune > windowMs) {
        for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
        lastPrune = t;
      }
      let w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count > limit ? Math.max(1, Math.ceil((w.start + windowMs - t) / 1000)) : null;
    },
  };
}
