import { AsyncTaskError } from '../../errors/async-task-error.js';
import { asError } from '../../common/as-error.js';
import { backoffDelay } from '../../common/backoff.js';
import type { Transport } from '../../transports/transport.js';
import type { ChatStore } from '../chat-store.js';

/** How long a message that could not go out waits before the next try. */
const SEND_BACKOFF = { baseMs: 1000, capMs: 30_000 };

/**
 * Sends the outbox one message at a time, in typing order: a message that cannot go out yet holds
 * back the rest. A transient failure (network, 5xx) keeps it `queued` and tries again after a
 * growing wait, or at once when the stream is live again or the device comes back online; a
 * refusal makes it `failed`. Runs from the session's creation to its end.
 */
export function createOutboxSender(store: ChatStore, transport: Transport, online: () => boolean) {
  const { get, dispatch, watch } = store;
  let flushing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    clearTimeout(timer);
    try {
      for (;;) {
        const item = get().outbox.find((i) => i.delivery === 'sending' || i.delivery === 'queued');
        // Once the session is gone its state stands still: stop rather than send the same item again.
        if (!item || store.closed) return;
        if (!online()) return dispatch({ type: 'outbox-paused' });
        dispatch({ type: 'message-sending', localId: item.localId });
        try {
          // Into the conversation it was typed in (older stored items: the open one).
          const conversationId = item.conversationId === undefined ? get().conversationId : item.conversationId;
          const { content, idempotencyKey, metadata, attachments } = item;
          const result = await transport.sendChatMessage({
            conversationId,
            content,
            idempotencyKey,
            ...(metadata ? { metadata } : {}),
            ...(attachments?.length ? { attachmentIds: attachments.map((a) => a.id) } : {}),
          });
          dispatch({ type: 'message-sent', localId: item.localId, result });
        } catch (error) {
          const wait = backoffDelay(get().sendFailures, SEND_BACKOFF);
          dispatch({ type: 'message-failed', localId: item.localId, error: asError(error) });
          // Refused: on to the next message. Queued again: everything waits for the next try.
          if (AsyncTaskError.isInstance(error) && error.retryable) {
            timer = setTimeout(() => void flush(), wait);
            return;
          }
        }
      }
    } finally {
      flushing = false;
    }
  }

  watch((action) => {
    if ((action.type === 'connection' && action.connection === 'live') || action.type === 'network-online') void flush();
  });

  return {
    flush,
    /** Cancels a pending resend (the watcher above ends with the store). */
    stop: () => clearTimeout(timer),
  };
}
