import type { Logger } from 'pino';
import type { ServerDatabase } from '../db/types.js';

/** The payload of a `pg_notify('app_events', …)` (contracts.md §1). */
export interface AppEvent {
  /** `conversations`: the conversation was deleted (its rows went with it). */
  table: 'async_tasks' | 'chat_messages' | 'conversations';
  id: string;
  owner_id: string | null;
  conversation_id: string | null;
  version: number | null;
  seq: number;
}

export interface EventSubscriber {
  onEvent(event: AppEvent): void;
  /** The LISTEN connection was re-established: events may have been missed, re-read. */
  onResync?(): void;
}

export const APP_EVENTS_CHANNEL = 'app_events';

export function parseAppEvent(payload: string): AppEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<AppEvent>;
    const known = value.table === 'async_tasks' || value.table === 'chat_messages' || value.table === 'conversations';
    if (!known || typeof value.id !== 'string') return null;
    return {
      table: value.table as AppEvent['table'],
      id: value.id,
      owner_id: value.owner_id ?? null,
      conversation_id: value.conversation_id ?? null,
      version: value.version == null ? null : Number(value.version),
      seq: Number(value.seq ?? 0),
    };
  } catch {
    return null;
  }
}

/**
 * What a subscriber listens to: one conversation's rows, one task's changes, or (neither) every
 * event. A notification reaches only the subscribers of its conversation and of its row, plus
 * those that take everything, so its cost grows with who watches that conversation, not with
 * every stream the process holds.
 */
export interface SubscriptionScope {
  conversationId?: string;
  /** A task id: its `async_tasks` events (with or without a conversation). */
  taskId?: string;
}

/**
 * One LISTEN per process on `app_events`, fanned out in memory to the subscribers of the changed
 * row (SSE streams, the runner's attempts) and to those that take every event (the claim loop).
 * The payload only says *which* row changed; subscribers re-read it as their user.
 *
 * @example
 * const hub = createEventHub({ db, logger });
 * await hub.start();
 * const off = hub.subscribe({ onEvent: (e) => console.log(e.table, e.id) }, { conversationId });
 */
export function createEventHub({ db, logger }: { db?: ServerDatabase; logger?: Logger } = {}) {
  const everything = new Set<EventSubscriber>();
  const byConversation = new Map<string, Set<EventSubscriber>>();
  const byTask = new Map<string, Set<EventSubscriber>>();
  let size = 0;
  let unlisten: (() => Promise<void>) | null = null;

  function deliver(bucket: Set<EventSubscriber> | undefined, event: AppEvent) {
    if (!bucket) return;
    // A copy: a subscriber may unsubscribe (or subscribe another) while it is told.
    for (const s of bucket.size === 1 ? bucket : [...bucket]) {
      try {
        s.onEvent(event);
      } catch (error) {
        logger?.error({ err: error }, 'event subscriber failed');
      }
    }
  }

  function emit(event: AppEvent) {
    deliver(everything, event);
    if (event.conversation_id) deliver(byConversation.get(event.conversation_id), event);
    if (event.table === 'async_tasks') deliver(byTask.get(event.id), event);
  }

  function resync() {
    for (const bucket of [everything, ...byConversation.values(), ...byTask.values()]) for (const s of [...bucket]) s.onResync?.();
  }

  const add = (index: Map<string, Set<EventSubscriber>>, key: string, subscriber: EventSubscriber) => {
    const bucket = index.get(key) ?? new Set<EventSubscriber>();
    index.set(key, bucket);
    bucket.add(subscriber);
    return () => {
      if (!bucket.delete(subscriber)) return false;
      if (bucket.size === 0 && index.get(key) === bucket) index.delete(key);
      return true;
    };
  };

  return {
    async start() {
      if (!db || unlisten) return;
      unlisten = await db.listen(
        APP_EVENTS_CHANNEL,
        (payload) => {
          const event = parseAppEvent(payload);
          if (event) emit(event);
          else logger?.warn('ignored a malformed app_events payload');
        },
        () => {
          logger?.warn('LISTEN connection re-established; subscribers re-read');
          resync();
        },
      );
    },
    async stop() {
      const off = unlisten;
      unlisten = null;
      await off?.();
    },
    /** Subscribes to the events of `scope` (default: every event); returns the unsubscribe. */
    subscribe(subscriber: EventSubscriber, scope: SubscriptionScope = {}): () => void {
      const everyEvent = () => {
        everything.add(subscriber);
        return () => everything.delete(subscriber);
      };
      const remove = scope.conversationId
        ? add(byConversation, scope.conversationId, subscriber)
        : scope.taskId
          ? add(byTask, scope.taskId, subscriber)
          : everyEvent();
      size += 1;
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        remove();
        size -= 1;
      };
    },
    /** Delivers an event as if it came from the database (tests, in-process writers). */
    emit,
    resync,
    get size() {
      return size;
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
