// The public API of `@app/async-tasks`, at a glance. Other entries: `/react`, `/vue`, `/supabase`,
// `/contract` (the wire types alone), `/testing` (the in-memory transport).

// Tasks
export { createTaskClient, type TaskClient, type CreateTaskOptions } from './task/task-client.js';
export { initialTaskState, type TaskState } from './task/task-state.js';
export { reduceTask, type TaskEvent } from './task/reduce-task.js';

// Chat
export { createChatSession, type ChatSession, type ChatSessionOptions } from './chat/chat-session.js';
export type { ChatSessionStores, ChatSessionCommands, SendOptions } from './chat/session-shape.js';
export type { ChatItem } from './chat/selectors.js';
export { initialChatState, type ChatState, type OutboxItem, type Delivery, type ConversationListState } from './chat/chat-state.js';
export { reduceChat, type ChatAction } from './chat/reduce-chat.js';

// Transports
export type {
  Transport,
  TaskStreamEvent,
  ConversationStreamEvent,
  ConversationPageOptions,
  ConversationListOptions,
  ConnectionState,
  UploadOptions,
} from './transports/transport.js';
export { createHttpTransport, type HttpTransport, type HttpTransportOptions } from './transports/http/http-transport.js';
export type { HttpEnvironment } from './transports/http/environment.js';
export type { GetToken } from './transports/http/anonymous-session.js';
export type { BackoffOptions } from './common/backoff.js';
export { shareAcrossTabs, type ShareAcrossTabsOptions, type TabLocks } from './tabs/share-across-tabs.js';
export type { BroadcastChannelConstructor } from './tabs/tab-channel.js';
export type { KeyValueStorage, Unsubscribe } from './common/types.js';
export { createIdempotencyKey } from './common/idempotency-key.js';

// The wire contract (also `@app/async-tasks/contract`)
export {
  isActive,
  isTerminal,
  type TaskStatus,
  type TaskError,
  type TaskSnapshot,
  type CreateTaskInput,
  type ChatRole,
  type ChatMessage,
  type SendChatInput,
  type SendChatResult,
  type ConversationPage,
  type JsonValue,
  type ChatMetadata,
  type ChatMessageExtras,
  type ConversationSummary,
  type ConversationList,
  type RenameConversationInput,
  type DeletedConversation,
  type FeedbackRating,
  type FeedbackInput,
  type MessageFeedback,
  type RegenerateInput,
  type EditMessageInput,
  type ResendResult,
  type TaskStreamEvents,
  type ConversationStreamEvents,
  type ConversationSnapshot,
  type StreamExpired,
  type TaskOutput,
  type ErrorCode,
  type ErrorBody,
  type AnonymousSession,
} from './contract/index.js';

// Errors
export { AsyncTaskError, type AsyncTaskErrorOptions } from './errors/async-task-error.js';
export { ValidationError } from './errors/validation-error.js';
export { AuthError } from './errors/auth-error.js';
export { TaskNotFoundError } from './errors/task-not-found-error.js';
export { ConversationNotFoundError } from './errors/conversation-not-found-error.js';
export { HttpError } from './errors/http-error.js';
export { NetworkError } from './errors/network-error.js';
