import { TOLERANCE_SECONDS } from './standard-webhooks.js';

/** Remembers delivered webhook ids for the tolerance window; `seen` records and answers. */
export interface ReplayStore {
  /** True when `id` was already accepted (a replay); otherwise records it. */
  seen(id: string): Promise<boolean>;
}

/**
 * Per-process replay store. With several instances a replay could reach another instance
 * within the window; a database table closes that gap (requested in docs/internals/requests.md).
 */
export function createMemoryReplayStore({ windowMs = 2 * TOLERANCE_SECONDS * 1000, now = Date.now } = {}): ReplayStore {
  const ids = new Map<string, number>();
  return {
    async seen(id) {
      const t = now();
      for (const [k, at] of ids) {
        if (t - at <= windowMs) break; // insertion order: the rest are newer
        ids.delete(k);
      }
      if (ids.has(id)) return true;
      ids.set(id, t);
      return false;
    },
  };
}
