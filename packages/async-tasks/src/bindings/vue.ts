import type { ReadableAtom } from 'nanostores';
import {
  getCurrentInstance,
  getCurrentScope,
  type MaybeRefOrGetter,
  onMounted,
  onScopeDispose,
  readonly,
  type ShallowRef,
  shallowRef,
  toValue,
  watch,
} from 'vue';
import { type ChatSession, type ChatSessionOptions, createChatSession, isChatSession } from '../chat/chat-session.js';
import { bindChatSession, type ChatSessionCommands, type ChatSessionValues } from '../chat/session-shape.js';
import type { TaskClient } from '../task/task-client.js';
import type { TaskState } from '../task/task-state.js';

type Ref<T> = Readonly<ShallowRef<T>>;

/**
 * Starts a subscription only in the browser, and stops it when the scope ends. In a component
 * that is at mount: server rendering never mounts, and the first client render (the one that
 * hydrates) shows what the server showed. Outside a component it starts at once, unless there is
 * no `window` (a server).
 */
function whileMounted(start: () => () => void): void {
  let stop: (() => void) | undefined;
  const run = () => {
    stop = start();
  };
  if (getCurrentInstance()) onMounted(run);
  else if (typeof window !== 'undefined') run();
  if (getCurrentScope()) onScopeDispose(() => stop?.());
}

/**
 * A read-only ref that follows a nanostores store; unsubscribes when the component's scope ends.
 * Until the component is mounted (and so on the server) it holds `serverValue` (default: the value
 * the store was made with, `store.init`).
 *
 * @example
 * const connection = useStore(chat.$connection, 'connecting');
 */
export function useStore<T>(store: ReadableAtom<T>, serverValue: T = store.init as T): Ref<T> {
  const state = shallowRef(serverValue);
  whileMounted(() =>
    store.subscribe((value) => {
      state.value = value as T;
    }),
  );
  return readonly(state) as Ref<T>;
}

/**
 * The live state of one task as a ref (null while the id is empty); follows a changing id. Until
 * the component is mounted (and so on the server) the task is not loaded yet (`loaded: false`,
 * `connection: 'connecting'`).
 *
 * @example
 * const task = useTask(client, () => props.taskId);
 */
export function useTask(client: TaskClient, id: MaybeRefOrGetter<string | null | undefined>): Ref<TaskState | null> {
  const first = toValue(id);
  const state = shallowRef<TaskState | null>(first ? (client.task(first).init as TaskState) : null);
  whileMounted(() =>
    watch(
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
    ),
  );
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
 * the component owns: it is destroyed when the component's scope ends. Until the component is
 * mounted (and so on the server) the refs show a session that has not connected (no messages,
 * `connection: 'connecting'`), and nothing is started.
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
