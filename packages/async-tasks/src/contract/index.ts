// The wire contract between the server, the SDK and the widget: types only, plus two helpers
// small enough to share. Imported as `@app/async-tasks/contract` by the server.
export { type TaskStatus, type TaskError, type TaskSnapshot, type CreateTaskInput, isActive, isTerminal } from './task.js';
export type {
  ChatRole,
  ChatMessage,
  ChatMessageExtras,
  SendChatInput,
  SendChatResult,
  ConversationPage,
  JsonValue,
  ChatMetadata,
  ChatMetadataInput,
  ConversationSummary,
  ConversationList,
  RenameConversationInput,
  DeletedConversation,
  FeedbackRating,
  FeedbackInput,
  MessageFeedback,
  RegenerateInput,
  EditMessageInput,
  ResendResult,
} from './chat.js';
export type { TaskStreamEvents, ConversationStreamEvents, ConversationSnapshot, StreamExpired, TaskOutput } from './stream.js';
export type { ErrorCode, ErrorBody } from './error.js';
export type { AnonymousSession } from './session.js';
export type { Attachment, UploadResult, UploadSettings } from './attachment.js';
