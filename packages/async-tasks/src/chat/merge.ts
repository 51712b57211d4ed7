import type { ChatMessage, TaskSnapshot } from '../contract/index.js';
import { reduceTask } from '../task/reduce-task.js';
import type { TaskState } from '../task/task-state.js';
import type { ChatState } from './chat-state.js';

/**
 * How server rows enter a chat state: messages by id, tasks through `reduceTask` (so an older
 * version never wins). Rows of another conversation are ignored; the same state comes back when
 * nothing is new.
 */
export function withRows(state: ChatState, messages: readonly ChatMessage[], tasks: readonly TaskSnapshot[] = []): ChatState {
  const { conversationId } = state;
  const fresh = messages.filter((m) => m.conversationId === conversationId && state.messages.get(m.id)?.seq !== m.seq);
  let nextMessages: Map<string, ChatMessage> | null = null;
  if (fresh.length) {
    nextMessages = new Map(state.messages);
    for (const message of fresh) nextMessages.set(message.id, message);
  }
  let nextTasks: Map<string, TaskState> | null = null;
  for (const task of tasks) {
    if (task.conversationId !== conversationId) continue;
    const current = (nextTasks ?? state.tasks).get(task.id);
    // A task seen for the first time is loaded as it is; the chat's connection is shown on it by the selectors.
    const merged = current
      ? reduceTask(current, { type: 'task', task })
      : { ...task, loaded: true, connection: state.connection, problem: null };
    if (merged === current) continue;
    nextTasks ??= new Map(state.tasks);
    nextTasks.set(task.id, merged);
  }
  return nextMessages || nextTasks ? { ...state, messages: nextMessages ?? state.messages, tasks: nextTasks ?? state.tasks } : state;
}
