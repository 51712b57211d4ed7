import { atom, type ReadableAtom } from 'nanostores';
import type { Unsubscribe } from '../common/types.js';
import type { ChatState } from './chat-state.js';
import { type ChatAction, reduceChat } from './reduce-chat.js';

/** What an effect is told after each dispatch: the action, and the state after and before it. */
export type ChatWatcher = (action: ChatAction, state: ChatState, previous: ChatState) => void;

/**
 * The one place a chat session's state changes: every change is an action through `reduceChat`.
 * Its methods do not use `this`, so effects may take them apart.
 */
export interface ChatStore {
  readonly $state: ReadableAtom<ChatState>;
  get(): ChatState;
  dispatch(action: ChatAction): void;
  /** Effects react here to what happened, whether or not it changed the state. */
  watch(watcher: ChatWatcher): Unsubscribe;
  /** Set by the session's `destroy()`: from then on actions are ignored, like late answers to a page that is gone. */
  closed: boolean;
}

export function createChatStore(initial: ChatState): ChatStore {
  const $state = atom<ChatState>(initial);
  const watchers = new Set<ChatWatcher>();
  // `.value`, not `.get()`: get() on an unmounted store mounts it for a moment, which would connect.
  const get = () => $state.value as ChatState;
  const store: ChatStore = {
    $state,
    get,
    dispatch(action) {
      if (store.closed) return;
      const previous = get();
      const state = reduceChat(previous, action);
      $state.set(state); // notifies only when the reducer returned a new object
      for (const watcher of watchers) watcher(action, state, previous);
    },
    watch(watcher) {
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
    closed: false,
  };
  return store;
}
