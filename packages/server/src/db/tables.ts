import type { ChatMetadata, ChatRole, FeedbackRating, TaskError, TaskStatus } from '@app/async-tasks/contract';
import type { ColumnMap, JsonRowOf, RowOf } from './column-types.js';

// The tables the server reads, column by column. `tables.test.ts`
// migrates a database (PGlite, and real PostgreSQL when there is one) and fails when a map and
// information_schema.columns disagree on a name, a type or nullability.

export const conversationColumns = {
  id: 'uuid',
  owner_id: 'uuid',
  title: 'text null',
  created_at: 'timestamp with time zone',
  updated_at: 'timestamp with time zone',
} as const satisfies ColumnMap;

export const asyncTaskColumns = {
  id: 'uuid',
  owner_id: 'uuid',
  conversation_id: 'uuid null',
  kind: 'text',
  input: 'jsonb',
  status: 'text',
  status_message: 'text null',
  partial_text: 'text null',
  result: 'jsonb null',
  error: 'jsonb null',
  attempt: 'integer',
  max_attempts: 'integer',
  next_attempt_at: 'timestamp with time zone',
  deadline_at: 'timestamp with time zone null',
  dispatched_at: 'timestamp with time zone null',
  timeout_seconds: 'integer',
  execution_id: 'character varying null',
  idempotency_key: 'text null',
  cancel_requested: 'boolean',
  replaces_task_id: 'uuid null',
  version: 'bigint',
  seq: 'bigint',
  created_at: 'timestamp with time zone',
  updated_at: 'timestamp with time zone',
  started_at: 'timestamp with time zone null',
  finished_at: 'timestamp with time zone null',
} as const satisfies ColumnMap;

export const chatMessageColumns = {
  id: 'uuid',
  conversation_id: 'uuid',
  owner_id: 'uuid',
  role: 'text',
  content: 'text',
  async_task_id: 'uuid null',
  metadata: 'jsonb null',
  replaced_by_task_id: 'uuid null',
  seq: 'bigint',
  created_at: 'timestamp with time zone',
} as const satisfies ColumnMap;

export const messageFeedbackColumns = {
  message_id: 'uuid',
  owner_id: 'uuid',
  conversation_id: 'uuid',
  rating: 'text',
  comment: 'text null',
  created_at: 'timestamp with time zone',
  updated_at: 'timestamp with time zone',
} as const satisfies ColumnMap;

/** Every map, by its table in `public`. */
export const TABLES = {
  conversations: conversationColumns,
  async_tasks: asyncTaskColumns,
  chat_messages: chatMessageColumns,
  message_feedback: messageFeedbackColumns,
} as const;

export type ConversationRow = RowOf<typeof conversationColumns>;

/**
 * A row of `public.async_tasks`, as `select *` and the functions returning `public.async_tasks`
 * (`task_claim`, `create_task`, `request_task_cancel`, `retry_task`) give it. `status` is held to
 * the five states by a check constraint; `error` is only ever written by the failure path, which
 * always sets code, message and retryable.
 */
export type AsyncTaskRow = RowOf<typeof asyncTaskColumns, { status: TaskStatus; error: TaskError | null }>;

/** A row of `public.chat_messages` (`select *`, `conversation_history`); `role` is held by a check constraint. */
export type ChatMessageRow = RowOf<typeof chatMessageColumns, { role: ChatRole; metadata: ChatMetadata | null }>;

/** A row of `public.message_feedback` (`set_message_feedback`); `rating` is held by a check constraint. */
export type MessageFeedbackRow = RowOf<typeof messageFeedbackColumns, { rating: FeedbackRating }>;

/** `to_jsonb` of a task row (the `task` of `send_chat_message`'s answer). */
export type AsyncTaskJson = JsonRowOf<AsyncTaskRow>;

/** `to_jsonb` of a message row (the `message` of `send_chat_message`'s answer). */
export type ChatMessageJson = JsonRowOf<ChatMessageRow>;
