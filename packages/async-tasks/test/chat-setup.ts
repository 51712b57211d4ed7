import { afterEach } from 'vitest';
import { type ChatSession, type ChatSessionOptions, createChatSession } from '../src/chat/chat-session.js';
import { createTaskClient } from '../src/task/task-client.js';
import { createMemoryTransport, type MemoryTransport, type MemoryTransportOptions } from '../src/transports/memory/memory-transport.js';
import { memoryStorage } from './fixtures.js';

const sessions: Array<{ session: ChatSession; stop: () => void }> = [];
afterEach(() => {
  for (const { session, stop } of sessions.splice(0)) {
    stop();
    session.destroy();
  }
});

/**
 * A fake server and a way to open "tabs" of a chat session on it (sharing one storage, with
 * listeners on the stores so they connect); every session is destroyed after the test.
 */
export function setup(transportOptions: MemoryTransportOptions = {}, transport?: MemoryTransport) {
  const server = transport ?? createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5, ...transportOptions });
  const storage = memoryStorage();
  const open = (options: Partial<ChatSessionOptions> = {}) => {
    const session = createChatSession({ client: createTaskClient({ transport: server }), storage, BroadcastChannel: null, ...options });
    const stop = session.$messages.listen(() => {});
    const stopTask = session.$activeTask.listen(() => {});
    sessions.push({
      session,
      stop: () => {
        stop();
        stopTask();
      },
    });
    return session;
  };
  return { server, storage, open };
}

export const contents = (session: ChatSession) => session.$messages.get().map((m) => `${m.role}:${m.content}`);
