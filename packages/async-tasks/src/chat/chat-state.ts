import type { ChatMessage, ChatMetadata, ConversationSummary, MessageFeedback, Attachment } from '../contract/index.js';
import type { TaskState } from '../task/task-state.js';
import type { ConnectionState } from '../transports/transport.js';

/**
 * How far a message got: `queued` waits for the network, `failed` was refused (see `error`).
 *
 * @example
 * const badge = (d: Delivery) => (d === 'sent' ? '' : d === 'failed' ? '⚠' : '…');
 */
export type Delivery = 'sending' | 'queued' | 'sent' | 'failed';

/**
 * A message typed but not yet confirmed by the server; persisted so a reload resends it with the
 * same key.
 *
 * @example
 * const waiting = chatState.outbox.filter((item: OutboxItem) => item.delivery === 'queued');
 */
export interface OutboxItem {
  localId: string;
  idempotencyKey: string;
  content: string;
  createdAt: string;
  delivery: Exclude<Delivery, 'sent'>;
  error: Error | null;
  /**
   * The conversation it was typed in: null for a new one (the first send makes it, and the
   * others typed there follow into it); absent on items stored by older versions (the open one).
   */
  conversationId?: string | null;
  /** The site's metadata it goes out with (the session's merged with the send's). */
  metadata?: ChatMetadata | null;
  /** The uploaded files it goes out with. */
  attachments?: Attachment[];
}

/**
 * The visitor's conversations as far as they are loaded (`loadConversations`), kept in step with
 * what this session sends, creates, renames and deletes.
 *
 * @example
 * const titles = chatState.conversations.items.map((c: ConversationSummary) => c.title);
 */
export interface ConversationListState {
  items: readonly ConversationSummary[];
  /** Where the next page starts; null when there is none. */
  nextCursor: string | null;
  /** Whether the first page has been read. */
  loaded: boolean;
  loading: boolean;
}

/**
 * Everything a chat session knows; replaced (never mutated) by `reduceChat` on every change.
 *
 * @example
 * const state: ChatState = reduceChat(initialChatState({ conversationId: 'c1' }), action);
 */
export interface ChatState {
  conversationId: string | null;
  /** Server messages by id (in `seq` order once listed). */
  messages: ReadonlyMap<string, ChatMessage>;
  /** The conversation's tasks by id, each merged by `reduceTask`. */
  tasks: ReadonlyMap<string, TaskState>;
  /** Messages not yet confirmed by the server, in typing order. */
  outbox: readonly OutboxItem[];
  connection: ConnectionState;
  /** Where the next older history page starts; null when there is none. */
  nextBefore: number | null;
  /** Whether an older history page is being read. */
  loadingOlder: boolean;
  /** Sends that failed in a row and will be tried again; the outbox waits longer after each. */
  sendFailures: number;
  /** The last failure of a command or history load (null when all is well). */
  problem: Error | null;
  /** The visitor's feedback on messages of the open conversation, by message id. */
  feedback: ReadonlyMap<string, MessageFeedback>;
  conversations: ConversationListState;
}

/**
 * A chat state with nothing loaded yet.
 *
 * @example
 * let state = initialChatState({ conversationId: null, connection: 'offline' });
 */
export function initialChatState({
  conversationId = null,
  connection = 'connecting',
  outbox = [],
}: {
  conversationId?: string | null;
  connection?: ConnectionState;
  outbox?: readonly OutboxItem[];
} = {}): ChatState {
  return {
    conversationId,
    messages: new Map(),
    tasks: new Map(),
    outbox,
    connection,
    nextBefore: null,
    loadingOlder: false,
    sendFailures: 0,
    problem: null,
    feedback: new Map(),
    conversations: { items: [], nextCursor: null, loaded: false, loading: false },
  };
}
