import { atom, type ReadableAtom } from 'nanostores';
import type { Unsubscribe } from '../shared/types.js';
import type { ChatState } from './chat-state.js';
import { type ChatAction, reduceChat } from './reduce-chat.js';

/** What an effect is told after each dispatch: the action, and the state before and after it. */
export interface ChatChange {
  action: ChatAction;
  state: ChatState;
  previous: ChatState;
}

/** The one place a chat session's state changes: every change is an action through `reduceChat`. */
export interface ChatStore {
  readonly $state: ReadableAtom<ChatState>;
  get(): ChatState;
  dispatch(action: ChatAction): void;
  /** Effects react here to what happened, whether or not it changed the state. */
  watch(listener: (change: ChatChange) => void): Unsubscribe;
  /** After this, actions are ignored: like a page that is gone, late answers change nothing. */
  close(): void;
  readonly closed: boolean;
}

export function createChatStore(initial: ChatState): ChatStore {
  const $state = atom<ChatState>(initial);
  const watchers = new Set<(change: ChatChange) => void>();
  let closed = false;
  // `.value`, not `.get()`: get() on an unmounted store mounts it for a moment, which would connect.
  const get = () => $state.value as ChatState;
  return {
    $state,
    get,
    dispatch(action) {
      if (closed) return;
      const previous = get();
      const state = reduceChat(previous, action);
      if (state !== previous) $state.set(state);
      for (const watcher of [...watchers]) watcher({ action, state, previous });
    },
    watch(listener) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    close() {
      closed = true;
      watchers.clear();
    },
    get closed() {
      return closed;
    },
  };
}
