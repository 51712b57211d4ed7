import type { TaskSnapshot } from '../contract/index.js';
import type { ConnectionState } from '../transports/transport.js';
import type { TaskState } from './task-state.js';

/**
 * Something that happened to a task store; the same shape as a transport's `TaskStreamEvent`, so a
 * subscription feeds the reducer directly.
 *
 * @example
 * const event: TaskEvent = { type: 'connection', connection: 'reconnecting' };
 */
export type TaskEvent =
  /** A full read of the task (a GET, or the first event of a (re)subscription). */
  | { type: 'snapshot'; task: TaskSnapshot }
  /** A change pushed by the transport. */
  | { type: 'task'; task: TaskSnapshot }
  | { type: 'connection'; connection: ConnectionState }
  /** The task cannot be followed (not found, not allowed); the snapshot stays as it was. */
  | { type: 'error'; error: Error };

/**
 * Pure state machine of a task store. A snapshot or update is applied only when its `version` is
 * newer than the state's, so duplicates and replays after a reconnect change nothing; `completed`
 * and `cancelled` never change again; `failed` changes only to a newer version (a retry).
 * Returns the same object when nothing changed, so stores do not notify.
 *
 * @example
 * state = reduceTask(state, { type: 'task', task: incoming });
 */
export function reduceTask(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'snapshot':
    case 'task':
      return mergeSnapshot(state, event.task);
    case 'connection':
      return state.connection === event.connection ? state : { ...state, connection: event.connection };
    case 'error':
      return state.problem === event.error ? state : { ...state, problem: event.error };
    default: {
      const unhandled: never = event; // a new event type must be handled above
      return unhandled;
    }
  }
}

// Whole snapshots replace whole snapshots: a field the server adds (e.g. the partial text of a
// reply being written) flows through without a change here, and it is versioned like the rest.
function mergeSnapshot(state: TaskState, task: TaskSnapshot): TaskState {
  if (task.id !== state.id) return state;
  // `completed` and `cancelled` are final; `failed` is not: `retry` moves it back to `pending`.
  if (state.loaded && (task.version <= state.version || state.status === 'completed' || state.status === 'cancelled')) return state;
  return { ...task, loaded: true, connection: state.connection, problem: null };
}
