import type { ChatItem, TaskState } from '@app/async-tasks';

/**
 * A message as the presentational components show it: the fields of the SDK's `ChatItem` they
 * read, so a `ChatItem` fits as it is and stories pass just these. `delivery` matters only on
 * user messages; `status` (final when absent) and `taskId` only on replies; without `createdAt`
 * no time is shown; `feedback`, `canEdit` and `canRegenerate` say which actions it offers.
 */
export type MessageView = Pick<ChatItem, 'id' | 'role' | 'content'> &
  Partial<Pick<ChatItem, 'delivery' | 'status' | 'taskId' | 'createdAt' | 'feedback' | 'canEdit' | 'canRegenerate' | 'attachments'>>;

/**
 * The reply being made as the indicator and error notice show it: the fields of the SDK's
 * `TaskState` they read (`id` gives the reply its place in the conversation before its first
 * words), plus `startedAt`, when this page first saw the task running (ms since
 * epoch, local clock), so the elapsed time does not depend on the server's clock.
 */
export type TaskView = Pick<TaskState, 'status' | 'statusMessage' | 'error'> &
  Partial<Pick<TaskState, 'id' | 'cancelRequested'>> & {
    startedAt?: number;
  };

/**
 * Light, dark, or follow `prefers-color-scheme`.
 *
 * @example
 * const theme: ThemeMode = matchMedia('(prefers-contrast: more)').matches ? 'light' : 'auto';
 */
export type ThemeMode = 'light' | 'dark' | 'auto';

/**
 * Where the chat is shown: a launcher with a floating panel, inside its container, or the whole page.
 *
 * @example
 * const mode: ChatMode = innerWidth < 500 ? 'fullscreen' : 'bubble';
 */
export type ChatMode = 'bubble' | 'inline' | 'fullscreen';
