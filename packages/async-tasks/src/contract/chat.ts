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
export interface ChatMessage {
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
export interface SendChatInput {
  conversationId?: string | null;
  content: string;
  idempotencyKey: string;
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
}
