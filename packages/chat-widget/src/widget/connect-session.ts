import { type ChatSession, createChatSession, createHttpTransport, createTaskClient, type TaskClient } from '@app/async-tasks';

/**
 * Where `connectSession` (and `ChatWidget` without a `session`) gets its chat from.
 *
 * @example
 * const options: ConnectOptions = { serverUrl: 'https://chat.example.com', conversationId: saved };
 */
export interface ConnectOptions {
  /** The server's origin, e.g. `https://chat.example.com`; empty means this page's origin. */
  serverUrl?: string;
  /** A ready task client (any transport); wins over `serverUrl`. */
  client?: TaskClient;
  /** Continue this conversation instead of the one remembered in storage. */
  conversationId?: string;
  /**
   * The name this chat's conversation is remembered under (with its unsent messages and its
   * tab-to-tab channel). Widgets with different keys on one page are separate conversations;
   * without one, every widget of the site continues the same conversation.
   */
  storageKey?: string;
}

/** The SDK's storage prefix of the conversation every widget without a `storageKey` shares. */
const DEFAULT_STORAGE_KEY = 'async-tasks:chat';

/**
 * One task client per server for the whole page: widgets on one page are one visitor (one
 * anonymous session, created once), whatever conversations they show.
 */
const clients = new Map<string, TaskClient>();
const clientFor = (baseUrl: string) => {
  let client = clients.get(baseUrl);
  if (!client) {
    client = createTaskClient({ transport: createHttpTransport({ baseUrl }) });
    clients.set(baseUrl, client);
  }
  return client;
};

/**
 * The chat session `ChatWidget` makes for itself: over the given client, or over HTTP to
 * `serverUrl`. Make it yourself to share one session between the widget and your own code
 * (pass it as `session`; the widget then leaves destroying it to you).
 *
 * @example
 * const session = connectSession({ serverUrl: 'https://chat.example.com' });
 * session.$messages.subscribe((items) => badge.update(items.length));
 * render(<ChatWidget session={session} />, root);
 */
export function connectSession({ serverUrl, client, conversationId, storageKey }: ConnectOptions): ChatSession {
  return createChatSession({
    client: client ?? clientFor(serverUrl || location.origin),
    storageKey: storageKey ? `${DEFAULT_STORAGE_KEY}:${storageKey}` : DEFAULT_STORAGE_KEY,
    ...(conversationId ? { conversationId } : {}),
  });
}
