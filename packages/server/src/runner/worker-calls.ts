import type { Queryable, ServerDatabase } from '../db/types.js';

// The worker functions of contracts.md §1, called as `async_worker`. Each returns false when the
// call is for another attempt or the task moved on; then nothing changed.

const bool = async (tx: Queryable, sql: string, params: unknown[]) => {
  const { rows } = await tx.query<{ ok: boolean }>(sql, params);
  return rows[0]?.ok === true;
};

export const taskStart = (tx: Queryable, id: string, attempt: number, message: string | null, executionId: string | null = null) =>
  bool(tx, 'select public.task_start($1::uuid, $2::int, $3::text, $4::text) as ok', [id, attempt, executionId, message]);

export const taskProgress = (tx: Queryable, id: string, attempt: number, message: string) =>
  bool(tx, 'select public.task_progress($1::uuid, $2::int, $3::text) as ok', [id, attempt, message]);

/** Appends `text` to the reply written so far (or, with `replace`, starts it over with `text`). */
export const taskOutput = (tx: Queryable, id: string, attempt: number, text: string, replace = false) =>
  bool(tx, 'select public.task_output($1::uuid, $2::int, $3::text, $4::boolean) as ok', [id, attempt, text, replace]);

export const taskComplete = (tx: Queryable, id: string, attempt: number, result: unknown) =>
  bool(tx, 'select public.task_complete($1::uuid, $2::int, $3::jsonb) as ok', [id, attempt, JSON.stringify(result)]);

export const taskFail = (
  tx: Queryable,
  id: string,
  attempt: number,
  error: { code: string; message: string; retryable?: boolean; details?: unknown },
) =>
  bool(tx, 'select public.task_fail($1::uuid, $2::int, $3::text, $4::text, $5::boolean, $6::jsonb) as ok', [
    id,
    attempt,
    error.code,
    error.message,
    error.retryable ?? true,
    error.details === undefined ? null : JSON.stringify(error.details),
  ]);

/** Acknowledges a cancel request; `partialText`, when given, is the text the stopped reply keeps. */
export const taskCancel = (tx: Queryable, id: string, attempt: number, partialText: string | null = null) =>
  bool(tx, 'select public.task_cancel($1::uuid, $2::int, $3::text) as ok', [id, attempt, partialText]);

export type WorkerCall =
  | { type: 'start'; attempt: number; statusMessage?: string | null; executionId?: string | null }
  | { type: 'progress'; attempt: number; statusMessage: string }
  | { type: 'output'; attempt: number; text: string; replace?: boolean }
  | { type: 'complete'; attempt: number; result: unknown }
  | { type: 'fail'; attempt: number; error: { code: string; message: string; retryable?: boolean; details?: unknown } }
  | { type: 'cancel'; attempt: number; partialText?: string };

/** Applies one callback as the worker role. */
export function runWorkerCall(db: ServerDatabase, id: string, call: WorkerCall): Promise<boolean> {
  return db.asWorker((tx) => {
    switch (call.type) {
      case 'start':
        return taskStart(tx, id, call.attempt, call.statusMessage ?? null, call.executionId ?? null);
      case 'progress':
        return taskProgress(tx, id, call.attempt, call.statusMessage);
      case 'output':
        return taskOutput(tx, id, call.attempt, call.text, call.replace ?? false);
      case 'complete':
        return taskComplete(tx, id, call.attempt, call.result);
      case 'fail':
        return taskFail(tx, id, call.attempt, call.error);
      case 'cancel':
        return taskCancel(tx, id, call.attempt, call.partialText ?? null);
      default: {
        const never: never = call;
        throw new Error(`unknown worker call ${JSON.stringify(never)}`);
      }
    }
  });
}
