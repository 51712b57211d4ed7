/**
 * Where a task is in its life. `completed` and `cancelled` are final; `failed` is left only by a retry.
 *
 * @example
 * const done = (status: TaskStatus) => status === 'completed' || status === 'cancelled';
 */
export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

/**
 * Why a task failed, as the server stores it. `retryable`: the failure is transient. On a `pending`
 * task the worker retries by itself; on a `failed` one the automatic attempts are used up and it
 * means a manual retry is worth offering.
 *
 * @example
 * const offerRetry = (error: TaskError | null) => error?.retryable === true;
 */
export interface TaskError {
  code: string;
  message: string;
  retryable: boolean;
  details?: unknown;
}

/**
 * A task row as the server sends it (camelCase on the wire).
 *
 * @example
 * const task: TaskSnapshot = await client.get(id);
 */
export interface TaskSnapshot {
  id: string;
  kind: string;
  conversationId: string | null;
  status: TaskStatus;
  statusMessage: string | null;
  /**
   * What the current attempt has written so far while a reply streams; null before the first
   * words, after a retry starts over, and once the task completes (the result, and for a chat
   * reply the assistant message, then hold the text). A failed or cancelled task keeps it.
   */
  partialText: string | null;
  result: unknown | null;
  error: TaskError | null;
  attempt: number;
  maxAttempts: number;
  cancelRequested: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
  deadlineAt: string | null;
  /**
   * A chat reply made by a regenerate or an edit: the task whose reply this one replaces (kept,
   * but no longer part of the thread). Null otherwise; absent from servers before it existed.
   */
  replacesTaskId?: string | null;
}

/**
 * Input of `POST /api/tasks`.
 *
 * @example
 * await transport.createTask({ kind: 'email.draft', input: { to }, idempotencyKey: createIdempotencyKey() } satisfies CreateTaskInput);
 */
export interface CreateTaskInput {
  kind: string;
  input: unknown;
  idempotencyKey: string;
  maxAttempts?: number;
  timeoutSeconds?: number;
}

/**
 * Whether a task is still being worked on (`pending` or `processing`).
 *
 * @example
 * if (isActive(task.status)) showIndicator(task.statusMessage);
 */
export function isActive(status: TaskStatus): boolean {
  return status === 'pending' || status === 'processing';
}

/**
 * Whether a task has stopped moving: done for good (`completed`, `cancelled`) or failed (until
 * someone retries it).
 *
 * @example
 * if (isTerminal(task.status)) unsubscribe();
 */
export function isTerminal(status: TaskStatus): boolean {
  return !isActive(status);
}
