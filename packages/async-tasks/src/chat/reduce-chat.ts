import type {
  ChatMessage,
  ConversationList,
  ConversationPage,
  ConversationSummary,
  MessageFeedback,
  ResendResult,
  SendChatResult,
  TaskOutput,
  TaskSnapshot,
} from '../contract/index.js';
import { AsyncTaskError } from '../errors/async-task-error.js';
import { ConversationNotFoundError } from '../errors/conversation-not-found-error.js';
import { reduceTask } from '../task/reduce-task.js';
import type { ConnectionState } from '../transports/transport.js';
import type { ChatState, OutboxItem } from './chat-state.js';
import { listed, summaryAfterSend, withoutConversation } from './conversation-list.js';
import { withRows } from './merge.js';

/**
 * Everything that can happen to a chat session, as data. Effects (the stream, the outbox
 * sender, history paging, tab sync) and commands dispatch these; `reduceChat` alone decides what
 * they change. An action that names a `conversationId` is about that conversation only: a late
 * answer for a conversation that is no longer open changes nothing.
 *
 * The conversation stream's events are actions as they come, under their own names (as
 * `TaskEvent` mirrors a task stream), with the stream's `conversationId` added; the rest are
 * named `<noun>-<action>`.
 *
 * @example
 * state = reduceChat(state, { type: 'message', message });
 */
export type ChatAction =
  /** The stream's first event after every (re)connect. */
  | { type: 'snapshot'; conversationId: string; messages: readonly ChatMessage[]; tasks: readonly TaskSnapshot[] }
  /** A message or task row, from the stream (which names its conversation) or a command's answer. */
  | { type: 'message'; conversationId?: string; message: ChatMessage }
  | { type: 'task'; conversationId?: string; task: TaskSnapshot }
  /** A streaming reply's text grew; applied to its task by `reduceTask` (a task not seen yet waits for its snapshot). */
  | { type: 'output'; conversationId?: string; output: TaskOutput }
  | { type: 'connection'; conversationId: string | null; connection: ConnectionState }
  /** The transport gave up on the conversation's stream (not found, not allowed). */
  | { type: 'error'; conversationId: string; error: Error }
  /** A retry was accepted: the failure shown so far is over. */
  | { type: 'task-retried'; task: TaskSnapshot }
  /** A history page was read (the latest, or the one before `nextBefore`). */
  | { type: 'page-loaded'; conversationId: string; page: ConversationPage }
  | { type: 'older-requested'; conversationId: string }
  | { type: 'history-failed'; conversationId: string; error: Error }
  | { type: 'message-typed'; item: OutboxItem }
  | { type: 'message-sending'; localId: string }
  /** The server stored the message: one change swaps the echo for the stored message. */
  | { type: 'message-sent'; localId: string; result: SendChatResult }
  /**
   * Another tab sent a message: it shows here too, and a conversation that tab started is taken
   * up by a tab that has none.
   */
  | { type: 'message-shared'; result: SendChatResult }
  /**
   * Sending failed. A transient failure (`retryable`: network, 5xx) queues the message again and
   * counts towards the wait before the next try; a refusal (e.g. too long) leaves it `failed`
   * until `retry()`.
   */
  | { type: 'message-failed'; localId: string; error: Error }
  /** Offline: whatever was on its way waits. */
  | { type: 'outbox-paused' }
  /** `retry()`: refused messages are queued again. */
  | { type: 'outbox-retried' }
  | { type: 'network-online' }
  | { type: 'problem-reported'; error: Error }
  /** A regenerate or an edit was accepted: the new question and task, and the messages it replaced. */
  | { type: 'resent'; result: ResendResult }
  | { type: 'feedback-saved'; conversationId: string; feedback: MessageFeedback }
  /** The visitor opened another conversation (null: a new one, made by the first send). */
  | { type: 'conversation-switched'; to: string | null }
  | { type: 'conversations-requested' }
  /** A page of the list: the first (`more: false`, replaces what was listed) or the next. */
  | { type: 'conversations-loaded'; list: ConversationList; more: boolean }
  | { type: 'conversations-failed'; error: Error }
  /** A conversation was created or renamed: listed (a new one first) with what the server answered. */
  | { type: 'conversation-saved'; conversation: ConversationSummary }
  /** A conversation was deleted: unlisted, and left when it is the open one. */
  | { type: 'conversation-deleted'; id: string };

