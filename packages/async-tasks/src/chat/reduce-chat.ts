import type { ChatMessage, ConversationPage, SendChatResult, TaskSnapshot } from '../contract/index.js';
import { ConversationNotFoundError } from '../errors/conversation-not-found-error.js';
import type { ConnectionState } from '../transports/transport.js';
import { type ChatState, initialChatState, type OutboxItem } from './chat-state.js';
import { withMessages, withTasks } from './merge.js';

/**
 * Everything that can happen to a chat session, as data. Effects (the stream, the outbox
 * sender, history paging, tab sync) and commands dispatch these; `reduceChat` alone decides what
 * they change. Actions about a conversation carry its id, so a late answer for a conversation
 * that is no longer open changes nothing.
 *
 * @example
 * state = reduceChat(state, { type: 'message-received', message });
 */
export type ChatAction =
  /** This tab opened another conversation (or forgot one that is gone: `null`). */
  | { type: 'conversation-opened'; conversationId: string | null }
  /** Another tab started a conversation; taken only while this tab has none. */
  | { type: 'conversation-shared'; conversationId: string }
  | { type: 'snapshot-received'; conversationId: string; messages: readonly ChatMessage[]; tasks: readonly TaskSnapshot[] }
  | { type: 'message-received'; message: ChatMessage }
  | { type: 'task-received'; task: TaskSnapshot }
  /** A retry was accepted: the failure shown so far is over. */
  | { type: 'task-retried'; task: TaskSnapshot }
  | { type: 'connection-changed'; conversationId: string | null; connection: ConnectionState }
  /** The transport gave up on the conversation's stream (not found, not allowed). */
  | { type: 'stream-failed'; conversationId: string; error: Error }
  /** The latest page (`older: false`) or the one before `nextBefore` was read. */
  | { type: 'page-loaded'; conversationId: string; page: ConversationPage; older: boolean }
  | { type: 'older-requested'; conversationId: string }
  | { type: 'history-failed'; conversationId: string; error: Error }
  | { type: 'message-typed'; item: OutboxItem }
  | { type: 'message-sending'; localId: string }
  /** The server stored the message: one change swaps the echo for the stored message. */
  | { type: 'message-sent'; localId: string; result: SendChatResult }
  /** Another tab sent a message. */
  | { type: 'message-shared'; result: SendChatResult }
  /** A transient failure: the message waits and is tried again. */
  | { type: 'message-deferred'; localId: string; error: Error }
  /** The server refused the message (e.g. too long); it stays `failed` until `retry()`. */
  | { type: 'message-refused'; localId: string; error: Error }
  /** Offline: whatever was on its way waits. */
  | { type: 'outbox-paused' }
  /** `retry()`: refused messages are queued again. */
  | { type: 'outbox-retried' }
  | { type: 'network-online' }
  | { type: 'problem-reported'; error: Error };

/**
 * The pure state machine of a chat session: no I/O, no timers. Server messages merge by id and
 * tasks through `reduceTask` (by `version`), so replays, duplicates and out-of-order events never
 * duplicate a message or regress a task. Returns the same object when nothing changed.
 *
 * @example
 * const next = reduceChat(state, { type: 'connection-changed', conversationId: state.conversationId, connection: 'live' });
 * if (next !== state) render(next);
 */
export function reduceChat(state: ChatState, action: ChatAction): ChatState {
  const open = (conversationId: string | null) => conversationId === state.conversationId;
  switch (action.type) {
    case 'conversation-opened':
      return switchTo(state, action.conversationId);
    case 'conversation-shared':
      return state.conversationId === null ? switchTo(state, action.conversationId) : state;
    case 'snapshot-received':
      return open(action.conversationId) ? withTasks(withMessages(state, action.messages), action.tasks) : state;
    case 'message-received':
      return withMessages(state, [action.message]);
    case 'task-received':
      return withTasks(state, [action.task]);
    case 'task-retried':
      return withTasks(patch(state, { problem: null }), [action.task]);
    case 'connection-changed':
      return open(action.conversationId) ? patch(state, { connection: action.connection }) : state;
    case 'stream-failed':
      if (!open(action.conversationId)) return state;
      return ConversationNotFoundError.isInstance(action.error)
        ? switchTo(state, null)
        : patch(state, { problem: action.error, connection: 'offline' });
    case 'page-loaded': {
      if (!open(action.conversationId)) return state;
      const { messages, tasks, nextBefore } = action.page;
      return patch(withTasks(withMessages(state, messages), tasks), {
        nextBefore,
        loadingOlder: action.older ? false : state.loadingOlder,
      });
    }
    case 'older-requested':
      return open(action.conversationId) && state.nextBefore !== null ? patch(state, { loadingOlder: true }) : state;
    case 'history-failed':
      if (!open(action.conversationId)) return state;
      return ConversationNotFoundError.isInstance(action.error)
        ? switchTo(state, null)
        : patch(state, { problem: action.error, loadingOlder: false });
    case 'message-typed':
      return state.outbox.some((i) => i.localId === action.item.localId) ? state : patch(state, { outbox: [...state.outbox, action.item] });
    case 'message-sending':
      return mark(state, action.localId, 'sending', null);
    case 'message-sent': {
      const { localId, result } = action;
      const here = switchTo(state, result.conversationId);
      const outbox = here.outbox.filter((i) => i.localId !== localId);
      const confirmed = patch(here, {
        outbox: outbox.length === here.outbox.length ? here.outbox : outbox,
        problem: null,
        sendFailures: 0,
      });
      return withTasks(withMessages(confirmed, [result.message]), [result.task]);
    }
    case 'message-shared':
      return action.result.conversationId === state.conversationId
        ? withTasks(withMessages(state, [action.result.message]), [action.result.task])
        : state;
    case 'message-deferred': {
      const next = mark(state, action.localId, 'queued', action.error);
      return next === state ? state : patch(next, { sendFailures: state.sendFailures + 1 });
    }
    case 'message-refused':
      return mark(state, action.localId, 'failed', action.error);
    case 'outbox-paused':
      return remark(
        state,
        (i) => i.delivery === 'sending',
        'queued',
        (i) => i.error,
      );
    case 'outbox-retried':
      return remark(
        state,
        (i) => i.delivery === 'failed',
        'queued',
        () => null,
      );
    case 'network-online':
      return patch(state, { sendFailures: 0 });
    case 'problem-reported':
      return patch(state, { problem: action.error });
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

/** A conversation change starts from nothing, except what is still to be sent and how the line is. */
function switchTo(state: ChatState, conversationId: string | null): ChatState {
  if (conversationId === state.conversationId) return state;
  return { ...initialChatState({ conversationId, connection: state.connection, outbox: state.outbox }), sendFailures: state.sendFailures };
}

function mark(state: ChatState, localId: string, delivery: OutboxItem['delivery'], error: Error | null): ChatState {
  return remark(
    state,
    (i) => i.localId === localId,
    delivery,
    () => error,
  );
}

function remark(
  state: ChatState,
  which: (item: OutboxItem) => boolean,
  delivery: OutboxItem['delivery'],
  error: (item: OutboxItem) => Error | null,
): ChatState {
  let changed = false;
  const outbox = state.outbox.map((item) => {
    if (!which(item) || (item.delivery === delivery && item.error === error(item))) return item;
    changed = true;
    return { ...item, delivery, error: error(item) };
  });
  return changed ? { ...state, outbox } : state;
}
