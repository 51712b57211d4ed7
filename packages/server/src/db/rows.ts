import type { Row } from './types.js';

// Rows on the wire are camelCase (contracts.md §2). Rows arrive either from a query (Date
// objects, bigint as string/bigint) or inside jsonb (ISO strings, numbers); both map the same.

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface TaskError {
  code: string;
  message: string;
  retryable: boolean;
  details?: unknown;
}

export interface TaskSnapshot {
  id: string;
  kind: string;
  conversationId: string | null;
  status: TaskStatus;
  statusMessage: string | null;
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
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  asyncTaskId: string | null;
  createdAt: string;
  seq: number;
}

export const TERMINAL: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

const iso = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
};

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

const json = (v: unknown): unknown => {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v ?? null;
};

/** The wire shape of an `async_tasks` row (without `seq`, which travels as the SSE id). */
export function toTaskSnapshot(row: Row): TaskSnapshot {
  const error = json(row.error) as TaskError | null;
  return {
    id: String(row.id),
    kind: String(row.kind),
    conversationId: (row.conversation_id as string | null) ?? null,
    status: row.status as TaskStatus,
    statusMessage: (row.status_message as string | null) ?? null,
    result: json(row.result),
    error: error ? { ...error, retryable: Boolean(error.retryable) } : null,
    attempt: num(row.attempt),
    maxAttempts: num(row.max_attempts),
    cancelRequested: Boolean(row.cancel_requested),
    version: num(row.version),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at ?? row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at ?? row.completed_at),
    nextAttemptAt: iso(row.next_attempt_at),
    deadlineAt: iso(row.deadline_at),
  };
}

/** The row's `seq` as a number (0 when absent). */
export const seqOf = (row: Row): number => num(row.seq);

export function toChatMessage(row: Row): ChatMessage {
  return {
    id: String(row.id),
    conversationId: String(row.conversation_id),
    role: row.role as ChatMessage['role'],
    content: String(row.content),
    asyncTaskId: (row.async_task_id as string | null) ?? null,
    createdAt: iso(row.created_at)!,
    seq: num(row.seq),
  };
}
