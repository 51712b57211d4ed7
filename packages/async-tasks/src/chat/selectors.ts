import type { Attachment, ChatMessage, MessageFeedback } from '../contract/index.js';
import { isActive } from '../contract/index.js';
import type { TaskState } from '../task/task-state.js';
import type { ChatState, Delivery } from './chat-state.js';

/**
 * One line of the chat as a UI shows it.
 *
 * @example
 * chat.$messages.subscribe((items: ChatItem[]) => list.replaceChildren(...items.map((m) => line(m.role, m.content, m.status))));
 */
export interface ChatItem {
  /**
   * The server's id once sent; a local id (`local-…`) before. A reply without its message yet is
   * `reply:<taskId>`: key assistant items by `taskId` to keep one node from the first words to the
   * stored message.
   */
  id: string;
  role: ChatMessage['role'];
  content: string;
  createdAt: string;
  delivery: Delivery;
  /**
   * The reply task this user message started, or the one that wrote this assistant item (null
   * until sent, and for messages made without a task).
   */
  taskId: string | null;
  /** Why delivery failed, when it did. */
  error: Error | null;
  /**
   * Whether the text is all there is: `final` for messages (and a finished reply until its message
   * arrives); a reply without its message is `streaming` while being written, `stopped` when the
   * visitor stopped it (with what it had written, maybe nothing), `interrupted` when it failed
   * after writing some text (the error and Retry are on the session's active task).
   */
  status: 'final' | 'streaming' | 'stopped' | 'interrupted';
  /** The visitor's rating of an assistant message (null: none yet, and for everything else). */
  feedback: MessageFeedback | null;
  /** Whether `regenerate()` applies to this item: the last reply of the thread, finished (completed, stopped or failed). */
  canRegenerate: boolean;
  /** Whether `edit()` applies to this item: the last user message of the thread, stored. */
  canEdit: boolean;
  /** The files of a user message (absent when it has none), each with a short-lived read URL. */
  attachments?: Attachment[];
}

/**
 * The chat as a list: sent messages in `seq` order, each reply that has no message yet right after
 * the user message that asked for it, then the outbox in typing order. Selectors take only the
 * parts of `ChatState` they read, so each store recomputes only when those change.
 */
export function chatItems(
  messages: ChatState['messages'],
  outbox: ChatState['outbox'],
  tasks: ChatState['tasks'],
  feedback: ChatState['feedback'] = new Map(),
  conversationId: ChatState['conversationId'] = null,
): ChatItem[] {
  // A message a regenerate or an edit replaced is kept by the server, but not part of the thread.
  const sent = [...messages.values()].filter((m) => !m.replacedByTaskId).sort((a, b) => a.seq - b.seq);
  const replies = new Map<string | null, ChatItem>();
  // A task a regenerate or an edit replaced is kept by the server, but not part of the thread.
  const replaced = new Set<string>();
  for (const task of tasks.values()) if (task.replacesTaskId) replaced.add(task.replacesTaskId);
  for (const task of tasks.values()) {
    const item = replaced.has(task.id) ? undefined : replyItem(task);
    if (item) replies.set(task.id, item);
  }
  for (const m of messages.values()) if (m.role === 'assistant') replies.delete(m.asyncTaskId);
  const items: ChatItem[] = [];
  for (const m of sent) {
    items.push({
      id: m.id,
      role: m.role,
      content: m.content,
      createdAt: m.createdAt,
      delivery: 'sent',
      taskId: m.asyncTaskId,
      error: null,
      status: 'final',
      feedback: feedback.get(m.id) ?? null,
      canRegenerate: false,
      canEdit: false,
      ...(m.attachments?.length ? { attachments: m.attachments } : {}),
    });
    const reply = replies.get(m.asyncTaskId);
    if (reply) items.push(reply);
    replies.delete(m.asyncTaskId);
  }
  const waiting = outbox.filter((o) => o.conversationId === undefined || o.conversationId === conversationId);
  markLastTurn(items, tasks, waiting.length > 0);
  return [
    ...items,
    // A reply whose question is not loaded (yet): still shown, after what is.
    ...replies.values(),
    ...waiting.map(
      (o): ChatItem => ({
        id: o.localId,
        role: 'user',
        content: o.content,
        createdAt: o.createdAt,
        delivery: o.delivery,
        taskId: null,
        error: o.error,
        status: 'final',
        feedback: null,
        canRegenerate: false,
        canEdit: false,
        ...(o.attachments?.length ? { attachments: o.attachments } : {}),
      }),
    ),
  ];
}

/** Marks the last user message as editable and the reply after it as regenerable, when nothing is on its way. */
function markLastTurn(items: ChatItem[], tasks: ChatState['tasks'], typing: boolean) {
  if (typing) return;
  let lastUser = items.length - 1;
  while (lastUser >= 0 && items[lastUser]!.role !== 'user') lastUser--;
  if (lastUser < 0) return;
  const question = items[lastUser]!;
  const task = question.taskId ? tasks.get(question.taskId) : undefined;
  items[lastUser] = { ...question, canEdit: true };
  const reply = items[lastUser + 1];
  if (
    reply &&
    reply.role === 'assistant' &&
    reply.taskId === question.taskId &&
    !(task && isActive(task.status)) &&
    reply.status !== 'streaming'
  ) {
    items[lastUser + 1] = { ...reply, canRegenerate: true };
  }
}

/** What a chat reply task shows before its message exists, if anything. */
function replyItem(task: TaskState): ChatItem | undefined {
  const { status } = task;
  const content = status === 'completed' ? (task.result as { content?: unknown } | null)?.content : (task.partialText ?? '');
  const shown = status === 'completed' ? 'final' : status === 'cancelled' ? 'stopped' : status === 'failed' ? 'interrupted' : 'streaming';
  // Nothing written yet shows no item (the UI shows the status message), except after Stop.
  if (task.kind !== 'chat.reply' || typeof content !== 'string' || !(content || shown === 'stopped')) return;
  return {
    id: `reply:${task.id}`,
    role: 'assistant',
    content,
    createdAt: task.updatedAt,
    delivery: 'sent',
    taskId: task.id,
    error: null,
    status: shown,
    feedback: null,
    canRegenerate: false,
    canEdit: false,
  };
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

/** The question a regenerate or an edit is about: the newest user message of the thread, if stored. */
export function lastQuestion(messages: ChatState['messages']): ChatMessage | undefined {
  let last: ChatMessage | undefined;
  for (const m of messages.values()) if (m.role === 'user' && !m.replacedByTaskId && (!last || m.seq > last.seq)) last = m;
  return last;
}
