import type { ReadableStore } from './use-store.js';

/** A message as the SDK's chat session holds it (contracts.md §3 `ChatItem`). */
export interface ChatItemLike {
  id: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  createdAt?: string;
  delivery?: 'sending' | 'queued' | 'sent' | 'failed';
  taskId?: string | null;
}

/** The reply being made as the SDK's chat session holds it (a `TaskState`). */
export interface ActiveTaskLike {
  id: string;
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
  statusMessage: string | null;
  error: { code: string; message: string; retryable?: boolean } | null;
  attempt?: number;
  cancelRequested?: boolean;
  loaded?: boolean;
}

/**
 * What `ChatWidget` needs from a chat session: the SDK's `createChatSession` result fits, and so
 * does any object with the same stores and commands (handy in tests).
 */
export interface ChatSessionLike {
  $messages: ReadableStore<readonly ChatItemLike[]>;
  $activeTask: ReadableStore<ActiveTaskLike | null>;
  $connection: ReadableStore<'connecting' | 'live' | 'reconnecting' | 'offline'>;
  send(text: string): unknown;
  stop(): unknown;
  retry(): unknown;
  loadOlder?(): unknown;
  /** Whether older messages exist; a store or absent. */
  $hasOlder?: ReadableStore<boolean>;
  destroy(): void;
}
