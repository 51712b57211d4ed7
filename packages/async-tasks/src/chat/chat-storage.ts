import type { KeyValueStorage } from '../common/types.js';
import type { OutboxItem } from './chat-state.js';

type Stored = Omit<OutboxItem, 'delivery' | 'error'>;

/**
 * Persistence of a chat session's conversation id and unsent messages, so a reload resumes the
 * conversation and resends each waiting message with its original idempotency key (never twice).
 * Storage failures (quota, private mode) are ignored: persistence is a convenience.
 */
export function createChatStorage(storage: () => KeyValueStorage | null | undefined, prefix: string) {
  const read = (name: string) => {
    try {
      return storage()?.getItem(`${prefix}:${name}`) ?? null;
    } catch {
      return null;
    }
  };
  const write = (name: string, value: string | null) => {
    try {
      const target = storage();
      if (value === null) target?.removeItem(`${prefix}:${name}`);
      else target?.setItem(`${prefix}:${name}`, value);
    } catch {
      // ignored on purpose, see above
    }
  };
  return {
    conversationId: () => read('conversation'),
    saveConversationId: (id: string | null) => write('conversation', id),
    outbox(): OutboxItem[] {
      try {
        // Anything but a list of stored messages throws here and counts as none.
        return (JSON.parse(read('outbox') ?? '[]') as Stored[]).map((stored) => ({ ...stored, delivery: 'queued', error: null }));
      } catch {
        return [];
      }
    },
    saveOutbox(items: readonly OutboxItem[]) {
      // What a reload needs to resend a message as the same one: all but how far it got.
      const waiting = items.filter((i) => i.delivery !== 'failed').map(({ delivery, error, ...stored }): Stored => stored);
      write('outbox', waiting.length ? JSON.stringify(waiting) : null);
    },
  };
}

export type ChatStorage = ReturnType<typeof createChatStorage>;
