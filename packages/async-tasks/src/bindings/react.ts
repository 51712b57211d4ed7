import { useCallback, useState, useSyncExternalStore } from 'react';
import type { ReadableAtom } from 'nanostores';
import { createChatSession, type ChatSession, type ChatSessionOptions } from './chat-session.js';
import type { ChatItem } from './chat-state.js';
import type { TaskClient } from './task-client.js';
import type { ConnectionState, TaskState } from './types.js';

/**
 * The current value of a nanostores store; re-renders when it changes.
 *
 * @example
 * const connection = useStore(chat.$connection);
 */
export function useStore<T>(store: ReadableAtom<T>): T {
  const subscribe = useCallback((onChange: () => void) => store.listen(onChange), [store]);
  return useSyncExternalStore(subscribe, store.get, store.get);
}

const $none: ReadableAtom<null> = { get: () => null, listen: () => () => {} } as unknown as ReadableAtom<null>;

/**
 * The live state of one task (null while `id` is empty). The subscription lives while a component uses it.
 *
 * @example
 * const task = useTask(client, taskId);
 * return <p>{task?.statusMessage ?? task?.status}</p>;
 */
export function useTask(client: TaskClient, id: string | null | undefined): TaskState | null {
  return useStore<TaskState | null>(id ? client.task(id) : $none);
}

/** What `useAsyncChat` returns: the session's store values and its commands. */
export interface AsyncChat {
  messages: ChatItem[];
  activeTask: TaskState | null;
  connection: ConnectionState;
  conversationId: string | null;
  hasOlder: boolean;
  problem: Error | null;
  send: ChatSession['send'];
  stop: ChatSession['stop'];
  retry: ChatSession['retry'];
  loadOlder: ChatSession['loadOlder'];
  session: ChatSession;
}

/**
 * A chat in a component: pass a session, or the options to create one (created once per component).
 *
 * @example
 * const chat = useAsyncChat({ client });
 * return <button onClick={() => chat.send('Hello')}>{chat.activeTask?.statusMessage ?? 'Send'}</button>;
 */
export function useAsyncChat(sessionOrOptions: ChatSession | ChatSessionOptions): AsyncChat {
  const [session] = useState(() => ('$messages' in sessionOrOptions ? sessionOrOptions : createChatSession(sessionOrOptions)));
  return {
    messages: useStore(session.$messages),
    activeTask: useStore(session.$activeTask),
    connection: useStore(session.$connection),
    conversationId: useStore(session.$conversationId),
    hasOlder: useStore(session.$hasOlder),
    problem: useStore(session.$problem),
    send: session.send,
    stop: session.stop,
    retry: session.retry,
    loadOlder: session.loadOlder,
    session,
  };
}
