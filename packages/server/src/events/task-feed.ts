import type { TaskSnapshot } from '@app/async-tasks/contract';
import type { Caller } from '../auth/access-token-verifier.js';
import { readTask } from '../db/queries.js';
import { toTaskSnapshot } from '../db/rows.js';
import type { ServerDatabase } from '../db/types.js';
import { coalescedReads } from './coalesced-reads.js';
import type { EventStreamOptions } from './event-stream.js';
import type { EventHub } from './event-hub.js';
import { createSerialQueue } from './serial.js';
import { taskEvent } from './task-event.js';

/**
 * Feeds a task stream: the snapshot, then the task each time it changes (re-read as the caller,
 * one read per burst of notifications), as an `output` event when only its reply's text grew.
 */
export function taskFeed({
  db,
  hub,
  caller,
  taskId,
  onError,
}: {
  db: ServerDatabase;
  hub: EventHub;
  caller: Caller;
  taskId: string;
  onError: (error: unknown) => void;
}): EventStreamOptions['start'] {
  return async (send, close) => {
    let sentSeq = -1;
    /** The snapshot this stream last carried (sent whole or patched by `output`). */
    let last: TaskSnapshot | undefined;
    let ready = false;
    let missed = false;
    // A read that failed (the database restarting, a lost connection) would leave the client
    // without that change: close instead, so it reconnects with Last-Event-ID and resumes exactly.
    const serial = createSerialQueue((error) => {
      onError(error);
      close();
    });
    const read = () => db.asUser(caller.claims, (tx) => readTask(tx, taskId));
    const reread = coalescedReads(serial);
    const refresh = () =>
      reread(taskId, async () => {
        const row = await read();
        // Gone (its conversation was deleted): nothing of it is readable any more, so the stream ends.
        if (!row) return close();
        if (row.seq <= sentSeq) return;
        sentSeq = row.seq;
        const next = toTaskSnapshot(row);
        const { event, data } = taskEvent(last, next);
        // After an output event the client holds `next` too: only version, updatedAt and text differed.
        last = next;
        send(event, data, row.seq);
      });
    const unsubscribe = hub.subscribe(
      {
        onEvent(event) {
          if (event.table !== 'async_tasks' || event.id !== taskId) return;
          if (ready) refresh();
          else missed = true;
        },
        onResync: () => refresh(),
      },
      { taskId },
    );
    await serial(async () => {
      const row = await read();
      if (!row) return;
      sentSeq = row.seq;
      last = toTaskSnapshot(row);
      send('snapshot', last, row.seq);
    });
    ready = true;
    if (missed) refresh();
    return unsubscribe;
  };
}
