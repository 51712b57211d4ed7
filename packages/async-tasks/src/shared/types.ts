import type { TaskSnapshot } from './contract/index.js';

export type {
  TaskStatus,
  TaskError,
  TaskSnapshot,
  ChatMessage,
  SendChatResult,
  ConversationPage,
  CreateTaskInput,
  SendChatInput,
} from './contract/index.js';

/** State of the live update channel behind a store. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/**
 * The value of a task store: the latest snapshot (merged by `version`) plus the connection state.
 * Until the first snapshot arrives `loaded` is false and the snapshot fields hold placeholders.
 */
export interface TaskState extends TaskSnapshot {
  loaded: boolean;
  connection: ConnectionState;
  /** Why the task could not be loaded or followed (e.g. not found); failures are state, not throws. */
  problem: Error | null;
}

/** Minimal synchronous key-value storage (localStorage's shape). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Stops a subscription. */
export type Unsubscribe = () => void;
