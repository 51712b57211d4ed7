import type { ReadableAtom } from 'nanostores';
import { getCurrentScope, type MaybeRefOrGetter, onScopeDispose, readonly, type ShallowRef, shallowRef, toValue, watch } from 'vue';
import { type ChatSession, type ChatSessionOptions, createChatSession, isChatSession } from '../chat/chat-session.js';
import { bindChatSession, type ChatSessionCommands, type ChatSessionValues } from '../chat/session-shape.js';
import type { TaskClient } from '../task/task-client.js';
import type { TaskState } from '../task/task-state.js';

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

/**
 * What `useAsyncChat` returns: a read-only ref of each session store (`messages`, `activeTask`,
 * …), its commands, and the session.
 *
 * @example
 * const { messages, send }: AsyncChat = useAsyncChat({ client });
 */
export type AsyncChat = { [K in keyof ChatSessionValues]: Ref<ChatSessionValues[K]> } & ChatSessionCommands & { session: ChatSession };

/**
 * A chat in a component: pass a session (yours to destroy), or the options to create one, which
 * the component owns: it is destroyed when the component's scope ends.
 *
 * @example
 * const { messages, activeTask, send } = useAsyncChat({ client });
 */
export function useAsyncChat(sessionOrOptions: ChatSession | ChatSessionOptions): AsyncChat {
  const owned = isChatSession(sessionOrOptions) ? null : createChatSession(sessionOrOptions);
  const chat = bindChatSession(owned ?? (sessionOrOptions as ChatSession), useStore) as unknown as AsyncChat;
  if (owned && getCurrentScope()) onScopeDispose(() => owned.destroy());
  return chat;
}
