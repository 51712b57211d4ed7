import type { ChatMessage, TaskSnapshot } from '../contract/index.js';
import { reduceTask } from '../task/reduce-task.js';
import { initialTaskState, type TaskState } from '../task/task-state.js';
import type { ChatState } from './chat-state.js';

// How server data enters a chat state; both ignore rows of another conversation and return the
// same state when nothing is new.

/** Adds or replaces server messages of the open conversation by id. */
export function withMessages(state: ChatState, messages: readonly ChatMessage[]): ChatState {
  const fresh = messages.filter((m) => m.conversationId === state.conversationId && state.messages.get(m.id)?.seq !== m.seq);
  if (fresh.length === 0) return state;
  const next = new Map(state.messages);
  for (const message of fresh) next.set(message.id, message);
  return { ...state, messages: next };
}

/** Merges task snapshots of the open conversation through `reduceTask`, so older versions never win. */
export function withTasks(state: ChatState, tasks: readonly TaskSnapshot[]): ChatState {
  let next: Map<string, TaskState> | null = null;
  for (const task of tasks) {
    if (task.conversationId !== state.conversationId) continue;
    const current = (next ?? state.tasks).get(task.id) ?? initialTaskState(task.id);
    const merged = reduceTask(current, { type: 'task', task });
    if (merged === current) continue;
    next ??= new Map(state.tasks);
    next.set(task.id, merged);
  }
  return next ? { ...state, tasks: next } : state;
}
