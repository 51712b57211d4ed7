import type { Unsubscribe } from '../../shared/types.js';
import type { ConversationStreamEvent, Transport } from '../../transports/transport.js';
import type { ChatAction } from '../reduce-chat.js';
import type { ChatStore } from '../chat-store.js';
import type { History } from './history.js';

/**
 * Follows the open conversation while the session has listeners: one subscription at a time,
 * opened again when the conversation changes, after a send (the first one creates the
 * conversation) and when the device is back online, if the transport had given up. Each
 * (re)connect also reads the latest history page.
 */
export function followConversation(
  store: ChatStore,
  { transport, online, history }: { transport: Transport; online: () => boolean; history: History },
): Unsubscribe {
  let stream: Unsubscribe | null = null;

  const close = () => {
    stream?.();
    stream = null;
  };
  const connect = () => {
    const id = store.get().conversationId;
    if (!id) return store.dispatch({ type: 'connection-changed', conversationId: null, connection: online() ? 'live' : 'offline' });
    if (stream) return;
    store.dispatch({ type: 'connection-changed', conversationId: id, connection: online() ? 'connecting' : 'offline' });
    let gaveUp = false;
    const stop = transport.subscribeConversation(id, (event) => {
      // The transport gave up (e.g. 403): connect() tries again when online or after a send.
      if (event.type === 'error') {
        gaveUp = true;
        if (stream === stop) stream = null;
      }
      store.dispatch(toAction(id, event));
    });
    stream = gaveUp ? null : stop;
    void history.loadLatest(id);
  };

  const stopWatching = store.watch(({ action, state, previous }) => {
    if (state.conversationId !== previous.conversationId) {
      close();
      connect();
    } else if (action.type === 'message-sent' || action.type === 'network-online') {
      connect();
    }
  });
  connect();
  return () => {
    stopWatching();
    close();
  };
}

function toAction(conversationId: string, event: ConversationStreamEvent): ChatAction {
  switch (event.type) {
    case 'snapshot':
      return { type: 'snapshot-received', conversationId, messages: event.messages, tasks: event.tasks };
    case 'message':
      return { type: 'message-received', message: event.message };
    case 'task':
      return { type: 'task-received', task: event.task };
    case 'connection':
      return { type: 'connection-changed', conversationId, connection: event.connection };
    case 'error':
      return { type: 'stream-failed', conversationId, error: event.error };
    default: {
      const unhandled: never = event; // a new stream event must be mapped above
      return unhandled;
    }
  }
}
