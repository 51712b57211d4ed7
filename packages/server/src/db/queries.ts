import type { Queryable, Row } from './types.js';

// Every SQL statement the HTTP routes run. They are called inside `db.asUser(claims, tx => …)`,
// so RLS and the SECURITY DEFINER functions' `auth.uid()` decide what the caller may see.

const one = async (tx: Queryable, sql: string, params: unknown[]): Promise<Row | null> =>
  (await tx.query<Row>(sql, params)).rows[0] ?? null;

/** True when `createdAt` is the transaction's `now()`: the row was made by this call. */
const isNew = (createdAt: unknown, now: unknown) =>
  new Date(String(createdAt instanceof Date ? createdAt.toISOString() : createdAt)).getTime() ===
  new Date(now instanceof Date ? now.getTime() : String(now)).getTime();

/** `timeoutSeconds`: the reply's per-attempt budget (`CHAT_REPLY_TIMEOUT_SECONDS`); null = the database default (120 s). */
export async function sendChatMessage(
  tx: Queryable,
  conversationId: string | null,
  content: string,
  idempotencyKey: string,
  timeoutSeconds: number | null = null,
) {
  const row = await one(tx, 'select public.send_chat_message($1::uuid, $2::text, $3::text, $4::int) as r, now() as now', [
    conversationId,
    content,
    idempotencyKey,
    timeoutSeconds,
  ]);
  const r = (typeof row!.r === 'string' ? JSON.parse(row!.r) : row!.r) as {
    conversation_id: string;
    message: Row;
    task: Row;
    created?: boolean;
  };
  const created = typeof r.created === 'boolean' ? r.created : isNew(r.task.created_at, row!.now);
  return { conversationId: r.conversation_id, message: r.message, task: r.task, created };
}

export async function createTask(
  tx: Queryable,
  input: { kind: string; input: unknown; idempotencyKey: string; maxAttempts?: number; timeoutSeconds?: number },
) {
  const row = await one(
    tx,
    `select t.*, now() as tx_now from public.create_task($1::text, $2::jsonb, $3::text, $4::int, $5::int, null::uuid) t`,
    [input.kind, JSON.stringify(input.input), input.idempotencyKey, input.maxAttempts ?? 3, input.timeoutSeconds ?? 120],
  );
  return { task: row!, created: isNew(row!.created_at, row!.tx_now) };
}

export const readTask = (tx: Queryable, id: string) => one(tx, 'select * from public.async_tasks where id = $1::uuid', [id]);

export const readMessage = (tx: Queryable, id: string) => one(tx, 'select * from public.chat_messages where id = $1::uuid', [id]);

export const cancelTask = (tx: Queryable, id: string) => one(tx, 'select * from public.request_task_cancel($1::uuid)', [id]);

export const retryTask = (tx: Queryable, id: string) => one(tx, 'select * from public.retry_task($1::uuid)', [id]);

export const conversationExists = async (tx: Queryable, id: string) =>
  (await one(tx, 'select id from public.conversations where id = $1::uuid', [id])) !== null;

/** A page of messages, newest `limit` before `before` (exclusive), returned oldest first. */
export async function readMessagePage(tx: Queryable, conversationId: string, before: number | null, limit: number) {
  const { rows } = await tx.query<Row>(
    `select * from public.chat_messages
      where conversation_id = $1::uuid and ($2::bigint is null or seq < $2::bigint)
      order by seq desc limit $3::int`,
    [conversationId, before, limit + 1],
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit).reverse();
  return { messages: page, nextBefore: more && page.length > 0 ? Number(page[0]!.seq) : null };
}

/** Messages written after `afterSeq` (a resuming stream), oldest first. */
export async function readMessagesAfter(tx: Queryable, conversationId: string, afterSeq: number, limit = 500) {
  const { rows } = await tx.query<Row>(
    `select * from public.chat_messages where conversation_id = $1::uuid and seq > $2::bigint order by seq asc limit $3::int`,
    [conversationId, afterSeq, limit],
  );
  return rows;
}

/** The tasks of the given messages plus every non-terminal task of the conversation. */
export async function readConversationTasks(
  tx: Queryable,
  conversationId: string,
  taskIds: string[],
  changedAfterSeq: number | null = null,
) {
  // `changedAfterSeq`: a resuming client may have missed a task's last change (e.g. it saw the
  // reply message, then the stream was cut before the task's `completed` event).
  const { rows } = await tx.query<Row>(
    `select * from public.async_tasks
      where conversation_id = $1::uuid
        and (id = any($2::uuid[]) or status in ('pending', 'processing') or ($3::bigint is not null and seq > $3::bigint))
      order by created_at asc`,
    [conversationId, taskIds, changedAfterSeq],
  );
  return rows;
}
