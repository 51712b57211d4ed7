import type {
  ChatMessage,
  ConversationList,
  ConversationPage,
  ConversationSummary,
  CreateTaskInput,
  DeletedConversation,
  EditMessageInput,
  FeedbackInput,
  MessageFeedback,
  RegenerateInput,
  RenameConversationInput,
  ResendResult,
  SendChatInput,
  SendChatResult,
  TaskOutput,
  TaskSnapshot,
  UploadResult,
  UploadSettings,
} from '../contract/index.js';
import type { Unsubscribe } from '../common/types.js';

/**
 * State of the live update channel behind a store.
 *
 * @example
 * chat.$connection.subscribe((c: ConnectionState) => banner.toggleAttribute('hidden', c === 'live'));
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/**
 * What a task subscription delivers. After every (re)subscribe a `snapshot` comes first.
 *
 * @example
 * transport.subscribeTask(id, (event: TaskStreamEvent) => event.type === 'task' && render(event.task));
 */
export type TaskStreamEvent =
  | { type: 'snapshot'; task: TaskSnapshot }
  | { type: 'task'; task: TaskSnapshot }
  /** The text of a streaming reply grew (see `TaskOutput`); nothing else changed but its version. */
  | { type: 'output'; output: TaskOutput }
  | { type: 'connection'; connection: ConnectionState }
  /** The subscription cannot go on (not found, not allowed); the transport has stopped retrying. */
  | { type: 'error'; error: Error };

/**
 * What a conversation subscription delivers. After every (re)subscribe a `snapshot` comes first:
 * the messages newer than the last one seen (all of them on the first connect) and the tasks
 * (every non-terminal task of the conversation at least).
 *
 * @example
 * transport.subscribeConversation(id, (event: ConversationStreamEvent) => event.type === 'message' && show(event.message));
 */
export type ConversationStreamEvent =
  | { type: 'snapshot'; messages: ChatMessage[]; tasks: TaskSnapshot[] }
  | { type: 'task'; task: TaskSnapshot }
  | { type: 'message'; message: ChatMessage }
  | { type: 'output'; output: TaskOutput }
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'error'; error: Error };

/**
 * Options of a page read of a conversation.
 *
 * @example
 * const older = await transport.getConversation(id, { before: page.nextBefore, limit: 50 } satisfies ConversationPageOptions);
 */
export interface ConversationPageOptions {
  /** Only messages with a smaller `seq` (from the previous page's `nextBefore`). */
  before?: number | null;
  limit?: number;
}

/**
 * Options of a page read of the visitor's conversations (newest first).
 *
 * @example
 * const next = await transport.listConversations({ cursor: list.nextCursor, limit: 20 } satisfies ConversationListOptions);
 */
export interface ConversationListOptions {
  /** Where the page starts (the previous page's `nextCursor`); none = the newest. */
  cursor?: string | null;
  /** 1…100; default 20. */
  limit?: number;
}

/**
 * How the SDK talks to a server: commands return promises that reject with typed errors
 * (`AsyncTaskError` subclasses); subscriptions push events and never throw. An `error` event
 * comes only after `subscribe…` has returned, and nothing comes after its unsubscribe was called.
 * Implementations:
 * `createHttpTransport` (fetch + SSE), `createSupabaseTransport` (`@app/async-tasks/supabase`),
 * `createMemoryTransport` (`@app/async-tasks/testing`, in process, for tests and Storybook).
 *
 * @example
 * const stop = transport.subscribeTask(id, (event) => console.log(event.type));
 */
export interface Transport {
  createTask(input: CreateTaskInput): Promise<TaskSnapshot>;
  getTask(id: string): Promise<TaskSnapshot>;
  cancelTask(id: string): Promise<TaskSnapshot>;
  retryTask(id: string): Promise<TaskSnapshot>;
  subscribeTask(id: string, listener: (event: TaskStreamEvent) => void): Unsubscribe;

  sendChatMessage(input: SendChatInput): Promise<SendChatResult>;
  getConversation(id: string, options?: ConversationPageOptions): Promise<ConversationPage>;
  subscribeConversation(id: string, listener: (event: ConversationStreamEvent) => void): Unsubscribe;

  /** The visitor's conversations, newest activity first. */
  listConversations(options?: ConversationListOptions): Promise<ConversationList>;
  /** A new, empty conversation (its title from the first message unless given). */
  createConversation(input?: { title?: string | null }): Promise<ConversationSummary>;
  renameConversation(id: string, input: RenameConversationInput): Promise<ConversationSummary>;
  /** Stops its reply in flight, then removes it with its messages and tasks. */
  deleteConversation(id: string): Promise<DeletedConversation>;
  /** Rates an assistant message (replacing an earlier rating). */
  sendFeedback(messageId: string, input: FeedbackInput): Promise<MessageFeedback>;
  /** Answers the last user message of its conversation again; the old reply leaves the thread. */
  regenerateReply(messageId: string, input: RegenerateInput): Promise<ResendResult>;
  /** Replaces the last user message of its conversation by a new text, answered anew. */
  editMessage(messageId: string, input: EditMessageInput): Promise<ResendResult>;

  /**
   * Uploads a file for a later `sendChatMessage({ attachmentIds })` (transports that support
   * attachments). Rejects with the server's reason (type, size, limits) or, offline, at once.
   */
  uploadFile?(file: Blob, options?: UploadOptions): Promise<UploadResult>;
  /** What the server accepts (types, sizes, files per message). */
  getUploadSettings?(): Promise<UploadSettings>;

  /** Whether the transport believes it can reach the server now (defaults to true when unknown). */
  isOnline?(): boolean;
  /** Called when connectivity comes back, so queued work can go out. */
  onOnline?(listener: () => void): Unsubscribe;
  /**
   * Tries every live subscription that is waiting to reconnect again now instead of after its
   * backoff (the visitor pressed Retry on "can't reach the chat server"). Live ones are left alone.
   */
  reconnect?(): void;
}

/**
 * Options of an upload.
 *
 * @example
 * await transport.uploadFile?.(file, { onProgress: ({ loaded, total }) => bar.style.setProperty('--p', `${loaded / total}`) });
 */
export interface UploadOptions {
  /** The name to keep (default: the File's own name, else "file"). */
  filename?: string;
  /** Bytes sent so far, as they go. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
  signal?: AbortSignal;
}
