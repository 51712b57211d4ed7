import type { AsyncTaskRow } from '../db/tables.js';
import type { ServerDatabase } from '../db/types.js';

export type CancelState = Pick<AsyncTaskRow, 'cancel_requested' | 'version'>;

/** Reads a task's `cancel_requested` and `version`; null when the row is gone. */
export type CancelReads = (taskId: string) => Promise<CancelState | null>;

/**
 * Cancel checks of many tasks in one statement: every check asked for before the next turn of
 * the event loop shares one read. Each change of a task the runner works on is a notification
 * its attempt checks for a cancel request, so under load this is one query for all of them
 * instead of one transaction each.
 *
 * @example
 * const cancelReads = createCancelReads(db);
 * const state = await cancelReads(taskId); // { cancel_requested, version } or null
 */
export function createCancelReads(db: ServerDatabase): CancelReads {
  let batch: Map<string, Array<{ resolve(state: CancelState | null): void; reject(error: unknown): void }>> | null = null;

  async function flush() {
    const waiting = batch!;
    batch = null;
    try {
      // One statement, one round trip, as the server's own login role (it owns the schema: it
      // migrates it); the worker role reads no task rows directly.
      const { rows } = await db.query<CancelState & { id: string }>(
        'select id, cancel_requested, version from public.async_tasks where id = any($1::uuid[])',
        [[...waiting.keys()]],
      );
      const byId = new Map(rows.map((r) => [r.id, { cancel_requested: r.cancel_requested, version: r.version }]));
      for (const [id, callers] of waiting) for (const c of callers) c.resolve(byId.get(id) ?? null);
    } catch (error) {
      for (const callers of waiting.values()) for (const c of callers) c.reject(error);
    }
  }

  return (taskId) =>
    new Promise((resolve, reject) => {
      if (!batch) {
        batch = new Map();
        setImmediate(() => void flush());
      }
      const callers = batch.get(taskId);
      if (callers) callers.push({ resolve, reject });
      else batch.set(taskId, [{ resolve, reject }]);
    });
}
