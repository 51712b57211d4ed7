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
 * One LISTEN per process on `app_events`, fanned out in memory to every subscriber (SSE streams,
 * the runner). The payload only says *which* row changed; subscribers re-read it as their user.
 *
 * @example
 * const hub = createEventHub({ db, logger });
 * await hub.start();
 * const off = hub.subscribe({ onEvent: (e) => console.log(e.table, e.id) });
 */
export function createEventHub({ db, logger }: { db?: ServerDatabase; logger?: Logger } = {}) {
  const subscribers = new Set<EventSubscriber>();
  let unlisten: (() => Promise<void>) | null = null;

  function emit(event: AppEvent) {
    for (const s of [...subscribers]) {
      try {
        s.onEvent(event);
      } catch (error) {
        logger?.error({ err: error }, 'event subscriber failed');
      }
    }
  }

  function resync() {
    for (const s of [...subscribers]) s.onResync?.();
  }

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
    subscribe(subscriber: EventSubscriber): () => void {
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
    /** Delivers an event as if it came from the database (tests, in-process writers). */
    emit,
    resync,
    get size() {
      return subscribers.size;
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
