import type { SendChatResult } from '../../contract/index.js';
import type { Unsubscribe } from '../../shared/types.js';
import type { TabChannel } from '../../tabs/tab-channel.js';
import type { ChatStore } from '../chat-store.js';

/** What the chat sessions of one origin tell each other. */
export type ChatTabMessage = { type: 'conversation'; id: string } | { type: 'sent'; result: SendChatResult };

/**
 * Keeps the tabs of one origin in step without waiting for their streams: a conversation one tab
 * starts is adopted by the tabs that have none, and a message one tab sent shows in the others at
 * once. Runs while the session has listeners; closes its channel when they are gone.
 */
export function syncTabs(store: ChatStore, channel: TabChannel<ChatTabMessage>): Unsubscribe {
  const stopListening = channel.listen((message) => {
    if (message.type === 'conversation') store.dispatch({ type: 'conversation-shared', conversationId: message.id });
    else store.dispatch({ type: 'message-shared', result: message.result });
  });
  const stopWatching = store.watch(({ action, state, previous }) => {
    if (state.conversationId && state.conversationId !== previous.conversationId)
      channel.post({ type: 'conversation', id: state.conversationId });
    if (action.type === 'message-sent') channel.post({ type: 'sent', result: action.result });
  });
  return () => {
    stopWatching();
    stopListening();
    channel.close();
  };
}
