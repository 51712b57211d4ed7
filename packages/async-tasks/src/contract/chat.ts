import type { Attachment } from './attachment.js';
import type { TaskSnapshot } from './task.js';

/**
 * Who wrote a chat message.
 *
 * @example
 * const mine = (m: ChatMessage) => m.role === ('user' satisfies ChatRole);
 */
export type ChatRole = 'user' | 'assistant' | 'system';

/**
 * A chat message row as the server sends it. `seq` orders messages and resumes streams.
 *
 * @example
 * const ordered = [...messages].sort((a: ChatMessage, b: ChatMessage) => a.seq - b.seq);
 */
export interface ChatMessage extends ChatMessageExtras {
  id: string;
  conversationId: string;
  role: ChatRole;
  content: string;
  asyncTaskId: string | null;
  createdAt: string;
  seq: number;
}

/**
 * Input of `POST /api/chat/send`.
 *
 * @example
 * await transport.sendChatMessage({ conversationId: null, content: 'Hi', idempotencyKey: createIdempotencyKey() } satisfies SendChatInput);
 */
export interface SendChatInput extends ChatMetadataInput {
  conversationId?: string | null;
  content: string;
  idempotencyKey: string;
  /** Uploads (`POST /api/uploads`) to attach to the message, at most the server's files per message. */
  attachmentIds?: string[];
}

/**
 * Answer of `POST /api/chat/send`: the stored message and the reply task it started.
 *
 * @example
 * const { conversationId, task }: SendChatResult = await transport.sendChatMessage(input);
 */
export interface SendChatResult {
  conversationId: string;
  message: ChatMessage;
  task: TaskSnapshot;
}

/**
 * Answer of `GET /api/conversations/:id`: one page of history, oldest first.
 *
 * @example
 * const page: ConversationPage = await transport.getConversation(id, { before: previous.nextBefore });
 */
export interface ConversationPage {
  conversationId: string;
  messages: ChatMessage[];
  /** The tasks of those messages, plus every task of the conversation still being worked on. */
  tasks: TaskSnapshot[];
  /** Pass as `before` to read the page before this one; null when there is none. */
  nextBefore: number | null;
  /** The visitor's feedback on the assistant messages of this page (absent from servers without feedback). */
  feedback?: MessageFeedback[];
}

/**
 * A JSON value as it travels: what `metadata` may hold (no functions, dates, `undefined`, cycles).
 *
 * @example
 * const value: JsonValue = { plan: 'pro', tags: ['a', 'b'], seats: 3, trial: false, note: null };
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What a site owner hands the workflow with a user message (page, locale, their own user id,
 * plan, cart): a plain JSON object, at most 4 KB as JSON text by default. Stored with the message
 * and readable by the visitor who sent it; never an identity (that comes from the access token).
 *
 * @example
 * const metadata: ChatMetadata = { page: location.href, locale: navigator.language, plan: 'pro' };
 */
export type ChatMetadata = { [key: string]: JsonValue };

/**
 * What a chat message says beyond its text, on the wire since conversations can be edited. Both
 * fields are present on every message the server sends; optional for messages built elsewhere.
 *
 * @example
 * const hidden = (m: ChatMessage & ChatMessageExtras) => m.replacedByTaskId != null;
 */
export interface ChatMessageExtras {
  /** The site's metadata sent with a user message (null for replies and messages without). */
  metadata?: ChatMetadata | null;
  /**
   * Set when a regenerate or an edit replaced this message: the task whose reply (and, for an
   * edit, whose question) took its place. A replaced message is kept, but not part of the thread.
   */
  replacedByTaskId?: string | null;
  /** The files on a user message, each with a short-lived read URL; absent when it has none. */
  attachments?: Attachment[];
}

/**
 * Input of a send or an edit beyond its text: the idempotency key and the site's metadata.
 *
 * @example
 * await transport.sendChatMessage({ content: 'Hi', idempotencyKey: key, metadata: { page: '/pricing' } });
 */
