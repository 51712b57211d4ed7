import type { Database, Sql } from '../src/index.js';

export interface TaskRow {
  id: string;
  owner_id: string;
  conversation_id: string | null;
  kind: string;
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
  status_message: string | null;
  result: unknown;
  error: { code: string; message: string; retryable: boolean; details?: unknown } | null;
  attempt: number;
  max_attempts: number;
  cancel_requested: boolean;
  version: number;
  seq: number;
  next_attempt_at: Date;
  dispatched_at: Date | null;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  owner_id: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  async_task_id: string | null;
  seq: number;
}

export interface SendResult {
  conversation_id: string;
  message: MessageRow;
  task: TaskRow;
  created: boolean;
}

export async function send(
  db: Database,
  claims: Record<string, unknown>,
  content: string,
  key: string,
  conversationId: string | null = null,
) {
  return db.asUser(claims, async (tx) => {
    const { rows } = await tx.query<{ r: SendResult }>('select public.send_chat_message($1, $2, $3) as r', [conversationId, content, key]);
    return rows[0]!.r;
  });
}

export async function readTask(db: Database, id: string): Promise<TaskRow> {
  const { rows } = await db.asService((tx) => tx.query<TaskRow>('select * from public.async_tasks where id = $1', [id]));
  if (!rows[0]) throw new Error(`no task ${id}`);
  return rows[0];
}

/** Claims due tasks of the given kinds as the worker. */
export async function claim(db: Database, limit = 1, kinds: string[] | null = null): Promise<TaskRow[]> {
  return (await db.asWorker((tx) => tx.query<TaskRow>('select * from public.task_claim($1, $2)', [limit, kinds]))).rows;
}

/** Calls one worker function returning boolean, e.g. `worker(db, 'task_start', id, 1)`. */
export async function worker(db: Database, fn: string, ...args: unknown[]): Promise<boolean> {
  const params = args.map((_, i) => `$${i + 1}`).join(', ');
  const { rows } = await db.asWorker((tx) => tx.query<{ ok: boolean }>(`select public.${fn}(${params}) as ok`, args));
  return rows[0]!.ok;
}

export async function messagesOf(tx: Sql, conversationId: string) {
  return (await tx.query<MessageRow>('select * from public.chat_messages where conversation_id = $1 order by seq', [conversationId])).rows;
}

/** Makes a pending task due now (skips its backoff), as the service role. */
export async function makeDue(db: Database, id: string) {
  await db.asService((tx) => tx.query(`update public.async_tasks set next_attempt_at = now() - interval '1 second' where id = $1`, [id]));
}

/**
 * Claims exactly this task: other due tasks (earlier tests share the database) are pushed a day
 * into the future first.
 */
export async function claimOnly(db: Database, id: string): Promise<TaskRow> {
  await db.asService((tx) =>
    tx.query(
      `update public.async_tasks set next_attempt_at = now() + interval '1 day'
        where status = 'pending' and dispatched_at is null and id <> $1`,
      [id],
    ),
  );
  const [claimed] = await claim(db, 1);
  if (claimed?.id !== id) throw new Error(`expected to claim ${id}, got ${claimed?.id}`);
  return claimed;
}
