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
}

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
export function connectSession({ serverUrl, client, conversationId }: ConnectOptions): ChatSession {
  const taskClient = client ?? createTaskClient({ transport: createHttpTransport({ baseUrl: serverUrl || location.origin }) });
  return createChatSession({ client: taskClient, ...(conversationId ? { conversationId } : {}) });
}
