import type { Caller } from '../auth/access-token-verifier.js';
import { readTask } from '../db/queries.js';
import { toTaskSnapshot } from '../db/rows.js';
import type { ServerDatabase } from '../db/types.js';
import type { EventStreamOptions } from './event-stream.js';
import type { EventHub } from './event-hub.js';
import { createSerialQueue } from './serial.js';

/** Feeds a task stream: the snapshot, then the task each time it changes (re-read as the caller). */
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
    let ready = false;
    let missed = false;
    // A read that failed (the database restarting, a lost connection) would leave the client
    // without that change: close instead, so it reconnects with Last-Event-ID and resumes exactly.
    const serial = createSerialQueue((error) => {
      onError(error);
      close();
    });
    const refresh = (kind: 'snapshot' | 'task') =>
      serial(async () => {
        const row = await db.asUser(caller.claims, (tx) => readTask(tx, taskId));
        if (!row) return;
        if (kind === 'task' && row.seq <= sentSeq) return;
        sentSeq = row.seq;
        send(kind, toTaskSnapshot(row), row.seq);
      });
    const unsubscribe = hub.subscribe({
      onEvent(event) {
        if (event.table !== 'async_tasks' || event.id !== taskId) return;
        if (ready) void refresh('task');
        else missed = true;
      },
      onResync: () => void refresh('task'),
    });
    await refresh('snapshot');
    ready = true;
    if (missed) void refresh('task');
    return unsubscribe;
  };
}
