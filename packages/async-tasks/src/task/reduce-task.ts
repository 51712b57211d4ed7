import type { TaskOutput, TaskSnapshot } from '../contract/index.js';
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
  /** The text of a streaming reply grew: `partialText` becomes its first `from` characters plus `text`. */
  | { type: 'output'; output: TaskOutput }
  | { type: 'connection'; connection: ConnectionState }
  /** The task cannot be followed (not found, not allowed); the snapshot stays as it was. */
  | { type: 'error'; error: Error };

/**
 * Pure state machine of a task store. A snapshot or update is applied only when its `version` is
 * newer than the state's, so duplicates and replays after a reconnect change nothing; `completed`
 * and `cancelled` never change again; `failed` changes only to a newer version (a retry).
 * An `output` grows `partialText` under the same version rule, and only on top of text at least
 * `from` long (otherwise it is ignored and the next full event repairs the state), so a replay
 * never shortens the text. Returns the same object when nothing changed, so stores do not notify.
 *
 * @example
 * state = reduceTask(state, { type: 'task', task: incoming });
 */
export function reduceTask(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'snapshot':
    case 'task':
      return mergeSnapshot(state, event.task);
    case 'output':
      return grow(state, event.output);
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

/** Whether a change of task `id` at `version` may apply: the same task, newer, and not finished for good. */
function accepts(state: TaskState, id: string, version: number): boolean {
  // `completed` and `cancelled` are final; `failed` is not: `retry` moves it back to `pending`.
  return id === state.id && !(state.loaded && (version <= state.version || state.status === 'completed' || state.status === 'cancelled'));
}

// Whole snapshots replace whole snapshots: a field the server adds flows through without a change
// here, and it is versioned like the rest.
function mergeSnapshot(state: TaskState, task: TaskSnapshot): TaskState {
  return accepts(state, task.id, task.version) ? { ...task, loaded: true, connection: state.connection, problem: null } : state;
}

// `from` counts from the text the stream last carried; any older text of this attempt is a prefix
// of it, so whatever this state holds, if it is that long its first `from` characters are the same.
function grow(state: TaskState, { taskId, version, updatedAt, from, text }: TaskOutput): TaskState {
  const before = state.partialText ?? '';
  return state.loaded && accepts(state, taskId, version) && from <= before.length
    ? { ...state, version, updatedAt, partialText: before.slice(0, from) + text }
    : state;
}
