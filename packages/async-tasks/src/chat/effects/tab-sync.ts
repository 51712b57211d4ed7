import type { SendChatResult } from '../../contract/index.js';
import type { Unsubscribe } from '../../common/types.js';
import { type BroadcastChannelConstructor, openTabChannel } from '../../tabs/tab-channel.js';
import type { ChatStore } from '../chat-store.js';

/** What the chat sessions of one origin tell each other: a message one of them sent. */
export type ChatTabMessage = { type: 'sent'; result: SendChatResult };

/**
 * Keeps the tabs of one origin in step without waiting for their streams: a message one tab sent
 * shows in the others at once, and the conversation it started is adopted by the tabs that have
 * none. Runs while the session has listeners; closes its channel when they are gone.
 */
export function syncTabs(
  { dispatch, watch }: ChatStore,
  option: BroadcastChannelConstructor | null | undefined,
  name: string,
): Unsubscribe | undefined {
  const channel = openTabChannel<ChatTabMessage>(option, name, ({ result }) => dispatch({ type: 'message-shared', result }));
  if (!channel) return;
  const stopWatching = watch((action) => {
    if (action.type === 'message-sent') channel.postMessage({ type: 'sent', result: action.result });
  });
  return () => {
    stopWatching();
    channel.close();
  };
}
