import type { Logger } from 'pino';
import type { AsyncTaskRow } from '../db/tables.js';
import type { Queryable, ServerDatabase } from '../db/types.js';
import type { EventHub } from '../events/event-hub.js';
import { retryWhileUnavailable } from './retry-while-unavailable.js';
import { taskCancel, taskComplete, taskFail, taskProgress, taskStart } from './worker-calls.js';

export type AbortCause = 'deadline' | 'cancelled' | 'shutdown';

/** Thrown by a step whose attempt is no longer current (cancelled, swept, taken over). */
export class StaleAttemptError extends Error {
  constructor() {
    super('the task attempt is no longer current');
    this.name = 'StaleAttemptError';
  }
}

/**
 * One attempt of a claimed task as the runner sees it: worker calls bound to (id, attempt), and an
 * AbortSignal that fires at the deadline, on a cancel request, or on shutdown.
 */
export function createTaskContext<Task extends Pick<AsyncTaskRow, 'id' | 'attempt' | 'deadline_at'> = AsyncTaskRow>({
  db,
  hub,
  logger,
  task,
  now = Date.now,
}: {
  db: ServerDatabase;
  hub: EventHub;
  logger: Logger;
  /** The claimed row (`task_claim`); handlers read their input from it. */
  task: Task;
  now?: () => number;
}) {
  const { id, attempt } = task;
  const controller = new AbortController();
  let cause: AbortCause | null = null;
  const abort = (why: AbortCause) => {
    if (cause) return;
    cause = why;
    controller.abort(Object.assign(new Error(`task ${why}`), { name: why === 'deadline' ? 'TimeoutError' : 'AbortError' }));
  };

  const deadline = task.deadline_at ? task.deadline_at.getTime() : now() + 120_000;
  const deadlineTimer = setTimeout(() => abort('deadline'), Math.max(0, Math.min(2 ** 31 - 1, deadline - now())));

  // Worker calls outlive a database restart: retried until the deadline (then the sweep decides),
  // or at once on shutdown, which has its own grace period.
  const retried = <T>(call: () => Promise<T>) => retryWhileUnavailable(call, { giveUp: () => cause === 'shutdown' || now() >= deadline });
  const worker = <T>(fn: (tx: Queryable) => Promise<T>) => retried(() => db.asWorker(fn));

  const checkCancel = async () => {
    const { rows } = await retried(() =>
      db.asService((tx) =>
        tx.query<Pick<AsyncTaskRow, 'cancel_requested'>>('select cancel_requested from public.async_tasks where id = $1::uuid', [id]),
      ),
    );
    if (rows[0]?.cancel_requested) abort('cancelled');
  };
  const unsubscribe = hub.subscribe({
    onEvent: (event) => {
      if (event.table === 'async_tasks' && event.id === id)
        void checkCancel().catch((e: unknown) => logger.warn({ err: e, taskId: id }, 'cancel check failed'));
    },
  });

  const ensure = (ok: boolean) => {
    if (!ok) throw new StaleAttemptError();
  };

  return {
    id,
    attempt,
    task,
    signal: controller.signal,
    get abortCause() {
      return cause;
    },
    abort,
    checkCancel,
    /** A query as the worker role, retried while the database is unreachable. */
    asWorker: worker,
    start: async (message: string) => ensure(await worker<boolean>((tx) => taskStart(tx, id, attempt, message))),
    progress: async (message: string) => ensure(await worker<boolean>((tx) => taskProgress(tx, id, attempt, message))),
    complete: (result: unknown) => worker<boolean>((tx) => taskComplete(tx, id, attempt, result)),
    fail: (error: { code: string; message: string; retryable: boolean; details?: unknown }) =>
      worker<boolean>((tx) => taskFail(tx, id, attempt, error)),
    cancel: () => worker<boolean>((tx) => taskCancel(tx, id, attempt)),
    dispose() {
      clearTimeout(deadlineTimer);
      unsubscribe();
    },
  };
}

export type TaskContext = ReturnType<typeof createTaskContext<AsyncTaskRow>>;
