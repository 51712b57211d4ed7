import { AsyncTaskError } from '../../errors/async-task-error.js';
import { asError } from '../../shared/as-error.js';
import { backoffDelay } from '../../shared/backoff.js';
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
export function createOutboxSender(store: ChatStore, { transport, online }: { transport: Transport; online: () => boolean }) {
  let flushing = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function flush(): Promise<void> {
    if (flushing || stopped) return;
    flushing = true;
    clearTimeout(timer);
    try {
      for (;;) {
        const item = store.get().outbox.find((i) => i.delivery === 'sending' || i.delivery === 'queued');
        if (!item || stopped) return;
        if (!online()) return store.dispatch({ type: 'outbox-paused' });
        store.dispatch({ type: 'message-sending', localId: item.localId });
        try {
          const { conversationId } = store.get();
          const result = await transport.sendChatMessage({ conversationId, content: item.content, idempotencyKey: item.idempotencyKey });
          store.dispatch({ type: 'message-sent', localId: item.localId, result });
        } catch (error) {
          if (!AsyncTaskError.isInstance(error) || !error.retryable) {
            store.dispatch({ type: 'message-refused', localId: item.localId, error: asError(error) });
            continue;
          }
          const wait = backoffDelay(store.get().sendFailures, SEND_BACKOFF);
          store.dispatch({ type: 'message-deferred', localId: item.localId, error });
          if (!stopped) timer = setTimeout(() => void flush(), wait);
          return;
        }
      }
    } finally {
      flushing = false;
    }
  }

  const stopWatching = store.watch(({ action }) => {
    if ((action.type === 'connection-changed' && action.connection === 'live') || action.type === 'network-online') void flush();
  });

  return {
    flush,
    stop() {
      stopped = true;
      clearTimeout(timer);
      stopWatching();
    },
  };
}
