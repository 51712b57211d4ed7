import { atom, onMount, type ReadableAtom } from 'nanostores';
import type { Transport } from '../transports/transport.js';
import { type TaskEvent, reduceTask } from './reduce-task.js';
import { initialTaskState, type TaskState } from './task-state.js';

/** One task's live store and the way in for command answers. */
export interface TaskStore {
  $state: ReadableAtom<TaskState>;
  dispatch(event: TaskEvent): void;
}

/**
 * A store of one task that holds its subscription while someone listens: nanostores starts it
 * with the first listener and stops it 1 s after the last one leaves.
 */
export function createTaskStore(id: string, transport: Transport): TaskStore {
  const $state = atom<TaskState>(initialTaskState(id));
  // `.value`, not `.get()`: get() on an unmounted store mounts it for a moment, which would resubscribe.
  const dispatch = (event: TaskEvent) => $state.set(reduceTask($state.value as TaskState, event));

  onMount($state, () => {
    dispatch({ type: 'connection', connection: 'connecting' });
    const unsubscribe = transport.subscribeTask(id, dispatch);
    return () => {
      unsubscribe();
      dispatch({ type: 'connection', connection: 'offline' });
    };
  });

  return { $state, dispatch };
}
