import type { TaskSnapshot } from '../contract/index.js';
import type { ConnectionState } from '../transports/transport.js';

/**
 * The value of a task store: the latest snapshot (merged by `version`) plus the connection state.
 * Until the first snapshot arrives `loaded` is false and the snapshot fields hold placeholders.
 *
 * @example
 * client.task(id).subscribe((state: TaskState) => state.loaded && render(state.status, state.statusMessage));
 */
export interface TaskState extends TaskSnapshot {
  loaded: boolean;
  connection: ConnectionState;
  /** Why the task could not be loaded or followed (e.g. not found); failures are state, not throws. */
  problem: Error | null;
}

/**
 * The state of a task store before its first snapshot.
 *
 * @example
 * const state = reduceTask(initialTaskState('t1'), { type: 'snapshot', task });
 */
export function initialTaskState(id: string): TaskState {
  return {
    id,
    kind: '',
    conversationId: null,
    status: 'pending',
    statusMessage: null,
    partialText: null,
    result: null,
    error: null,
    attempt: 0,
    maxAttempts: 0,
    cancelRequested: false,
    version: -1,
    createdAt: '',
    updatedAt: '',
    startedAt: null,
    finishedAt: null,
    nextAttemptAt: null,
    deadlineAt: null,
    loaded: false,
    connection: 'connecting',
    problem: null,
  };
}
