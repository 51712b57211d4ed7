export type {
  TaskStatus,
  TaskError,
  TaskSnapshot,
  ChatMessage,
  ConnectionState,
  TaskState,
  SendChatResult,
  ConversationPage,
  CreateTaskInput,
  SendChatInput,
  KeyValueStorage,
  Unsubscribe,
} from './types.js';
export { reduceTask, initialTaskState, type TaskEvent } from './reduce-task.js';
export { isActive, isTerminal } from './contract/index.js';
export type {
  ChatRole,
  TaskStreamEvents,
  ConversationStreamEvents,
  ConversationSnapshot,
  StreamExpired,
  ErrorCode,
  ErrorBody,
} from './contract/index.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { createIdempotencyKey } from './idempotency-key.js';
export type { Transport, TaskStreamEvent, ConversationStreamEvent, ConversationPageOptions } from './transport.js';
export { createTaskClient, type TaskClient, type CreateTaskOptions } from './task-client.js';
export { createMemoryTransport, type MemoryTransport, type MemoryTransportOptions } from './memory-transport.js';
export { createChatSession, type ChatSession, type ChatSessionOptions } from './chat-session.js';
export type { ChatItem, Delivery } from './chat-state.js';
export { AsyncTaskError, type AsyncTaskErrorOptions } from './errors/async-task-error.js';
export { TaskNotFoundError } from './errors/task-not-found-error.js';
export { ConversationNotFoundError } from './errors/conversation-not-found-error.js';
export { HttpError } from './errors/http-error.js';
export { NetworkError } from './errors/network-error.js';
export { AuthError } from './errors/auth-error.js';
export { ValidationError } from './errors/validation-error.js';
export { errorFromResponse } from './errors/error-from-response.js';
export { createHttpTransport, type HttpTransport, type HttpTransportOptions } from './http-transport.js';
export type { HttpEnvironment } from './http-environment.js';
export type { AnonymousSession, GetToken } from './http-auth.js';
export { createSseParser, type SseEvent } from './sse-parser.js';
export { shareAcrossTabs, type ShareAcrossTabsOptions, type TabLocks } from './share-across-tabs.js';
