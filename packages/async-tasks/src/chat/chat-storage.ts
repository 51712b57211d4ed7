import type { KeyValueStorage } from '../shared/types.js';
import type { OutboxItem } from './chat-state.js';

type Stored = Pick<OutboxItem, 'localId' | 'idempotencyKey' | 'content' | 'createdAt'>;

/**
 * Persistence of a chat session's conversation id and unsent messages, so a reload resumes the
 * conversation and resends each waiting message with its original idempotency key (never twice).
 * Storage failures (quota, private mode) are ignored: persistence is a convenience.
 */
export function createChatStorage(storage: () => KeyValueStorage | null | undefined, prefix: string) {
  const read = (key: string) => {
    try {
      return storage()?.getItem(`${prefix}:${key}`) ?? null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: string | null) => {
    try {
      const target = storage();
      if (value === null) target?.removeItem(`${prefix}:${key}`);
      else target?.setItem(`${prefix}:${key}`, value);
    } catch {
      // ignored on purpose, see above
    }
  };
  return {
    conversationId: () => read('conversation'),
    saveConversationId: (id: string | null) => write('conversation', id),
    outbox(): OutboxItem[] {
      try {
        const parsed = JSON.parse(read('outbox') ?? '[]') as Stored[];
        return Array.isArray(parsed)
          ? parsed.map((s) => ({
              localId: s.localId,
              idempotencyKey: s.idempotencyKey,
              content: s.content,
              createdAt: s.createdAt,
              delivery: 'queued',
              error: null,
            }))
          : [];
      } catch {
        return [];
      }
    },
    saveOutbox(items: readonly OutboxItem[]) {
      const waiting = items.filter((i) => i.delivery !== 'failed');
      write(
        'outbox',
        waiting.length
          ? JSON.stringify(
              waiting.map(({ localId, idempotencyKey, content, createdAt }) => ({ localId, idempotencyKey, content, createdAt })),
            )
          : null,
      );
    },
  };
}

export type ChatStorage = ReturnType<typeof createChatStorage>;
