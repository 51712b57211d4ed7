import { createChatSession, createHttpTransport, createTaskClient, type TaskClient } from '@app/async-tasks';
import type { ChatSessionLike } from './session-like.js';

export interface ConnectOptions {
  /** The server's origin, e.g. `https://chat.example.com`; empty means this page's origin. */
  serverUrl?: string;
  /** A ready task client (any transport); wins over `serverUrl`. */
  client?: TaskClient;
  /** Continue this conversation instead of the one remembered in storage. */
  conversationId?: string;
}

/**
 * A chat session over the SDK: the given client, or an HTTP transport to `serverUrl`.
 *
 * @example
 * const session = connectSession({ serverUrl: 'https://chat.example.com' });
 */
export function connectSession({ serverUrl, client, conversationId }: ConnectOptions): ChatSessionLike {
  const taskClient = client ?? createTaskClient({ transport: createHttpTransport({ baseUrl: serverUrl || location.origin }) });
  return createChatSession({ client: taskClient, ...(conversationId ? { conversationId } : {}) }) as ChatSessionLike;
}
