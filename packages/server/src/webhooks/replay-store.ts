import type { ServerDatabase } from '../db/types.js';
import { TOLERANCE_SECONDS } from './standard-webhooks.js';

/** Remembers delivered webhook ids for the tolerance window; `seen` records and answers. */
export interface ReplayStore {
  /** True when `id` was already accepted (a replay); otherwise records it. */
  seen(id: string): Promise<boolean>;
}

/**
 * Replay store shared by every instance: `webhook_delivery_record(id)` in the database (service
 * role) records the id and says whether it was new. Ids are kept for twice the tolerance window.
 *
 * @example
 * const replayStore = createDatabaseReplayStore(db);
 */
export function createDatabaseReplayStore(db: ServerDatabase): ReplayStore {
  return {
    async seen(id) {
      const { rows } = await db.asService((tx) =>
        tx.query<{ fresh: boolean }>('select public.webhook_delivery_record($1::text, $2::int) as fresh', [id, 2 * TOLERANCE_SECONDS]),
      );
      return rows[0]?.fresh !== true;
    },
  };
}
