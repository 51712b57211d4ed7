import type { ReadableAtom } from 'nanostores';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { type ChatSession, type ChatSessionOptions, createChatSession, isChatSession } from '../chat/chat-session.js';
import { bindChatSession, type ChatSessionCommands, type ChatSessionValues } from '../chat/session-shape.js';
import type { TaskClient } from '../task/task-client.js';
import type { TaskState } from '../task/task-state.js';

/**
 * The current value of a nanostores store; re-renders when it changes. On the server and while
 * hydrating it is `serverValue` (default: the value the store was made with, `store.init`), so a
 * server render never starts the store, and the first client render matches the server's.
 *
 * @example
 * const connection = useStore(chat.$connection, 'connecting');
 */
export function useStore<T>(store: ReadableAtom<T>, serverValue: T = store.init as T): T {
  const subscribe = useCallback((onChange: () => void) => store.listen(onChange), [store]);
  // `store.get()` starts a store without listeners for a moment: never on the server.
  return useSyncExternalStore(subscribe, store.get, () => serverValue);
}

const $none: ReadableAtom<null> = { init: null, get: () => null, listen: () => () => {} } as unknown as ReadableAtom<null>;

/**
 * The live state of one task (null while `id` is empty). The subscription lives while a component
 * uses it; on the server and while hydrating the task is not loaded yet (`loaded: false`,
 * `connection: 'connecting'`).
 *
 * @example
 * const task = useTask(client, taskId);
 * return <p>{task?.statusMessage ?? task?.status}</p>;
 */
export function useTask(client: TaskClient, id: string | null | undefined): TaskState | null {
  // On the server and while hydrating: the store's `init`, the task not yet loaded.
  return useStore<TaskState | null>(id ? client.task(id) : $none);
}

/**
 * What `useAsyncChat` returns: the value of each session store (`messages`, `activeTask`, …), its
 * commands, and the session.
 *
 * @example
 * const { messages, send }: AsyncChat = useAsyncChat({ client });
 */
export interface AsyncChat extends ChatSessionValues, ChatSessionCommands {
  session: ChatSession;
}

/**
 * A chat in a component: pass a session (yours to destroy), or the options to create one, which
 * the component owns: it is made once and destroyed on unmount. StrictMode's extra
 * unmount-and-mount of effects keeps it alive. On the server and while hydrating it shows a
 * session that has not connected (no messages, `connection: 'connecting'`) and starts nothing.
 *
 * @example
 * const chat = useAsyncChat({ client });
 * return <button onClick={() => chat.send('Hello')}>{chat.activeTask?.statusMessage ?? 'Send'}</button>;
 */
export function useAsyncChat(sessionOrOptions: ChatSession | ChatSessionOptions): AsyncChat {
  const [owned] = useState(() => (isChatSession(sessionOrOptions) ? null : createChatSession(sessionOrOptions)));
  const session = owned ?? (sessionOrOptions as ChatSession);
  useDestroyOnUnmount(owned);
  // The store list is a constant, so the hooks inside run in the same order on every render.
  return bindChatSession(session, useStore) as unknown as AsyncChat;
}

function useDestroyOnUnmount(session: ChatSession | null) {
  const mounts = useRef(0);
  useEffect(() => {
    if (!session) return;
    mounts.current += 1;
    return () => {
      mounts.current -= 1;
      // StrictMode unmounts and mounts again in the same task: destroy only if no mount follows.
      queueMicrotask(() => mounts.current === 0 && session.destroy());
    };
  }, [session]);
}
