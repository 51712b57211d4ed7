import type { ChatMessage } from '../contract/index.js';
import { isActive } from '../contract/index.js';
import type { TaskState } from '../task/task-state.js';
import type { ChatState, Delivery } from './chat-state.js';

/**
 * One line of the chat as a UI shows it.
 *
 * @example
 * chat.$messages.subscribe((items: ChatItem[]) => list.replaceChildren(...items.map((m) => line(m.role, m.content, m.delivery))));
 */
export interface ChatItem {
  /** The server's id once sent; a local id (`local-…`) before. */
  id: string;
  role: ChatMessage['role'];
  content: string;
  createdAt: string;
  delivery: Delivery;
  /** The reply task this user message started (null until sent, and for assistant messages made before tasks). */
  taskId: string | null;
  /** Why delivery failed, when it did. */
  error: Error | null;
}

/**
 * The chat as a list: sent messages in `seq` order, then the outbox in typing order. Selectors
 * take only the parts of `ChatState` they read, so each store recomputes only when those change.
 */
export function chatItems(messages: ChatState['messages'], outbox: ChatState['outbox']): ChatItem[] {
  const sent = [...messages.values()].sort((a, b) => a.seq - b.seq);
  return [
    ...sent.map(
      (m): ChatItem => ({
        id: m.id,
        role: m.role,
        content: m.content,
        createdAt: m.createdAt,
        delivery: 'sent',
        taskId: m.asyncTaskId,
        error: null,
      }),
    ),
    ...outbox.map(
      (o): ChatItem => ({
        id: o.localId,
        role: 'user',
        content: o.content,
        createdAt: o.createdAt,
        delivery: o.delivery,
        taskId: null,
        error: o.error,
      }),
    ),
  ];
}

/**
 * The reply the UI should show progress (or failure) for: the newest pending/processing chat task,
 * else the newest task when it failed, else none.
 */
export function activeTask(tasks: ChatState['tasks'], connection: ChatState['connection']): TaskState | null {
  const replies = [...tasks.values()].filter((t) => t.loaded && t.kind === 'chat.reply');
  replies.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.version - b.version));
  const newest = replies.filter((t) => isActive(t.status)).at(-1) ?? replies.at(-1);
  if (!newest || (!isActive(newest.status) && newest.status !== 'failed')) return null;
  return newest.connection === connection ? newest : { ...newest, connection };
}