export interface ChatMetadataInput {
  metadata?: ChatMetadata | null;
}

/**
 * One line of `GET /api/conversations`: a conversation of the visitor, with its title and a
 * preview of its last visible message.
 *
 * @example
 * const label = (c: ConversationSummary) => c.title ?? c.lastMessage?.content ?? 'New conversation';
 */
export interface ConversationSummary {
  id: string;
  /** Set by the visitor, by the workflow, or from the first message (its first 80 characters). */
  title: string | null;
  createdAt: string;
  /** The last activity: the newest visible message, or the creation. The list is ordered by it, newest first. */
  lastActivityAt: string;
  /** The last message of the thread (at most 200 characters of it), null while empty. */
  lastMessage: { role: ChatRole; content: string; createdAt: string } | null;
}

/**
 * Answer of `GET /api/conversations?cursor=&limit=`: a page of the visitor's conversations.
 *
 * @example
 * const more: ConversationList = await transport.listConversations({ cursor: list.nextCursor });
 */
export interface ConversationList {
  conversations: ConversationSummary[];
  /** Pass as `cursor` for the next (older) page; null when there is none. */
  nextCursor: string | null;
}

/**
 * Body of `PATCH /api/conversations/:id`: the new title (1 to 200 characters after trimming), or
 * null to clear it.
 *
 * @example
 * await transport.renameConversation(id, { title: 'Shipping questions' } satisfies RenameConversationInput);
 */
export interface RenameConversationInput {
  title: string | null;
}

/**
 * Answer of `DELETE /api/conversations/:id`: the conversation, its messages and tasks are gone.
 *
 * @example
 * const { id }: DeletedConversation = await transport.deleteConversation(conversationId);
 */
export interface DeletedConversation {
  id: string;
  deleted: true;
}

/**
 * A visitor's rating of an assistant message.
 *
 * @example
 * const rating: FeedbackRating = liked ? 'up' : 'down';
 */
export type FeedbackRating = 'up' | 'down';

/**
 * Body of `POST /api/messages/:id/feedback` (an assistant message of the visitor's own). A later
 * one replaces it.
 *
 * @example
 * await transport.sendFeedback(messageId, { rating: 'down', comment: 'Wrong opening hours' } satisfies FeedbackInput);
 */
export interface FeedbackInput {
  rating: FeedbackRating;
  /** At most 2000 characters. */
  comment?: string | null;
}

/**
 * The stored feedback on one message.
 *
 * @example
 * const thumbsDown = (f: MessageFeedback) => f.rating === 'down';
 */
export interface MessageFeedback {
  messageId: string;
  rating: FeedbackRating;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Body of `POST /api/messages/:id/regenerate`: `:id` is the question (the last user message of
 * its conversation) whose reply is made again. The same key answers with the same rows.
 *
 * @example
 * await transport.regenerateReply(questionId, { idempotencyKey: createIdempotencyKey() } satisfies RegenerateInput);
 */
export interface RegenerateInput {
  idempotencyKey: string;
}

/**
 * Body of `POST /api/messages/:id/edit`: `:id` is the last user message of its conversation; it is
 * replaced by a new message with this text (and metadata), and answered anew.
 *
 * @example
 * await transport.editMessage(questionId, { content: 'What about Sundays?', idempotencyKey: key } satisfies EditMessageInput);
 */
export interface EditMessageInput extends ChatMetadataInput {
  content: string;
  idempotencyKey: string;
}

/**
 * Answer of a regenerate or an edit: the question now answered (the same message after a
 * regenerate, the new one after an edit), the new reply task, and the messages taken out of the
 * thread (each with `replacedByTaskId` set to the new task).
 *
 * @example
 * const { task, replaced }: ResendResult = await transport.regenerateReply(questionId, { idempotencyKey: key });
 */
export interface ResendResult extends SendChatResult {
  replaced: ChatMessage[];
}
