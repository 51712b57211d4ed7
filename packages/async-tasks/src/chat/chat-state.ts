import { initialTaskState, reduceTask } from './reduce-task.js';
import type { ChatMessage, ConnectionState, TaskSnapshot, TaskState } from './types.js';

/** How far a message got: `queued` waits for the network, `failed` was refused (see `error`). */
export type Delivery = 'sending' | 'queued' | 'sent' | 'failed';

/** One line of the chat as a UI shows it. */
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

/** A message typed but not yet confirmed by the server; persisted so a reload resends it with the same key. */
export interface OutboxItem {
  localId: string;
  idempotencyKey: string;
  content: string;
  createdAt: string;
  delivery: Exclude<Delivery, 'sent'>;
  error: Error | null;
}

/** Everything a chat session knows; replaced (never mutated) on every change. */
export interface ChatState {
  conversationId: string | null;
  messages: ReadonlyMap<string, ChatMessage>;
  tasks: ReadonlyMap<string, TaskState>;
  outbox: readonly OutboxItem[];
  connection: ConnectionState;
  nextBefore: number | null;
  problem: Error | null;
}

export const emptyChatState = (conversationId: string | null, connection: ConnectionState): ChatState => ({
  conversationId,
  messages: new Map(),
  tasks: new Map(),
  outbox: [],
  connection,
  nextBefore: null,
  problem: null,
});

/** Adds or replaces server messages by id. */
export function withMessages(state: ChatState, messages: readonly ChatMessage[]): ChatState {
  const fresh = messages.filter((m) => m.conversationId === state.conversationId && state.messages.get(m.id)?.seq !== m.seq);
  if (fresh.length === 0) return state;
  const next = new Map(state.messages);
  for (const message of fresh) next.set(message.id, message);
  return { ...state, messages: next };
}

/** Merges task snapshots through `reduceTask`, so older versions never win. */
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

/** The chat as a list: sent messages in `seq` order, then the outbox in typing order. */
export function chatItems(state: ChatState): ChatItem[] {
  const sent = [...state.messages.values()].sort((a, b) => a.seq - b.seq);
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
    ...state.outbox.map(
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
export function activeTask(state: ChatState): TaskState | null {
  const replies = [...state.tasks.values()].filter((t) => t.loaded && t.kind === 'chat.reply');
  replies.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.version - b.version));
  const running = replies.filter((t) => t.status === 'pending' || t.status === 'processing');
  const newest = running.at(-1) ?? replies.at(-1);
  if (!newest || (newest.status !== 'pending' && newest.status !== 'processing' && newest.status !== 'failed')) return null;
  return newest.connection === state.connection ? newest : { ...newest, connection: state.connection };
}

/** Recomputes `derive(state)` only when the parts it reads changed, so stores notify only on real change. */
export function memo<R>(parts: (state: ChatState) => unknown[], derive: (state: ChatState) => R): (state: ChatState) => R {
  let last: unknown[] = [];
  let value: R;
  return (state) => {
    const next = parts(state);
    if (next.length !== last.length || next.some((part, i) => part !== last[i])) {
      last = next;
      value = derive(state);
    }
    return value;
  };
}
