import type { ChatMetadata } from '@app/async-tasks/contract';
import type { AsyncTaskJson, AsyncTaskRow, ChatMessageJson, ChatMessageRow, ConversationRow } from './tables.js';
import type { Queryable } from './types.js';

// Every SQL statement the HTTP routes run. They are called inside `db.asUser(claims, tx => …)`,
// so RLS and the SECURITY DEFINER functions' `auth.uid()` decide what the caller may see.

const one = async <T>(tx: Queryable, sql: string, params: unknown[]): Promise<T | null> => (await tx.query<T>(sql, params)).rows[0] ?? null;

/** The jsonb `send_chat_message` answers: the rows inside are `to_jsonb` renderings. */
interface SendChatMessageAnswer {
  conversation_id: string;
  message: ChatMessageJson;
  task: AsyncTaskJson;
  /** False when the idempotency key was seen before (the rows are the first call's). */
  created: boolean;
}

/**
 * `timeoutSeconds`: the reply's per-attempt budget (`CHAT_REPLY_TIMEOUT_SECONDS`); null = the
 * database default (120 s). `metadata`: the site's, stored with the message (already checked).
 */
export async function sendChatMessage(
  tx: Queryable,
  conversationId: string | null,
  content: string,
  idempotencyKey: string,
  timeoutSeconds: number | null = null,
  metadata: ChatMetadata | null = null,
) {
  const row = await one<{ r: SendChatMessageAnswer }>(
    tx,
    'select public.send_chat_message($1::uuid, $2::text, $3::text, $4::int, $5::jsonb) as r',
    [conversationId, content, idempotencyKey, timeoutSeconds, metadata === null ? null : JSON.stringify(metadata)],
  );
  const { conversation_id, message, task, created } = row!.r;
  return { conversationId: conversation_id, message, task, created };
}

export async function createTask(
  tx: Queryable,
  input: { kind: string; input: unknown; idempotencyKey: string; maxAttempts?: number; timeoutSeconds?: number },
) {
  const row = await one<AsyncTaskRow & { tx_now: Date }>(
    tx,
    `select t.*, now() as tx_now from public.create_task($1::text, $2::jsonb, $3::text, $4::int, $5::int, null::uuid) t`,
    [input.kind, JSON.stringify(input.input), input.idempotencyKey, input.maxAttempts ?? 3, input.timeoutSeconds ?? 120],
  );
  const { tx_now, ...task } = row!;
  // create_task answers a known key with the first call's row: only a row made by this very
  // transaction has `created_at` equal to its `now()`.
  return { task, created: task.created_at.getTime() === tx_now.getTime() };
}

export const readTask = (tx: Queryable, id: string) => one<AsyncTaskRow>(tx, 'select * from public.async_tasks where id = $1::uuid', [id]);

export const readMessage = (tx: Queryable, id: string) =>
  one<ChatMessageRow>(tx, 'select * from public.chat_messages where id = $1::uuid', [id]);

export const cancelTask = (tx: Queryable, id: string) => one<AsyncTaskRow>(tx, 'select * from public.request_task_cancel($1::uuid)', [id]);

export const retryTask = (tx: Queryable, id: string) => one<AsyncTaskRow>(tx, 'select * from public.retry_task($1::uuid)', [id]);

export const conversationExists = async (tx: Queryable, id: string) =>
  (await one<Pick<ConversationRow, 'id'>>(tx, 'select id from public.conversations where id = $1::uuid', [id])) !== null;

/** A page of messages, newest `limit` before `before` (exclusive), returned oldest first. */
export async function readMessagePage(tx: Queryable, conversationId: string, before: number | null, limit: number) {
  const { rows } = await tx.query<ChatMessageRow>(
    `select * from public.chat_messages
      where conversation_id = $1::uuid and ($2::bigint is null or seq < $2::bigint)
      order by seq desc limit $3::int`,
    [conversationId, before, limit + 1],
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit).reverse();
  return { messages: page, nextBefore: more && page.length > 0 ? page[0]!.seq : null };
}

/** Messages written after `afterSeq` (a resuming stream), oldest first. */
export async function readMessagesAfter(tx: Queryable, conversationId: string, afterSeq: number, limit = 500) {
  const { rows } = await tx.query<ChatMessageRow>(
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
  const { rows } = await tx.query<AsyncTaskRow>(
    `select * from public.async_tasks
      where conversation_id = $1::uuid
        and (id = any($2::uuid[]) or status in ('pending', 'processing') or ($3::bigint is not null and seq > $3::bigint))
      order by created_at asc`,
    [conversationId, taskIds, changedAfterSeq],
  );
  return rows;
}