/**
 * The pure state machine of a chat session: no I/O, no timers. Server messages merge by id and
 * tasks through `reduceTask` (by `version`), so replays, duplicates and out-of-order events never
 * duplicate a message or regress a task. Returns the same object when nothing changed.
 *
 * @example
 * const next = reduceChat(state, { type: 'connection', conversationId: state.conversationId, connection: 'live' });
 * if (next !== state) render(next);
 */
export function reduceChat(state: ChatState, action: ChatAction): ChatState {
  if ('conversationId' in action && action.conversationId !== state.conversationId) return state;
  switch (action.type) {
    case 'snapshot':
      return withRows(state, action.messages, action.tasks);
    case 'message':
      return withRows(state, [action.message]);
    case 'task':
      return withRows(state, [], [action.task]);
    case 'output': {
      const task = state.tasks.get(action.output.taskId);
      const grown = task && reduceTask(task, action);
      return grown && grown !== task ? { ...state, tasks: new Map(state.tasks).set(grown.id, grown) } : state;
    }
    case 'connection':
      return patch(state, { connection: action.connection });
    case 'error':
      return failed(state, action.error, { connection: 'offline' });
    case 'task-retried':
      return withRows(patch(state, { problem: null }), [], [action.task]);
    case 'page-loaded': {
      const { messages, tasks, nextBefore, feedback = [] } = action.page;
      return patch(withFeedback(withRows(state, messages, tasks), feedback), { nextBefore, loadingOlder: false });
    }
    case 'older-requested':
      return state.nextBefore === null ? state : patch(state, { loadingOlder: true });
    case 'history-failed':
      return failed(state, action.error, { loadingOlder: false });
    case 'message-typed':
      return patch(state, { outbox: [...state.outbox, action.item] });
    case 'message-sending':
      return deliver(state, (i) => i.localId === action.localId, 'sending', null);
    case 'message-sent': {
      const { localId, result } = action;
      const item = state.outbox.find((i) => i.localId === localId);
      // Where it was typed: a message sent from another conversation than the open one stays there.
      const typedIn = item?.conversationId === undefined ? state.conversationId : item.conversationId;
      const here = typedIn === state.conversationId ? switchTo(state, result.conversationId) : state;
      let outbox = here.outbox.filter((i) => i.localId !== localId);
      // The others typed in the same new conversation go into the one this send made.
      if (typedIn === null) outbox = outbox.map((i) => (i.conversationId === null ? { ...i, conversationId: result.conversationId } : i));
      const confirmed = patch(here, {
        outbox: outbox.length < here.outbox.length || typedIn === null ? outbox : here.outbox,
        problem: null,
        sendFailures: 0,
        conversations: summaryAfterSend(here.conversations, result),
      });
      return withRows(confirmed, [result.message], [result.task]);
    }
    case 'message-shared': {
      const { conversationId, message, task } = action.result;
      return withRows(state.conversationId === null ? switchTo(state, conversationId) : state, [message], [task]);
    }
    case 'message-failed': {
      const { localId, error } = action;
      if (!AsyncTaskError.isInstance(error) || !error.retryable) return deliver(state, (i) => i.localId === localId, 'failed', error);
      const next = deliver(state, (i) => i.localId === localId, 'queued', error);
      return next === state ? state : { ...next, sendFailures: state.sendFailures + 1 };
    }
    case 'outbox-paused':
      return deliver(state, (i) => i.delivery === 'sending', 'queued', null); // a message on its way has no error
    case 'outbox-retried':
      return deliver(state, (i) => i.delivery === 'failed', 'queued', null);
    case 'network-online':
      return patch(state, { sendFailures: 0 });
    case 'problem-reported':
      return patch(state, { problem: action.error });
    case 'resent': {
      const { result } = action;
      if (result.conversationId !== state.conversationId) return state;
      return withRows(patch(state, { problem: null }), [result.message, ...result.replaced], [result.task]);
    }
    case 'feedback-saved':
      return withFeedback(patch(state, { problem: null }), [action.feedback]);
    case 'conversation-switched':
      return switchTo(state, action.to);
    case 'conversations-requested':
      return state.conversations.loading ? state : patch(state, { conversations: { ...state.conversations, loading: true } });
    case 'conversations-loaded': {
      const { list, more } = action;
      const items = more ? listed(state.conversations.items, list.conversations) : list.conversations;
      return patch(state, { conversations: { items, nextCursor: list.nextCursor, loaded: true, loading: false } });
    }
    case 'conversations-failed':
      return patch(state, { problem: action.error, conversations: { ...state.conversations, loading: false } });
    case 'conversation-saved': {
      const { items } = state.conversations;
      const known = items.some((c) => c.id === action.conversation.id);
      const next = known ? items.map((c) => (c.id === action.conversation.id ? action.conversation : c)) : [action.conversation, ...items];
      return patch(state, { problem: null, conversations: { ...state.conversations, items: next } });
    }
    case 'conversation-deleted': {
      const left = state.conversationId === action.id ? switchTo(state, null) : state;
      return patch(left, {
        problem: null,
        conversations: withoutConversation(left.conversations, action.id),
        // Nothing typed for it can go anywhere now.
        outbox: left.outbox.filter((i) => i.conversationId !== action.id),
      });
    }
    default: {
      const unhandled: never = action; // a new action must be handled above
      return unhandled;
    }
  }
}

