import type { ChatMessage } from './chat.js';
import type { TaskSnapshot } from './task.js';

/**
 * The server-sent events of `GET /api/tasks/:id/stream` and `GET /api/conversations/:id/stream`,
 * by event name, with the JSON each one carries. Every data event has `id: <seq>`, so a client
 * that reconnects with `Last-Event-ID` is sent only what it has not seen; a comment line
 * `: keep-alive` comes every 15 s.
 */
export interface TaskStreamEvents {
  /** First event after every (re)connect: the task as it is now. */
  snapshot: TaskSnapshot;
  /** The task changed. */
  task: TaskSnapshot;
  /** The access token expired: the stream closes next; reconnect with a fresh token. */
  expired: StreamExpired;
}

/** The events of a conversation stream (see `TaskStreamEvents`). */
export interface ConversationStreamEvents {
  /**
   * First event after every (re)connect: the latest messages (with `Last-Event-ID`, only newer
   * ones) and the tasks of those messages plus every task still being worked on.
   */
  snapshot: ConversationSnapshot;
  task: TaskSnapshot;
  message: ChatMessage;
  expired: StreamExpired;
}

/** Data of a conversation stream's `snapshot` event. */
export interface ConversationSnapshot {
  messages: ChatMessage[];
  tasks: TaskSnapshot[];
}

/** Data of the `expired` event (it has no id). */
export interface StreamExpired {
  reason: 'token_expired';
}
