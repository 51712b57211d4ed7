import type { TaskSnapshot } from '../contract/index.js';
import type { ReadableAtom } from 'nanostores';
import { createIdempotencyKey } from '../common/idempotency-key.js';
import type { Transport } from '../transports/transport.js';
import type { TaskState } from './task-state.js';
import { createTaskStore, type TaskStore } from './task-store.js';

/**
 * Options of `client.create`.
 *
 * @example
 * const options: CreateTaskOptions = { idempotencyKey: savedKey, maxAttempts: 5, timeoutSeconds: 300 };
 */
export interface CreateTaskOptions {
  /** Reuse a key to make a retried create return the same task. Default: a fresh UUID. */
  idempotencyKey?: string;
  maxAttempts?: number;
  timeoutSeconds?: number;
}

/**
 * The framework-free task API.
 *
 * @example
 * const client: TaskClient = createTaskClient({ transport });
 * await client.cancel(taskId);
 */
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
