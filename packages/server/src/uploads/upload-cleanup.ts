import type { Logger } from 'pino';
import type { ServerDatabase } from '../db/types.js';
import { every } from '../runner/periodic.js';
import type { UploadStorage } from './upload-storage.js';

// Files go with their rows. Deleting an upload row (a deleted conversation cascades to it, the
// sweep deletes those never attached) deletes bytes kept in the database at once; a bucket
// object's key is queued in the same transaction, whoever deleted the row, and deleted here. A
// bucket that fails keeps the keys queued for the next run.

export interface UploadCleanup {
  /** Deletes the queued bucket objects; answers how many. Call it after deleting a conversation. */
  deleteQueuedObjects(): Promise<number>;
  /** Deletes the uploads never attached whose time ran out, then their objects. */
  sweepOnce(): Promise<{ expired: number; objectsDeleted: number }>;
  start(): void;
  stop(): Promise<void>;
}

export function createUploadCleanup({
  db,
  storage,
  logger,
  intervalMs = 60_000,
}: {
  db: ServerDatabase;
  storage: UploadStorage;
  logger: Logger;
  intervalMs?: number;
}): UploadCleanup {
  async function deleteQueuedObjects(): Promise<number> {
    if (storage.kind !== 's3') return 0;
    let deleted = 0;
    for (;;) {
      const { rows } = await db.asService((tx) => tx.query<{ key: string }>('select k as key from public.upload_objects_to_delete(500) k'));
      if (rows.length === 0) return deleted;
      const keys = rows.map((r) => r.key);
      await storage.remove(keys);
      await db.asService((tx) => tx.query('select public.upload_objects_deleted($1::text[])', [keys]));
      deleted += keys.length;
      if (rows.length < 500) return deleted;
    }
  }

  async function sweepOnce() {
    const { rows } = await db.asWorker((tx) => tx.query<{ n: number }>('select public.upload_sweep() as n'));
    const expired = rows[0]?.n ?? 0;
    const objectsDeleted = await deleteQueuedObjects();
    if (expired || objectsDeleted) logger.info({ expired, objectsDeleted }, 'uploads cleaned up');
    return { expired, objectsDeleted };
  }

  const timer = every(intervalMs, () =>
    sweepOnce().then(
      () => undefined,
      (error: unknown) => void logger.error({ err: error }, 'upload cleanup failed'),
    ),
  );
  return { deleteQueuedObjects, sweepOnce, start: timer.start, stop: timer.stop };
}
