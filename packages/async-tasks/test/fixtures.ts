import type { ChatMessage, TaskSnapshot } from '../src/contract/index.js';
import type { KeyValueStorage } from '../src/common/types.js';

/** A task snapshot with sensible defaults. */
export function snapshot(change: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    id: 't1',
    kind: 'chat.reply',
    conversationId: null,
    status: 'pending',
    statusMessage: null,
    partialText: null,
    result: null,
    error: null,
    attempt: 0,
    maxAttempts: 3,
    cancelRequested: false,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    nextAttemptAt: null,
    deadlineAt: null,
    ...change,
  };
}

/** A chat message row with sensible defaults. */
export function message(change: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 'm1',
    conversationId: 'c1',
    role: 'user',
    content: 'Hello',
    asyncTaskId: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    seq: 1,
    ...change,
  };
}

/** An in-memory `localStorage`. */
export function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}
