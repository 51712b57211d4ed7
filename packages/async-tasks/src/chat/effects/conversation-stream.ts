import type { Unsubscribe } from '../../common/types.js';
import type { Transport } from '../../transports/transport.js';
import type { ChatStore } from '../chat-store.js';
import { loadPage } from './history.js';

/**
 * Follows the open conversation while the session has listeners: one subscription at a time,
 * opened again when the conversation changes, after a send (the first one creates the
 * conversation) and when the device is back online, if the transport had given up. Each
 * (re)connect also reads the latest history page.
 */
export function followConversation(store: ChatStore, transport: Transport, online: () => boolean, pageSize: number): Unsubscribe {
  const { get, dispatch, watch } = store;
  let stream: Unsubscribe | null = null;

  const close = () => {
    stream?.();
    stream = null;
  };
  const connect = () => {
    const id = get().conversationId;
    if (id && stream) return;
    // Without a conversation there is nothing to follow: the chat is as live as the device.
    dispatch({ type: 'connection', conversationId: id, connection: !online() ? 'offline' : id ? 'connecting' : 'live' });
    if (!id) return;
    stream = transport.subscribeConversation(id, (event) => {
      // The transport gave up (e.g. 403): connect() tries again when online or after a send.
      if (event.type === 'error') stream = null;
      dispatch({ ...event, conversationId: id });
    });
    void loadPage(store, transport, pageSize, id, null);
  };

  const stopWatching = watch((action, state, previous) => {
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
