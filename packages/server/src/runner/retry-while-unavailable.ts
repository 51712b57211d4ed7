import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';

/**
 * Runs `call`, and while it fails because the database cannot be reached (a restart, a failover)
 * tries again with capped backoff until `giveUp()` says stop. A runner that already has the LLM's
 * reply in hand should save it once the database is back, not drop it and pay for it again.
 *
 * @example
 * await retryWhileUnavailable(() => db.asWorker(complete), { giveUp: () => Date.now() > deadline });
 */
export async function retryWhileUnavailable<T>(
  call: () => Promise<T>,
  { giveUp, firstDelayMs = 200, maxDelayMs = 2000 }: { giveUp: () => boolean; firstDelayMs?: number; maxDelayMs?: number },
): Promise<T> {
  for (let delay = firstDelayMs; ; delay = Math.min(maxDelayMs, delay * 2)) {
    try {
      return await call();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || giveUp()) throw error;
      await sleep(delay * (0.5 + Math.random() / 2));
    }
  }
}
