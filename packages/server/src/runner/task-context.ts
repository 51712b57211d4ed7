import type { Logger } from 'pino';
import type { AsyncTaskRow } from '../db/tables.js';
import type { Queryable, ServerDatabase } from '../db/types.js';
import type { EventHub } from '../events/event-hub.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { type CancelReads, createCancelReads } from './cancel-reads.js';
import { createOutputReporter, type OutputReporter } from './output-reporter.js';
import type { BatchedCall, WorkerCallBatches } from './worker-call-batches.js';
import { retryWhileUnavailable } from './retry-while-unavailable.js';
import { taskCancel, taskComplete, taskFail, taskOutput, taskProgress, taskStart } from './worker-calls.js';

/** Why an attempt's signal fired; `stale`: the database refused a write (the attempt is over). */
export type AbortCause = 'deadline' | 'cancelled' | 'shutdown' | 'stale';

/** Thrown by a step whose attempt is no longer current (cancelled, swept, taken over). */
export class StaleAttemptError extends Error {
  constructor() {
    super('the task attempt is no longer current');
    this.name = 'StaleAttemptError';
  }
}

/**
 * One attempt of a claimed task as the runner sees it: worker calls bound to (id, attempt), and an
 * AbortSignal that fires at the deadline, on a cancel request, on shutdown, or when a streamed
 * write is refused.
 */
export function createTaskContext<Task extends Pick<AsyncTaskRow, 'id' | 'attempt' | 'deadline_at'> = AsyncTaskRow>({
  db,
  hub,
  logger,
  task,
  now = Date.now,
  streamFlushIntervalMs = 100,
  metrics,
  cancelReads = createCancelReads(db),
  calls,
}: {
  db: ServerDatabase;
  hub: EventHub;
  logger: Logger;
  /** The claimed row (`task_claim`); handlers read their input from it. */
  task: Task;
  now?: () => number;
  /** How often a streamed reply is written at most (`STREAM_FLUSH_INTERVAL_MS`). */
  streamFlushIntervalMs?: number;
  /** Counts the streamed-reply writes. */
  metrics?: Pick<ServerMetrics, 'taskOutputWritten'>;
  /** How cancel checks read the row; a runner shares one, so concurrent checks share a query. */
  cancelReads?: CancelReads;
  /** How start, status, streamed text and the result are written; a runner batches them (worker-call-batches.ts). */
  calls?: WorkerCallBatches;
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
  // The steps before the result (start, status lines, streamed text) are one statement each,
  // its own commit: one round trip where the database offers it, no transaction around it.
  const statements: Queryable | null = db.asWorkerStatement
    ? { query: <R>(sql: string, params?: unknown[]) => db.asWorkerStatement!<R>(sql, params) }
    : null;
  const step = <T>(fn: (tx: Queryable) => Promise<T>) => retried(() => (statements ? fn(statements) : db.asWorker(fn)));
  const conversationId = (task as { conversation_id?: string | null }).conversation_id ?? null;
  /** A write: in the runner's shared batches when it has them, else on its own. */
  const write = (call: BatchedCall, alone: (tx: Queryable) => Promise<boolean>) =>
    calls ? retried(() => calls({ ...call, conversationId })) : step(alone);

  /** The newest version of the row a cancel check has read. */
  let checkedVersion = 0;
  const checkCancel = async () => {
    const row = await retried(() => cancelReads(id));
    checkedVersion = Math.max(checkedVersion, row?.version ?? 0);
    // A task that is gone (its conversation was deleted) is stopped as a cancelled one.
    if (!row || row.cancel_requested) abort('cancelled');
  };

  // Every change of the task is a notification, and a streamed reply makes several a second (its
  // own writes): one check at a time, and after it one more only for a notification that came
  // while it ran and named a version it did not read (or none). A check answers every
  // notification that came before it began, whatever it read (a deleted row reads nothing).
  let newestNoticed = 0;
  let unversioned = false;
  let checking: Promise<void> | null = null;
  const watch = () => {
    if (cause || checking || (!unversioned && newestNoticed <= checkedVersion)) return;
    const answers = newestNoticed;
    unversioned = false;
    checking = checkCancel()
      .catch((e: unknown) => logger.warn({ err: e, taskId: id }, 'cancel check failed'))
      .finally(() => {
        checkedVersion = Math.max(checkedVersion, answers);
        checking = null;
        watch();
      });
  };
  const unsubscribe = hub.subscribe(
    {
      onEvent: (event) => {
        if (event.table !== 'async_tasks' || event.id !== id) return;
        if (event.version === null) unversioned = true;
        else newestNoticed = Math.max(newestNoticed, event.version);
        watch();
      },
    },
    { taskId: id },
  );

  /**
   * One piece of the streamed reply (`task_output`). False means the attempt is no longer live or a
   * cancel was requested: the signal fires (cause `cancelled` when a cancel was requested, else
   * `stale`) so the model call stops, and the runner takes the matching path.
   */
  const output = async (text: string, { replace = false }: { replace?: boolean } = {}) => {
    const ok = await write({ type: 'output', id, attempt, text, replace }, (tx) => taskOutput(tx, id, attempt, text, replace));
    metrics?.taskOutputWritten(ok);
    if (!ok) {
      await checkCancel().catch((e: unknown) => logger.warn({ err: e, taskId: id }, 'cancel check failed'));
      abort('stale');
    }
    return ok;
  };
  let reporter: OutputReporter | null = null;

  const ensure = (ok: boolean) => {
    if (!ok) throw new StaleAttemptError();
  };
  /** When `task_start` accepted the attempt (ms since the epoch). */
  let startedAt: number | null = null;

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
    start: async (message: string) => {
      ensure(await write({ type: 'start', id, attempt, message }, (tx) => taskStart(tx, id, attempt, message)));
      startedAt ??= now();
    },
    /**
     * Reads what the work needs, each statement on its own (one round trip where the database
     * offers it), retried while the database is unreachable. The worker's reads see nothing once
     * the attempt is not live.
     */
    read: step,
    /** When the attempt started (`task_start` accepted it), null before. */
    get startedAt() {
      return startedAt;
    },
    progress: async (message: string) =>
      ensure(await write({ type: 'progress', id, attempt, message }, (tx) => taskProgress(tx, id, attempt, message))),
    output,
    /**
     * A reporter that streams this attempt's reply through {@link output}, coalesced (see
     * output-reporter.ts). Its text is what a Stop keeps ({@link outputText}).
     */
    openOutput(): OutputReporter {
      reporter = createOutputReporter({ writer: { output }, flushIntervalMs: streamFlushIntervalMs, now });
      return reporter;
    },
    /** The text the attempt's reply reached so far (written or not); null when it streamed nothing. */
    get outputText(): string | null {
      return reporter?.text || null;
    },
    complete: (result: unknown) =>
      calls
        ? retried(() => calls({ type: 'complete', id, attempt, result, conversationId }))
        : worker<boolean>((tx) => taskComplete(tx, id, attempt, result)),
    fail: (error: { code: string; message: string; retryable: boolean; details?: unknown }) =>
      worker<boolean>((tx) => taskFail(tx, id, attempt, error)),
    /** Acknowledges a cancel request; `partialText` is the text the stopped reply keeps. */
    cancel: (partialText?: string | null) => worker<boolean>((tx) => taskCancel(tx, id, attempt, partialText ?? null)),
    dispose() {
      clearTimeout(deadlineTimer);
      unsubscribe();
    },
  };
}

export type TaskContext = ReturnType<typeof createTaskContext<AsyncTaskRow>>;
