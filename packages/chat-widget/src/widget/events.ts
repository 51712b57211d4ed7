import type { ChatItem, TaskState } from '@app/async-tasks';

/**
 * `detail` of `message-sent` (`onMessageSent`): the visitor sent a message.
 *
 * @example
 * <ChatWidget onMessageSent={({ text }: MessageSentDetail) => analytics.track('chat_message', { length: text.length })} />
 */
export interface MessageSentDetail {
  text: string;
}

/**
 * `detail` of `reply-received` (`onReplyReceived`): a reply this page watched being made arrived
 * (history loaded later does not fire it).
 *
 * @example
 * chat.addEventListener('reply-received', (e) => {
 *   const { message } = (e as CustomEvent<ReplyReceivedDetail>).detail;
 *   console.log(message.content);
 * });
 */
export interface ReplyReceivedDetail {
  message: ChatItem;
}

/**
 * `detail` of `task-failed` (`onTaskFailed`): a reply failed (timeout, AI service error); the
 * panel offers Retry.
 *
 * @example
 * <ChatWidget onTaskFailed={({ task }: TaskFailedDetail) => reportError(task.error?.code)} />
 */
export interface TaskFailedDetail {
  task: TaskState;
}
