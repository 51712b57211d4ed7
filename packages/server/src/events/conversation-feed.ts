import type { ChatMessage, TaskSnapshot } from '@app/async-tasks/contract';
import type { Caller } from '../auth/access-token-verifier.js';
import { conversationExists, readConversationTasks, readMessage, readMessagePage, readMessagesAfter, readTask } from '../db/queries.js';
import { toChatMessage, toTaskSnapshot } from '../db/rows.js';
import type { AsyncTaskRow, ChatMessageRow } from '../db/tables.js';
import type { Queryable, ServerDatabase } from '../db/types.js';
import { coalescedReads } from './coalesced-reads.js';
import type { EventStreamOptions, SendEvent } from './event-stream.js';
import type { AppEvent, EventHub } from './event-hub.js';
import { createSerialQueue } from './serial.js';
import { taskEvent } from './task-event.js';

export interface ConversationFeedOptions {
  db: ServerDatabase;
  hub: EventHub;
  caller: Caller;
  conversationId: string;
  /** From `Last-Event-ID`: only messages with a larger `seq` go into the snapshot, plus every task changed since. */
  lastEventId: number | null;
  onError: (error: unknown) => void;
  /** Adds what a message carries beyond its row (its attachments), read in the same transaction. */
  decorate?: (tx: Queryable, messages: ChatMessage[]) => Promise<ChatMessage[]>;
}

/** A conversation stream whose snapshot has been read: start it, or cancel it (nothing was sent). */
export interface OpenedConversationFeed {
  start: EventStreamOptions['start'];
  cancel(): void;
}

/**
 * Opens a conversation stream's feed before the response is: subscribes first (buffering), then
 * reads the snapshot as the caller, in the transaction that checks the conversation is the
 * caller's (null when it is not: answer 404). `start` sends that snapshot, then each changed
 * row re-read as the caller, so RLS decides what the stream may carry. A burst of
 * notifications for one row costs one read; a task whose reply only grew goes out as `output`.
 */
export async function openConversationFeed({
  db,
  hub,
  caller,
  conversationId,
  lastEventId,
  onError,
  decorate = async (_tx, messages) => messages,
}: ConversationFeedOptions): Promise<OpenedConversationFeed | null> {
  // What the stream writes with, once it is open. Until then, what the hub tells it (changes, a
  // resync, the conversation's deletion) waits in `early`, in order, and runs after the snapshot.
  let send: SendEvent = () => {};
  let close = () => {};
  let open = false;
  const early: Array<() => void> = [];
  const whenOpen = (act: () => void) => (open ? act() : void early.push(act));
  const sent = new Map<string, number>(); // row id → seq already sent
  const lastTask = new Map<string, TaskSnapshot>(); // task id → the snapshot this stream last carried
  let maxMessageSeq = lastEventId ?? 0;
  let maxSeqSent = lastEventId ?? 0;
  // A read that failed (the database restarting, a lost connection) would leave the client
  // without that change: close instead, so it reconnects with Last-Event-ID and resumes exactly.
  const serial = createSerialQueue((error) => {
    onError(error);
    close();
  });
  const asCaller = <T>(fn: (tx: Queryable) => Promise<T>) => db.asUser(caller.claims, fn);

  /** Records the row as sent; false when it (or a newer version of it) went out already. */
  const fresh = (row: { id: string; seq: number }) => {
    if ((sent.get(row.id) ?? -1) >= row.seq) return false;
    sent.set(row.id, row.seq);
    maxSeqSent = Math.max(maxSeqSent, row.seq);
    return true;
  };
  const sendMessage = (message: ChatMessage) => {
    if (!fresh(message)) return;
    maxMessageSeq = Math.max(maxMessageSeq, message.seq);
    send('message', message, message.seq);
  };
  const wire = (tx: Queryable, rows: ChatMessageRow[]) => decorate(tx, rows.map(toChatMessage));
  const sendTask = (row: AsyncTaskRow) => {
    if (!fresh(row)) return;
    const next = toTaskSnapshot(row);
    const { event, data } = taskEvent(lastTask.get(row.id), next);
    lastTask.set(row.id, next);
    send(event, data, row.seq);
  };

  const reread = coalescedReads(serial);
  const handle = (event: AppEvent) =>
    reread(`${event.table}:${event.id}`, async () => {
      if (event.table === 'chat_messages') {
        const message = await asCaller(async (tx) => {
          const row = await readMessage(tx, event.id);
          return row && (await wire(tx, [row]))[0]!;
        });
        if (message && message.conversationId === conversationId) sendMessage(message);
      } else {
        const row = await asCaller((tx) => readTask(tx, event.id));
        if (row && row.conversation_id === conversationId) sendTask(row);
      }
    });

  // After a LISTEN gap: the messages after the newest one sent, and every task that could have
  // changed unseen: those already sent, those still open, those of the new messages (a reply
  // made and finished entirely within the gap) and any changed after the newest row sent.
  const resync = () =>
    serial(async () => {
      const { messages, tasks } = await asCaller(async (tx) => {
        const messages = await readMessagesAfter(tx, conversationId, maxMessageSeq);
        const taskIds = [...sent.keys(), ...messages.map((m) => m.async_task_id).filter((id): id is string => typeof id === 'string')];
        return { messages: await wire(tx, messages), tasks: await readConversationTasks(tx, conversationId, taskIds, maxSeqSent) };
      });
      for (const m of messages) sendMessage(m);
      for (const t of tasks) sendTask(t);
    });

  const unsubscribe = hub.subscribe(
    {
      onEvent(event) {
        // Chat rows always carry their conversation id; anything else is not for this stream.
        if (event.conversation_id !== conversationId) return;
        // The conversation was deleted: the stream ends (a reconnect is answered 404).
        whenOpen(event.table === 'conversations' ? () => close() : () => handle(event));
      },
      onResync: () => whenOpen(() => void resync()),
    },
    { conversationId },
  );

  let snapshot: { messages: ChatMessage[]; tasks: AsyncTaskRow[] } | null;
  try {
    snapshot = await asCaller(async (tx) => {
      if (!(await conversationExists(tx, conversationId))) return null;
      const messages =
        lastEventId !== null
          ? await readMessagesAfter(tx, conversationId, lastEventId)
          : (await readMessagePage(tx, conversationId, null, 50)).messages;
      const taskIds = messages.map((m) => m.async_task_id).filter((id): id is string => typeof id === 'string');
      return { messages: await wire(tx, messages), tasks: await readConversationTasks(tx, conversationId, taskIds, lastEventId) };
    });
  } catch (error) {
    unsubscribe();
    throw error;
  }
  if (!snapshot) {
    unsubscribe();
    return null;
  }
  const { messages, tasks: taskRows } = snapshot;

  return {
    cancel: unsubscribe,
    start: async (sendEvent, closeStream) => {
      send = sendEvent;
      close = closeStream;
      const rows = [...messages, ...taskRows];
      for (const row of rows) sent.set(row.id, row.seq);
      const tasks = taskRows.map(toTaskSnapshot);
      for (const task of tasks) lastTask.set(task.id, task);
      for (const m of messages) maxMessageSeq = Math.max(maxMessageSeq, m.seq);
      const id = Math.max(lastEventId ?? 0, ...rows.map((row) => row.seq));
      maxSeqSent = Math.max(maxSeqSent, id);
      send('snapshot', { messages, tasks }, id);
      open = true;
      for (const act of early.splice(0)) act();
      return unsubscribe;
    },
  };
}
