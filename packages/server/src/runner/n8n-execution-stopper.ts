import type { Logger } from 'pino';
import type { AsyncTaskRow } from '../db/tables.js';

/** Stops the n8n execution working on a task the visitor cancelled. Never throws. */
export type ExecutionStopper = (task: Pick<AsyncTaskRow, 'id' | 'status' | 'cancel_requested' | 'execution_id'>) => Promise<void>;

const STOP_TIMEOUT_MS = 5_000;

/**
 * With `N8N_API_URL` and `N8N_API_KEY` set, a cancel request stops the task's running n8n
 * execution through n8n's public API (`POST /api/v1/executions/{id}/stop`, in n8n versions that
 * have it). Without them — or on n8n 1.x, whose public API cannot stop executions — the
 * workflow still learns of the cancel from the task row: its next worker call returns false and
 * no reply is saved.
 *
 * @example
 * const stop = createN8nExecutionStopper({ api: config.n8nApi, logger });
 * await stop(taskRow); // no-op unless the row is cancel-requested, processing and has an execution id
 */
export function createN8nExecutionStopper({
  api,
  logger,
  fetch: fetchImpl = fetch,
}: {
  api: { url: string; key: string } | null;
  logger: Logger;
  fetch?: typeof fetch;
}): ExecutionStopper {
  return async (task) => {
    const executionId = task.execution_id;
    if (!api || !task.cancel_requested || task.status !== 'processing' || !executionId) return;
    const log = { taskId: task.id, executionId };
    try {
      const res = await fetchImpl(`${api.url}/api/v1/executions/${encodeURIComponent(executionId)}/stop`, {
        method: 'POST',
        headers: { 'x-n8n-api-key': api.key, accept: 'application/json' },
        signal: AbortSignal.timeout(STOP_TIMEOUT_MS),
      });
      if (res.ok) logger.info(log, 'n8n execution stopped');
      else logger.warn({ ...log, status: res.status }, 'n8n did not stop the execution; the task ends at its next worker call');
    } catch (error) {
      logger.warn({ ...log, err: error }, 'could not reach the n8n API to stop the execution');
    }
  };
}
