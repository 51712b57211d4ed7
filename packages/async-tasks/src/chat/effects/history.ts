import { asError } from '../../shared/as-error.js';
import type { Transport } from '../../transports/transport.js';
import type { ChatStore } from '../chat-store.js';

/** Reads a conversation's history a page at a time, newest first; results and failures are actions. */
export function createHistory(store: ChatStore, { transport, pageSize }: { transport: Transport; pageSize: number }) {
  const read = async (conversationId: string, before: number | null) => {
    try {
      const page = await transport.getConversation(conversationId, before === null ? { limit: pageSize } : { before, limit: pageSize });
      store.dispatch({ type: 'page-loaded', conversationId, page, older: before !== null });
    } catch (error) {
      store.dispatch({ type: 'history-failed', conversationId, error: asError(error) });
    }
  };
  return {
    /** The latest page: its tasks, and where older pages start. */
    loadLatest: (conversationId: string) => read(conversationId, null),
    /** The page before the oldest one shown; one at a time. */
    async loadOlder() {
      const { conversationId, nextBefore, loadingOlder } = store.get();
      if (!conversationId || nextBefore === null || loadingOlder) return;
      store.dispatch({ type: 'older-requested', conversationId });
      await read(conversationId, nextBefore);
    },
  };
}

export type History = ReturnType<typeof createHistory>;
