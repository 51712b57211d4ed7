import type { ChatMessage } from './chat.js';
import type { TaskSnapshot } from './task.js';

/**
 * The server-sent events of `GET /api/tasks/:id/stream` and `GET /api/conversations/:id/stream`,
 * by event name, with the JSON each one carries. Every data event has `id: <seq>`, so a client
 * that reconnects with `Last-Event-ID` is sent only what it has not seen; a comment line
 * `: keep-alive` comes every 15 s.
 *
 * @example
 * source.addEventListener('task', (e) => render(JSON.parse(e.data) as TaskStreamEvents['task']));
 */
export interface TaskStreamEvents {
  /** First event after every (re)connect: the task as it is now. */
  snapshot: TaskSnapshot;
  /** The task changed. */
  task: TaskSnapshot;
  /** The text of a streaming reply grew (and nothing else changed but its version). */
  output: TaskOutput;
  /** The access token expired: the stream closes next; reconnect with a fresh token. */
  expired: StreamExpired;
}

/**
 * The events of a conversation stream (see `TaskStreamEvents`).
 *
 * @example
 * const onMessage = (row: ConversationStreamEvents['message']) => append(row);
 */
export interface ConversationStreamEvents {
  /**
   * First event after every (re)connect: the latest messages (with `Last-Event-ID`, only newer
   * ones) and the tasks of those messages plus every task still being worked on.
   */
  snapshot: ConversationSnapshot;
  task: TaskSnapshot;
  message: ChatMessage;
  output: TaskOutput;
  expired: StreamExpired;
}

/**
 * Data of a conversation stream's `snapshot` event.
 *
 * @example
 * const { messages, tasks }: ConversationSnapshot = JSON.parse(event.data);
 */
export interface ConversationSnapshot {
  messages: ChatMessage[];
  tasks: TaskSnapshot[];
}

/**
 * Data of the `expired` event (it has no id).
 *
 * @example
 * const expired: StreamExpired = { reason: 'token_expired' };
 */
export interface StreamExpired {
  reason: 'token_expired';
}

/**
 * Data of the `output` event: task `taskId`, at `version`, now has
 * `partialText = previous.slice(0, from) + text`, where previous is the text this stream last
 * carried for it. The server sends it instead of a whole `task` event when a streaming reply only
 * grew, so a long reply costs its length once, not once per update. Apply it only on top of an
 * older version whose text is at least `from` long; otherwise wait for the next full event.
 *
 * @example
 * if (state.version < out.version && (state.partialText ?? '').length >= out.from)
 *   state = { ...state, version: out.version, partialText: (state.partialText ?? '').slice(0, out.from) + out.text };
 */
export interface TaskOutput {
  taskId: string;
  version: number;
  updatedAt: string;
  from: number;
  text: string;
}
