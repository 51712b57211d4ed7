import type { ReadableAtom } from 'nanostores';
import type { Attachment, ChatMetadata, ConversationSummary, FeedbackInput, UploadResult, UploadSettings } from '../contract/index.js';
import type { TaskState } from '../task/task-state.js';
import type { ConnectionState, UploadOptions } from '../transports/transport.js';
import type { ChatItem } from './selectors.js';

/**
 * The stores of a chat session: what a UI renders.
 *
 * @example
 * const render = ({ $messages, $connection }: ChatSessionStores) => $messages.subscribe((items) => list(items, $connection.get()));
 */
export interface ChatSessionStores {
  $messages: ReadableAtom<ChatItem[]>;
  $activeTask: ReadableAtom<TaskState | null>;
  $connection: ReadableAtom<ConnectionState>;
  $conversationId: ReadableAtom<string | null>;
  /** Whether `loadOlder()` has more to load. */
  $hasOlder: ReadableAtom<boolean>;
  /** The last failure of a command or history load (null when all is well). */
  $problem: ReadableAtom<Error | null>;
  /** The visitor's conversations, newest activity first: empty until `loadConversations()`. */
  $conversations: ReadableAtom<ConversationSummary[]>;
  /** Whether `loadMoreConversations()` has more to load. */
  $hasMoreConversations: ReadableAtom<boolean>;
  /** Whether a page of the conversation list is being read. */
  $conversationsLoading: ReadableAtom<boolean>;
}

/**
 * Per-send options of `send` and `edit`.
 *
 * @example
 * await chat.send('Is this in stock?', { metadata: { sku: 'A-113' } } satisfies SendOptions);
 */
export interface SendOptions {
  /**
   * The site's metadata for this message, merged over the session's (`setMetadata`, the
   * `metadata` option) key by key; `null` sends none of the session's either.
   */
  metadata?: ChatMetadata | null;
  /**
   * Files uploaded with `upload()` to send with the message (`send` only). They go out with it,
   * also from the offline outbox (the upload itself needs the connection).
   */
  attachments?: Attachment[];
}

/**
 * The commands of a chat session; each promise resolves, failures land in the stores. Those that
 * change something on the server at once resolve `true` when it was accepted, `false` when not
 * (the reason in `$problem`, or nothing to do).
 *
 * @example
 * const onSubmit = (chat: ChatSessionCommands, text: string) => chat.send(text);
 */
export interface ChatSessionCommands {
  send(text: string, options?: SendOptions): Promise<void>;
  stop(): Promise<void>;
  retry(): Promise<void>;
  loadOlder(): Promise<void>;
  /**
   * Reconnects the live updates now rather than after the backoff (for a Retry next to "can't
   * reach the chat server"); does nothing while they are live.
   */
  reconnect(): Promise<void>;
  /** Makes the last reply again (a reply that is being written is not: stop it first). The old one leaves the thread. */
  regenerate(): Promise<boolean>;
  /** Replaces the last user message by `text` (stopping its reply if one is being written) and has it answered anew. */
  edit(text: string, options?: SendOptions): Promise<boolean>;
  /** Rates an assistant message of the open conversation; a later rating replaces it. */
  sendFeedback(messageId: string, input: FeedbackInput): Promise<boolean>;
  /** The metadata every later message carries (null: none); per-send metadata is merged over it. */
  setMetadata(metadata: ChatMetadata | null): Promise<void>;
  /** Reads the first page of the conversation list (again). */
  loadConversations(): Promise<void>;
  loadMoreConversations(): Promise<void>;
  /** Opens another conversation of the visitor; `null`: a new one, made on the server by the first send. */
  switchConversation(id: string | null): Promise<void>;
  /** Leaves the open conversation for a new one, made on the server by the first send. */
  newConversation(): Promise<void>;
  /** Makes a new, empty conversation on the server now (listed at once) and opens it. */
  createConversation(title?: string | null): Promise<boolean>;
  /** Sets a conversation's title (1 to 200 characters after trimming; null or blank clears it). */
  renameConversation(id: string, title: string | null): Promise<boolean>;
  /** Deletes a conversation (its reply in flight stopped first); deleting the open one leaves it for a new one. */
  deleteConversation(id: string): Promise<boolean>;
  /**
   * Uploads a file for `send(text, { attachments })`, reporting progress. Unlike the other
   * commands it rejects, with the server's reason (type, size, limits) or at once while offline,
   * so a UI can show the error on that file and offer Retry.
   */
  upload(file: Blob, options?: UploadOptions): Promise<UploadResult>;
  /** What the server accepts for uploads; null when the transport has no uploads. */
  uploadSettings(): Promise<UploadSettings | null>;
}

/** A store's key without its `$`: the name a binding gives the store's value. */
type ValueName<K> = K extends `$${infer Name}` ? Name : never;

/**
 * The one description of a session that the React and Vue bindings are derived from: each store
 * under the name its value gets (`$messages` → `messages`), each command handed through as it is.
 * `satisfies` keeps it complete: a store or command added to the interfaces above and not here
 * does not compile, and once here it is in every binding.
 */
export const chatSessionShape = {
  messages: 'store',
  activeTask: 'store',
  connection: 'store',
  conversationId: 'store',
  hasOlder: 'store',
  problem: 'store',
  conversations: 'store',
  hasMoreConversations: 'store',
  conversationsLoading: 'store',
  send: 'command',
  stop: 'command',
  retry: 'command',
  loadOlder: 'command',
  reconnect: 'command',
  regenerate: 'command',
  edit: 'command',
  sendFeedback: 'command',
  setMetadata: 'command',
  loadConversations: 'command',
  loadMoreConversations: 'command',
  switchConversation: 'command',
  newConversation: 'command',
  createConversation: 'command',
  renameConversation: 'command',
  deleteConversation: 'command',
  upload: 'command',
  uploadSettings: 'command',
} as const satisfies { [K in keyof ChatSessionStores as ValueName<K>]: 'store' } & { [K in keyof ChatSessionCommands]: 'command' };

/** The value of each store, by the binding's name for it. */
export type ChatSessionValues = {
  [K in keyof ChatSessionStores as ValueName<K>]: ChatSessionStores[K] extends ReadableAtom<infer T> ? T : never;
};

/**
 * What a binding shows on the server and while the client hydrates: a session that has not
 * connected yet. The same on both sides (nothing read from the browser), so hydration matches;
 * the live values follow once the component is mounted.
 */
export const serverChatValues: ChatSessionValues = {
  messages: [],
  activeTask: null,
  connection: 'connecting',
  conversationId: null,
  hasOlder: false,
  problem: null,
  conversations: [],
  hasMoreConversations: false,
  conversationsLoading: false,
};

/**
 * A binding's result: `read(store, serverValue)` for every store under its value's name, the
 * commands, and the session itself. `read` is the framework's way to follow a store (a hook, a
 * ref); `serverValue` is the store's value in `serverChatValues`.
 */
export function bindChatSession<S extends ChatSessionStores & ChatSessionCommands>(
  session: S,
  read: (store: ReadableAtom<unknown>, serverValue: unknown) => unknown,
): Record<string, unknown> & { session: S } {
  const bound: Record<string, unknown> = { session };
  for (const [name, kind] of Object.entries(chatSessionShape)) {
    bound[name] =
      kind === 'store'
        ? read(session[`$${name}` as keyof ChatSessionStores], serverChatValues[name as keyof ChatSessionValues])
        : session[name as keyof ChatSessionCommands];
  }
  return bound as Record<string, unknown> & { session: S };
}
