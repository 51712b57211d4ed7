/** Where a task is in its life. `completed` and `cancelled` are final; `failed` is left only by a retry. */
export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

/** Why a task failed, as the server stores it. */
export interface TaskError {
  code: string;
  message: string;
  retryable: boolean;
  details?: unknown;
}

/** A task row as the server sends it (contracts.md §2). */
export interface TaskSnapshot {
  id: string;
  kind: string;
  conversationId: string | null;
  status: TaskStatus;
  statusMessage: string | null;
  result: unknown | null;
  error: TaskError | null;
  attempt: number;
  maxAttempts: number;
  cancelRequested: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
  deadlineAt: string | null;
}

/** A chat message row as the server sends it (contracts.md §2). */
export interface ChatMessage {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  asyncTaskId: string | null;
  createdAt: string;
  seq: number;
}

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

/** Answer of `POST /api/chat/send`. */
export interface SendChatResult {
  conversationId: string;
  message: ChatMessage;
  task: TaskSnapshot;
}

/** Answer of `GET /api/conversations/:id`. */
export interface ConversationPage {
  conversationId: string;
  messages: ChatMessage[];
  tasks: TaskSnapshot[];
  nextBefore: number | null;
}

/** Input of `POST /api/tasks`. */
export interface CreateTaskInput {
  kind: string;
  input: unknown;
  idempotencyKey: string;
  maxAttempts?: number;
  timeoutSeconds?: number;
}

/** Input of `POST /api/chat/send`. */
export interface SendChatInput {
  conversationId?: string | null;
  content: string;
  idempotencyKey: string;
}

/** Minimal synchronous key-value storage (localStorage's shape). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Stops a subscription. */
export type Unsubscribe = () => void;
