import type { ConversationSummary, SendChatResult } from '../contract/index.js';
import type { ConversationListState } from './chat-state.js';

/** The longest preview a list line carries, as the server cuts it. */
const PREVIEW_CHARS = 200;
/** A title made from the first message, as the database makes it. */
const TITLE_CHARS = 80;

/** `next` after `items`, each conversation once (a page may repeat one that moved up meanwhile). */
export function listed(items: readonly ConversationSummary[], next: readonly ConversationSummary[]): ConversationSummary[] {
  const seen = new Set(items.map((c) => c.id));
  return [...items, ...next.filter((c) => !seen.has(c.id))];
}

/**
 * The list after a message was stored: its conversation moves to the top with the message as its
 * preview (a conversation the list has not seen yet is added, titled by the message as the
 * server titles it). Unchanged while the list was never loaded.
 */
export function summaryAfterSend(list: ConversationListState, { conversationId, message }: SendChatResult): ConversationListState {
  if (!list.loaded) return list;
  const known = list.items.find((c) => c.id === conversationId);
  const summary: ConversationSummary = {
    id: conversationId,
    // An empty conversation takes its title from its first message, as the database does.
    title: known && (known.title !== null || known.lastMessage) ? known.title : message.content.slice(0, TITLE_CHARS),
    createdAt: known?.createdAt ?? message.createdAt,
    lastActivityAt: message.createdAt,
    lastMessage: { role: message.role, content: message.content.slice(0, PREVIEW_CHARS), createdAt: message.createdAt },
  };
  return { ...list, items: [summary, ...list.items.filter((c) => c.id !== conversationId)] };
}

/** The list without a deleted conversation. */
export function withoutConversation(list: ConversationListState, id: string): ConversationListState {
  const items = list.items.filter((c) => c.id !== id);
  return items.length === list.items.length ? list : { ...list, items };
}
