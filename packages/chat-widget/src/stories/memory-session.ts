import { createChatSession, createTaskClient } from '@app/async-tasks';
import { createMemoryTransport, type MemoryTransportOptions } from '@app/async-tasks/testing';

/**
 * A chat session on the SDK's in-memory fake server, for stories: no server, no storage, no
 * tab channel, so every story starts from the same state.
 */
export function memorySession(options: MemoryTransportOptions & { conversationId?: string } = {}) {
  const transport = createMemoryTransport({ stepDelayMs: 500, replyDelayMs: 700, ...options });
  const client = createTaskClient({ transport });
  const session = createChatSession({ client, conversationId: options.conversationId ?? null, storage: null, BroadcastChannel: null });
  return { transport, session };
}
