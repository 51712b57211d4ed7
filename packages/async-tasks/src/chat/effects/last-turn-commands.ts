import { isActive } from '../../contract/index.js';
import { createIdempotencyKey } from '../../common/idempotency-key.js';
import type { Transport } from '../../transports/transport.js';
import type { ChatStore } from '../chat-store.js';
import { lastQuestion } from '../selectors.js';
import type { SessionMetadata } from '../session-metadata.js';
import type { ChatSessionCommands, SendOptions } from '../session-shape.js';

/**
 * `regenerate()` and `edit()`: the last turn of the open conversation made again, one change at a
 * time (a second call while one is on its way answers false and sends nothing). Each answer's
 * rows (the question, the new task, what it replaced) go into the state at once; the stream
 * brings the reply. Failures are thrown for the session to report.
 */
export function lastTurnCommands(
  { get, dispatch }: ChatStore,
  transport: Transport,
  metadata: SessionMetadata,
): { [K in 'regenerate' | 'edit']: (...args: Parameters<ChatSessionCommands[K]>) => Promise<boolean> } {
  let resending = false;
  const once = async (work: () => Promise<void>) => {
    resending = true;
    try {
      await work();
      return true;
    } finally {
      resending = false;
    }
  };
  return {
    async regenerate() {
      const { conversationId, messages, tasks } = get();
      const question = lastQuestion(messages);
      const task = question?.asyncTaskId ? tasks.get(question.asyncTaskId) : undefined;
      // A reply still being written is not made again: Stop comes first.
      if (resending || !conversationId || !question || (task && isActive(task.status))) return false;
      return once(async () => {
        dispatch({ type: 'resent', result: await transport.regenerateReply(question.id, { idempotencyKey: createIdempotencyKey() }) });
      });
    },
    async edit(text: string, options: SendOptions = {}) {
      const content = text.trim();
      const question = lastQuestion(get().messages);
      const withMetadata = metadata.forMessage(options.metadata);
      if (withMetadata instanceof Error) throw withMetadata;
      if (resending || !content || !question) return false;
      const input = { content, idempotencyKey: createIdempotencyKey(), metadata: withMetadata };
      return once(async () => {
        dispatch({ type: 'resent', result: await transport.editMessage(question.id, input) });
      });
    },
  };
}
