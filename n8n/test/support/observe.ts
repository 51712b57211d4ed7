import { isTerminal as isTerminalStatus, type TaskStatus } from '@app/async-tasks/contract';
import type pg from 'pg';
import { vi } from 'vitest';

export interface TaskRow {
  id: string;
  status: TaskStatus;
  status_message: string | null;
  attempt: number;
  max_attempts: number;
  error: { code: string; message: string; retryable: boolean; details?: Record<string, unknown> } | null;
  execution_id: string | null;
  cancel_requested: boolean;
  conversation_id: string | null;
  partial_text: string | null;
}

export async function readTask(admin: pg.Pool, taskId: string): Promise<TaskRow> {
  const { rows } = await admin.query<TaskRow>('select * from public.async_tasks where id = $1', [taskId]);
  if (!rows[0]) throw new Error(`task ${taskId} not found`);
  return rows[0];
}

/** Polls the task row until `done` holds (generous timeout: n8n on a busy 2-core machine). */
export async function waitForTask(admin: pg.Pool, taskId: string, done: (task: TaskRow) => boolean, timeout = 90_000): Promise<TaskRow> {
  return vi.waitFor(
    async () => {
      const task = await readTask(admin, taskId);
      if (!done(task)) throw new Error(`task ${taskId} is ${task.status} (${task.status_message ?? '-'}), attempt ${task.attempt}`);
      return task;
    },
    { timeout, interval: 200 },
  );
}

export const isTerminal = (task: TaskRow) => isTerminalStatus(task.status);

/** Every version of the task as the test trigger logged it, oldest first. */
export async function taskLog(admin: pg.Pool, taskId: string) {
  const { rows } = await admin.query<{
    status: string;
    status_message: string | null;
    attempt: number;
    error: TaskRow['error'];
    partial_text: string | null;
  }>('select status, status_message, attempt, error, partial_text from public.test_task_log where task_id = $1 order by n', [taskId]);
  return rows;
}

/** The distinct status messages in the order they were first shown. */
export async function statusMessages(admin: pg.Pool, taskId: string) {
  const seen: string[] = [];
  for (const row of await taskLog(admin, taskId)) {
    if (row.status_message && seen.at(-1) !== row.status_message) seen.push(row.status_message);
  }
  return seen;
}

export async function assistantMessages(admin: pg.Pool, taskId: string) {
  const { rows } = await admin.query<{ content: string }>(
    "select content from public.chat_messages where async_task_id = $1 and role = 'assistant'",
    [taskId],
  );
  return rows.map((r) => r.content);
}
