import type { ChatMetadata, ChatRole } from '@app/async-tasks/contract';
import type { AsyncTaskJson, ChatMessageJson, ConversationRow, MessageFeedbackRow } from './tables.js';
import type { Queryable } from './types.js';

// The SQL of the conversation list, the last-turn changes (regenerate, edit) and feedback. Called
// inside `db.asUser(claims, tx => …)`: the functions act for `auth.uid()` only.

const one = async <T>(tx: Queryable, sql: string, params: unknown[]): Promise<T | null> => (await tx.query<T>(sql, params)).rows[0] ?? null;

/** A row of `list_conversations`: the conversation, its last activity (also as microseconds, the cursor) and last visible message. */
export interface ConversationListRow {
  id: string;
  title: string | null;
  created_at: Date;
  last_activity_at: Date;
  /** bigint, as text: exact, for the cursor. */
  last_activity_micros: string;
  last_role: ChatRole | null;
  last_content: string | null;
  last_created_at: Date | null;
}

/** Where a page of the list starts: after this conversation's last activity and id. */
export interface ConversationCursor {
  micros: string;
  id: string;
}

/** `limit + 1` rows tell whether there is a next page; the cursor is the last row shown. */
export async function listConversations(tx: Queryable, cursor: ConversationCursor | null, limit: number) {
  const { rows } = await tx.query<ConversationListRow>(
    `select id, title, created_at, last_activity_at, last_activity_micros::text as last_activity_micros,
            last_role, last_content, last_created_at
       from public.list_conversations($1::int, $2::bigint, $3::uuid)`,
    [limit + 1, cursor?.micros ?? null, cursor?.id ?? null],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { micros: last.last_activity_micros, id: last.id } : null };
}

/** One conversation's line as the list shows it (after a create or a rename). */
export async function readConversationSummary(tx: Queryable, id: string) {
  const { rows } = await tx.query<ConversationListRow>(
    `select id, title, created_at, last_activity_at, last_activity_micros::text as last_activity_micros,
            last_role, last_content, last_created_at
       from public.list_conversations(1, null, null, $1::uuid)`,
    [id],
  );
  return rows[0] ?? null;
}

export const createConversation = (tx: Queryable, title: string | null) =>
  one<ConversationRow>(tx, 'insert into public.conversations (title) values ($1::text) returning *', [title]);

/** RLS lets only the owner's row change: null when it is unknown or someone else's. */
export const renameConversation = (tx: Queryable, id: string, title: string | null) =>
  one<Pick<ConversationRow, 'id'>>(tx, 'update public.conversations set title = $2::text where id = $1::uuid returning id', [id, title]);

export const deleteConversation = (tx: Queryable, id: string) =>
  one<{ deleted: boolean }>(tx, 'select public.delete_conversation($1::uuid) as deleted', [id]);

export const setMessageFeedback = (tx: Queryable, messageId: string, rating: string, comment: string | null) =>
  one<MessageFeedbackRow>(tx, 'select * from public.set_message_feedback($1::uuid, $2::text, $3::text)', [messageId, rating, comment]);

/** The visitor's feedback on the given messages (a history page's). */
export async function readFeedback(tx: Queryable, messageIds: string[]) {
  if (!messageIds.length) return [];
  const { rows } = await tx.query<MessageFeedbackRow>('select * from public.message_feedback where message_id = any($1::uuid[])', [
    messageIds,
  ]);
  return rows;
}

/** The jsonb `regenerate_chat_reply` and `edit_chat_message` answer. */
interface ResendAnswer {
  conversation_id: string;
  message: ChatMessageJson;
  task: AsyncTaskJson;
  replaced: ChatMessageJson[];
  created: boolean;
}

const resend = (row: { r: ResendAnswer } | null) => {
  const { conversation_id, message, task, replaced, created } = row!.r;
  return { conversationId: conversation_id, message, task, replaced, created };
};

export async function regenerateReply(tx: Queryable, messageId: string, idempotencyKey: string, timeoutSeconds: number | null) {
  return resend(
    await one<{ r: ResendAnswer }>(tx, 'select public.regenerate_chat_reply($1::uuid, $2::text, $3::int) as r', [
      messageId,
      idempotencyKey,
      timeoutSeconds,
    ]),
  );
}

export async function editMessage(
  tx: Queryable,
  messageId: string,
  input: { content: string; idempotencyKey: string; metadata: ChatMetadata | null },
  timeoutSeconds: number | null,
) {
  return resend(
    await one<{ r: ResendAnswer }>(tx, 'select public.edit_chat_message($1::uuid, $2::text, $3::text, $4::jsonb, $5::int) as r', [
      messageId,
      input.content,
      input.idempotencyKey,
      input.metadata === null ? null : JSON.stringify(input.metadata),
      timeoutSeconds,
    ]),
  );
}
