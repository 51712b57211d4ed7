import { atom, onMount, type ReadableAtom } from 'nanostores';
import { createIdempotencyKey } from './idempotency-key.js';
import { initialTaskState, reduceTask, type TaskEvent } from './reduce-task.js';
import type { Transport } from './transport.js';
import type { TaskSnapshot, TaskState } from './types.js';

/** Options of `client.create`. */
export interface CreateTaskOptions {
  /** Reuse a key to make a retried create return the same task. Default: a fresh UUID. */
  idempotencyKey?: string;
  maxAttempts?: number;
  timeoutSeconds?: number;
}

/** The framework-free task API. */
export interface TaskClient {
  readonly transport: Transport;
  create(kind: string, input: unknown, options?: CreateTaskOptions): Promise<TaskSnapshot>;
  get(id: string): Promise<TaskSnapshot>;
  cancel(id: string): Promise<TaskSnapshot>;
  retry(id: string): Promise<TaskSnapshot>;
  /** The live store of one task: opens its subscription with the first listener. Same id → same store. */
  task(id: string): ReadableAtom<TaskState>;
}

/**
 * Creates a task client over a transport.
 *
 * @example
 * const client = createTaskClient({ transport: createHttpTransport({ baseUrl: '' }) });
 * const task = await client.create('email.draft', { to: 'a@b.c' });
 * client.task(task.id).subscribe((state) => console.log(state.status, state.statusMessage));
 */
export function createTaskClient({ transport }: { transport: Transport }): TaskClient {
  const stores = new Map<string, TaskStore>();

  // Command answers are fresh snapshots: feed them to a store that exists so the UI moves at once.
  const feed = (task: TaskSnapshot) => {
    stores.get(task.id)?.dispatch({ type: 'snapshot', task });
    return task;
  };

  return {
    transport,
    create: (kind, input, { idempotencyKey = createIdempotencyKey(), ...rest } = {}) =>
      transport.createTask({ kind, input, idempotencyKey, ...rest }).then(feed),
    get: (id) => transport.getTask(id).then(feed),
    cancel: (id) => transport.cancelTask(id).then(feed),
    retry: (id) => transport.retryTask(id).then(feed),
    task(id) {
      let store = stores.get(id);
      if (!store) {
        store = createTaskStore(id, transport);
        stores.set(id, store);
      }
      return store.$state;
    },
  };
}

interface TaskStore {
  $state: ReadableAtom<TaskState>;
  dispatch(event: TaskEvent): void;
}

function createTaskStore(id: string, transport: Transport): TaskStore {
  const $state = atom<TaskState>(initialTaskState(id));
  // `.value`, not `.get()`: get() on an unmounted store mounts it for a moment, which would resubscribe.
  const dispatch = (event: TaskEvent) => $state.set(reduceTask($state.value as TaskState, event));

  // nanostores calls this with the first listener and the returned cleanup 1 s after the last leaves.
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
