/** One count a request makes: `cost` hits (default 1) under `key`, allowed up to `limit` per window. */
export interface RateLimitHit {
  key: string;
  limit: number;
  cost?: number;
}

/**
 * Counts requests in fixed windows (one minute by default) from each key's first hit.
 * `hit` counts all of a request's keys at once and resolves with the seconds until the last
 * over-limit window ends, or null when every key is within its limit. Refused requests count
 * too; they never extend a window.
 */
export interface RateLimiter {
  hit(hits: readonly RateLimitHit[]): Promise<number | null>;
}
