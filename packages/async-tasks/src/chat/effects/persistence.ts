import type { ChatStorage } from '../chat-storage.js';
import type { ChatStore } from '../chat-store.js';

/**
 * Keeps the open conversation and the unsent messages in storage, so a reload resumes the
 * conversation and resends each waiting message with its original idempotency key. Runs from the
 * session's creation to its end (the store's), listeners or not.
 */
export function persistChat(store: ChatStore, storage: ChatStorage): void {
  store.watch((_action, state, previous) => {
    // This is the store's first watcher, so it sees every change in order and the last write wins.
    if (state.conversationId !== previous.conversationId) storage.saveConversationId(state.conversationId);
    if (state.outbox !== previous.outbox) storage.saveOutbox(state.outbox);
  });
}
