import { asError } from '../../common/as-error.js';
import type { Transport } from '../../transports/transport.js';
import type { ChatStore } from '../chat-store.js';

/** Reads one page of a conversation's history (the latest when `before` is null); the answer or failure is an action. */
export async function loadPage(
  { dispatch }: ChatStore,
  transport: Transport,
  pageSize: number,
  conversationId: string,
  before: number | null,
) {
  try {
    const page = await transport.getConversation(conversationId, { before, limit: pageSize });
    dispatch({ type: 'page-loaded', conversationId, page });
  } catch (error) {
    dispatch({ type: 'history-failed', conversationId, error: asError(error) });
  }
}

/** The page before the oldest one shown; one at a time. */
export async function loadOlder(store: ChatStore, transport: Transport, pageSize: number) {
  const { conversationId, nextBefore, loadingOlder } = store.get();
  if (!conversationId || nextBefore === null || loadingOlder) return;
  store.dispatch({ type: 'older-requested', conversationId });
  await loadPage(store, transport, pageSize, conversationId, nextBefore);
}
