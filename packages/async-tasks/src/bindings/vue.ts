import { getCurrentScope, onScopeDispose, readonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import type { ReadableAtom } from 'nanostores';
import { createChatSession, type ChatSession, type ChatSessionOptions } from './chat-session.js';
import type { ChatItem } from './chat-state.js';
import type { TaskClient } from './task-client.js';
import type { ConnectionState, TaskState } from './types.js';

type Ref<T> = Readonly<ShallowRef<T>>;

/**
 * A read-only ref that follows a nanostores store; unsubscribes when the component's scope ends.
 *
 * @example
 * const connection = useStore(chat.$connection);
 */
export function useStore<T>(store: ReadableAtom<T>): Ref<T> {
  const state = shallowRef(store.get());
  const stop = store.subscribe((value) => {
    state.value = value as T;
  });
  if (getCurrentScope()) onScopeDispose(stop);
  return readonly(state) as Ref<T>;
}

/**
 * The live state of one task as a ref (null while the id is empty); follows a changing id.
 *
 * @example
 * const task = useTask(client, () => props.taskId);
 */
export function useTask(client: TaskClient, id: MaybeRefOrGetter<string | null | undefined>): Ref<TaskState | null> {
  const state = shallowRef<TaskState | null>(null);
  const stopWatch = watch(
    () => toValue(id),
    (value, _old, onCleanup) => {
      if (!value) {
        state.value = null;
        return;
      }
      onCleanup(
        client.task(value).subscribe((task) => {
          state.value = task;
        }),
      );
    },
    { immediate: true },
  );
  if (getCurrentScope()) onScopeDispose(stopWatch);
  return readonly(state) as Ref<TaskState | null>;
}

/** What `useAsyncChat` returns: refs of the session's stores and its commands. */
export interface AsyncChat {
  messages: Ref<ChatItem[]>;
  activeTask: Ref<TaskState | null>;
  connection: Ref<ConnectionState>;
  conversationId: Ref<string | null>;
  hasOlder: Ref<boolean>;
  problem: Ref<Error | null>;
  send: ChatSession['send'];
  stop: ChatSession['stop'];
  retry: ChatSession['retry'];
  loadOlder: ChatSession['loadOlder'];
  session: ChatSession;
}

/**
 * A chat in a component: pass a session, or the options to create one.
 *
 * @example
 * const { messages, activeTask, send } = useAsyncChat({ client });
 */
export function useAsyncChat(sessionOrOptions: ChatSession | ChatSessionOptions): AsyncChat {
  const session = '$messages' in sessionOrOptions ? sessionOrOptions : createChatSession(sessionOrOptions);
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