/** Applies the fields that differ; the same object when none does. */
function patch(state: ChatState, change: Partial<ChatState>): ChatState {
  for (const key in change) if (change[key as keyof ChatState] !== state[key as keyof ChatState]) return { ...state, ...change };
  return state;
}

/**
 * A conversation change starts from nothing, except what is still to be sent, how the line is
 * and the conversation list. Messages waiting in the outbox keep the conversation they were typed in.
 */
function switchTo(state: ChatState, conversationId: string | null): ChatState {
  if (conversationId === state.conversationId) return state;
  const outbox = state.outbox.some((i) => i.conversationId === undefined)
    ? state.outbox.map((i) => (i.conversationId === undefined ? { ...i, conversationId: state.conversationId } : i))
    : state.outbox;
  return {
    ...state,
    conversationId,
    outbox,
    messages: new Map(),
    tasks: new Map(),
    feedback: new Map(),
    nextBefore: null,
    loadingOlder: false,
    problem: null,
  };
}

/** Feedback rows of the open conversation's messages (another conversation's are not known here and kept out by id). */
function withFeedback(state: ChatState, rows: readonly MessageFeedback[]): ChatState {
  const fresh = rows.filter((f) => {
    const known = state.feedback.get(f.messageId);
    return !known || known.updatedAt !== f.updatedAt || known.rating !== f.rating || known.comment !== f.comment;
  });
  if (!fresh.length) return state;
  const feedback = new Map(state.feedback);
  for (const f of fresh) feedback.set(f.messageId, f);
  return { ...state, feedback };
}

/** A conversation that is gone is forgotten (the next send starts a new one); other failures are shown. */
function failed(state: ChatState, error: Error, change: Partial<ChatState>): ChatState {
  return ConversationNotFoundError.isInstance(error) ? switchTo(state, null) : patch(state, { ...change, problem: error });
}

/** Moves the outbox items `which` selects to `delivery`, with `error`. */
function deliver(state: ChatState, which: (item: OutboxItem) => boolean, delivery: OutboxItem['delivery'], error: Error | null): ChatState {
  let changed = false;
  const outbox = state.outbox.map((item) => {
    if (!which(item) || (item.delivery === delivery && item.error === error)) return item;
    changed = true;
    return { ...item, delivery, error };
  });
  return changed ? { ...state, outbox } : state;
}
