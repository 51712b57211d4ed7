/**
 * How reconnects and retries wait.
 *
 * @example
 * createHttpTransport({ baseUrl: '', backoff: { baseMs: 250, capMs: 10_000 } satisfies BackoffOptions });
 */
export interface BackoffOptions {
  /** Delay of the first retry before jitter, in ms. */
  baseMs?: number;
  /** Upper bound of any delay, in ms. */
  capMs?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * Capped exponential backoff with jitter: the nominal delay `min(cap, base * 2^attempt)` is
 * scattered over `[nominal / 2, nominal]`, so many clients cut off together do not reconnect
 * together, while the wait still grows. `attempt` starts at 0.
 *
 * @example
 * setTimeout(reconnect, backoffDelay(failures, { baseMs: 500, capMs: 30_000 }));
 */
export function backoffDelay(attempt: number, { baseMs = 500, capMs = 30_000, random = Math.random }: BackoffOptions = {}): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const nominal = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.round(nominal / 2 + (nominal / 2) * random());
}
