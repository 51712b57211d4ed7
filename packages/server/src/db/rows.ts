import type { ChatMessage, ConversationSummary, MessageFeedback, TaskSnapshot } from '@app/async-tasks/contract';
import type { ConversationListRow } from './conversation-queries.js';
import type { AsyncTaskJson, AsyncTaskRow, ChatMessageJson, ChatMessageRow, MessageFeedbackRow } from './tables.js';

// Rows on the wire are camelCase (contracts.md §2). A row arrives either from a query (timestamps
// as Date) or inside jsonb (timestamps as ISO strings with the database's precision and offset);
// both map to the same millisecond ISO string, so a client sees one format whichever path it took.

function iso(value: Date | string): string;
function iso(value: Date | string | null): string | null;
function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** The wire shape of an `async_tasks` row (without `seq`, which travels as the SSE id). */
export function toTaskSnapshot(row: AsyncTaskRow | AsyncTaskJson): TaskSnapshot {
  return {
    id: row.id,
    kind: row.kind,
    conversationId: row.conversation_id,
    status: row.status,
    statusMessage: row.status_message,
    partialText: row.partial_text,
    result: row.result,
    error: row.error,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    cancelRequested: row.cancel_requested,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    nextAttemptAt: iso(row.next_attempt_at),
    deadlineAt: iso(row.deadline_at),
    replacesTaskId: row.replaces_task_id,
  };
}

/** The wire shape of a `chat_messages` row. */
export function toChatMessage(row: ChatMessageRow | ChatMessageJson): ChatMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    content: row.content,
    asyncTaskId: row.async_task_id,
    createdAt: iso(row.created_at),
    seq: row.seq,
    metadata: row.metadata,
    replacedByTaskId: row.replaced_by_task_id,
  };
}

/** The wire shape of a `message_feedback` row. */
export function toMessageFeedback(row: MessageFeedbackRow): MessageFeedback {
  return {
    messageId: row.message_id,
    rating: row.rating,
    comment: row.comment,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The wire shape of a `list_conversations` row. */
export function toConversationSummary(row: ConversationListRow): ConversationSummary {
  return {
    id: row.id,
    title: row.title,
    createdAt: iso(row.created_at),
    lastActivityAt: iso(row.last_activity_at),
    lastMessage:
      row.last_role && row.last_content !== null && row.last_created_at
        ? { role: row.last_role, content: row.last_content, createdAt: iso(row.last_created_at) }
        : null,
  };
}
