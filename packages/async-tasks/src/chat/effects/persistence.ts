import type { Unsubscribe } from '../../shared/types.js';
import type { ChatStorage } from '../chat-storage.js';
import type { ChatStore } from '../chat-store.js';

/**
 * Keeps the open conversation and the unsent messages in storage, so a reload resumes the
 * conversation and resends each waiting message with its original idempotency key. Runs from the
 * session's creation to its end, listeners or not.
 */
export function persistChat(store: ChatStore, storage: ChatStorage): Unsubscribe {
  return store.watch(({ state, previous }) => {
    // The latest state, not the one of this change: an effect may have moved it on since.
    if (state.conversationId !== previous.conversationId) storage.saveConversationId(store.get().conversationId);
    if (state.outbox !== previous.outbox) storage.saveOutbox(store.get().outbox);
  });
}
