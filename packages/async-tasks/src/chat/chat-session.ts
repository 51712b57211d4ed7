import { atom, computed, onMount, type ReadableAtom } from 'nanostores';
import { backoffDelay } from './backoff.js';
import { createChatStorage } from './chat-outbox.js';
import {
  activeTask,
  chatItems,
  emptyChatState,
  memo,
  withMessages,
  withTasks,
  type ChatItem,
  type ChatState,
  type OutboxItem,
} from './chat-state.js';
import { AsyncTaskError } from './errors/async-task-error.js';
import { ConversationNotFoundError } from './errors/conversation-not-found-error.js';
import { createIdempotencyKey } from './idempotency-key.js';
import type { TaskClient } from './task-client.js';
import type { ConversationStreamEvent } from './transport.js';
import type { ConnectionState, KeyValueStorage, SendChatResult, TaskState, Unsubscribe } from './types.js';

export interface ChatSessionOptions {
  client: TaskClient;
  /** Open this conversation; default: the one remembered in storage, else a new one on first send. */
  conversationId?: string | null;
  /** Where the conversation id and unsent messages are kept. Default: `localStorage` (read at call time); `null` keeps nothing. */
  storage?: KeyValueStorage | null;
  /** Prefix of the storage keys. Default `async-tasks:chat`. */
  storageKey?: string;
  /** Messages per history page. Default 50. */
  pageSize?: number;
  /** Tab-to-tab channel constructor. Default: `BroadcastChannel` where available; `null` turns it off. */
  BroadcastChannel?: (new (name: string) => BroadcastChannel) | null;
}

/** A headless chat: stores to render, commands that never throw (failures land in the stores). */
export interface ChatSession {
  $messages: ReadableAtom<ChatItem[]>;
  $activeTask: ReadableAtom<TaskState | null>;
  $connection: ReadableAtom<ConnectionState>;
  $conversationId: ReadableAtom<string | null>;
  /** Whether `loadOlder()` has more to load. */
  $hasOlder: ReadableAtom<boolean>;
  /** The last failure of a command or history load (null when all is well). */
  $problem: ReadableAtom<Error | null>;
  send(text: string): Promise<void>;
  stop(): Promise<void>;
  retry(): Promise<void>;
  loadOlder(): Promise<void>;
  destroy(): void;
}

/**
 * Creates a chat session. Its stores connect to the server with their first listener and
 * disconnect shortly after the last one leaves.
 *
 * @example
 * const chat = createChatSession({ client });
 * chat.$messages.subscribe((items) => render(items));
 * await chat.send('Hello!');
 */
export function createChatSession(options: ChatSessionOptions): ChatSession {
  const { client, pageSize = 50, storageKey = 'async-tasks:chat' } = options;
  const transport = client.transport;
  const storage = createChatStorage(() => (options.storage === undefined ? globalThis.localStorage : options.storage), storageKey);
  const online = () => transport.isOnline?.() ?? true;

  const initialId = options.conversationId ?? storage.conversationId();
  const $state = atom<ChatState>({ ...emptyChatState(initialId, online() ? 'connecting' : 'offline'), outbox: storage.outbox() });
  // `.value`, not `.get()`: get() on an unmounted store mounts it for a moment, which would connect.
  const get = () => $state.value as ChatState;
  const set = (change: (state: ChatState) => ChatState) => $state.set(change(get()));
  if (options.conversationId) storage.saveConversationId(options.conversationId);

  let mounted = false;
  let destroyed = false;
  let stream: { id: string; stop: Unsubscribe } | null = null;
  let stopOnline: Unsubscribe | null = null;
  let channel: BroadcastChannel | null = null;
  let flushing = false;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let sendFailures = 0;
  let loadingOlder = false;

  const setConversation = (id: string | null) => {
    if (get().conversationId === id) return;
    storage.saveConversationId(id);
    set((s) => ({ ...emptyChatState(id, s.connection), outbox: s.outbox }));
    if (stream) {
      stream.stop();
      stream = null;
    }
    if (id) channel?.postMessage({ type: 'conversation', id });
    connect();
  };

  const onStream = (id: string) => (event: ConversationStreamEvent) => {
    if (get().conversationId !== id) return;
    switch (event.type) {
      case 'snapshot':
        return set((s) => withTasks(withMessages(s, event.messages), event.tasks));
      case 'message':
        return set((s) => withMessages(s, [event.message]));
      case 'task':
        return set((s) => withTasks(s, [event.task]));
      case 'connection':
        set((s) => (s.connection === event.connection ? s : { ...s, connection: event.connection }));
        if (event.connection === 'live') void flush();
        return;
      case 'error':
        if (ConversationNotFoundError.isInstance(event.error)) return setConversation(null);
        stream = null; // the transport gave up (e.g. 403); connect() tries again when online or after a send
        return set((s) => ({ ...s, problem: event.error, connection: 'offline' }));
      default:
        return assertNever(event);
    }
  };

  const loadFirstPage = async (id: string) => {
    try {
      const page = await transport.getConversation(id, { limit: pageSize });
      if (get().conversationId !== id) return;
      set((s) => ({ ...withTasks(withMessages(s, page.messages), page.tasks), nextBefore: page.nextBefore }));
    } catch (error) {
      if (ConversationNotFoundError.isInstance(error) && get().conversationId === id) setConversation(null);
      else set((s) => ({ ...s, problem: asError(error) }));
    }
  };

  function connect() {
    const id = get().conversationId;
    if (!mounted || destroyed || stream || !id) {
      if (mounted && !id) set((s) => ({ ...s, connection: online() ? 'live' : 'offline' }));
      return;
    }
    set((s) => ({ ...s, connection: online() ? 'connecting' : 'offline' }));
    stream = { id, stop: transport.subscribeConversation(id, onStream(id)) };
    void loadFirstPage(id);
  }

  const updateOutbox = (change: (items: readonly OutboxItem[]) => OutboxItem[]) => {
    set((s) => ({ ...s, outbox: change(s.outbox) }));
    storage.saveOutbox(get().outbox);
  };
  const markItem = (localId: string, change: Pick<OutboxItem, 'delivery' | 'error'>) => {
    const item = get().outbox.find((i) => i.localId === localId);
    if (item && (item.delivery !== change.delivery || item.error !== change.error)) {
      updateOutbox((items) => items.map((i) => (i === item ? { ...i, ...change } : i)));
    }
  };

  const confirm = (item: OutboxItem, result: SendChatResult) => {
    if (destroyed) return; // like a page that is gone: the next session resends with the same key
    if (get().conversationId !== result.conversationId) setConversation(result.conversationId);
    // One change, so no listener ever sees the message twice (echo and confirmed).
    set((s) =>
      withTasks(withMessages({ ...s, problem: null, outbox: s.outbox.filter((i) => i.localId !== item.localId) }, [result.message]), [
        result.task,
      ]),
    );
    storage.saveOutbox(get().outbox);
    channel?.postMessage({ type: 'sent', result });
    connect();
  };

  /** Sends waiting messages one by one, in order; a message that cannot go out yet holds back the rest. */
  async function flush(): Promise<void> {
    if (flushing || destroyed) return;
    flushing = true;
    clearTimeout(flushTimer);
    try {
      for (;;) {
        const item = get().outbox.find((i) => i.delivery === 'sending' || i.delivery === 'queued');
        if (!item) return;
        if (!online()) {
          updateOutbox((items) => items.map((i) => (i.delivery === 'sending' ? { ...i, delivery: 'queued' } : i)));
          return;
        }
        markItem(item.localId, { delivery: 'sending', error: null });
        try {
          const result = await transport.sendChatMessage({
            conversationId: get().conversationId,
            content: item.content,
            idempotencyKey: item.idempotencyKey,
          });
          sendFailures = 0;
          confirm(item, result);
        } catch (error) {
          if (isRetryable(error)) {
            markItem(item.localId, { delivery: 'queued', error: asError(error) });
            flushTimer = setTimeout(() => void flush(), backoffDelay(sendFailures++, { baseMs: 1000, capMs: 30_000 }));
            return;
          }
          markItem(item.localId, { delivery: 'failed', error: asError(error) });
        }
      }
    } finally {
      flushing = false;
    }
  }

  const attempt = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      set((s) => ({ ...s, problem: asError(error) }));
    }
  };

  onMount($state, () => {
    mounted = true;
    stopOnline =
      transport.onOnline?.(() => {
        sendFailures = 0;
        connect();
        void flush();
      }) ?? null;
    const Channel = options.BroadcastChannel === undefined ? globalThis.BroadcastChannel : options.BroadcastChannel;
    if (Channel) {
      channel = new Channel(`${storageKey}:tabs`);
      channel.onmessage = ({ data }: MessageEvent) => {
        if (data?.type === 'conversation' && !get().conversationId) setConversation(data.id);
        if (data?.type === 'sent' && data.result.conversationId === get().conversationId) {
          set((s) => withTasks(withMessages(s, [data.result.message]), [data.result.task]));
        }
      };
    }
    connect();
    void flush();
    return () => {
      mounted = false;
      stream?.stop();
      stream = null;
      stopOnline?.();
      channel?.close();
      channel = null;
    };
  });

  const session: ChatSession = {
    $messages: computed(
      $state,
      memo((s) => [s.messages, s.outbox], chatItems),
    ),
    $activeTask: computed(
      $state,
      memo((s) => [s.tasks, s.connection], activeTask),
    ),
    $connection: computed($state, (s) => s.connection),
    $conversationId: computed($state, (s) => s.conversationId),
    $hasOlder: computed($state, (s) => s.nextBefore !== null),
    $problem: computed($state, (s) => s.problem),
    async send(text) {
      const content = text.trim();
      if (!content || destroyed) return;
      const item: OutboxItem = {
        localId: `local-${createIdempotencyKey()}`,
        idempotencyKey: createIdempotencyKey(),
        content,
        createdAt: new Date().toISOString(),
        delivery: online() ? 'sending' : 'queued',
        error: null,
      };
      updateOutbox((items) => [...items, item]);
      await flush();
    },
    stop: () =>
      attempt(async () => {
        const task = activeTask(get());
        if (!task || (task.status !== 'pending' && task.status !== 'processing')) return;
        const next = await client.cancel(task.id);
        set((s) => withTasks(s, [next]));
      }),
    retry: () =>
      attempt(async () => {
        if (get().outbox.some((i) => i.delivery === 'failed')) {
          updateOutbox((items) => items.map((i) => (i.delivery === 'failed' ? { ...i, delivery: 'queued', error: null } : i)));
          return flush();
        }
        const task = activeTask(get());
        if (task?.status !== 'failed') return;
        const next = await client.retry(task.id);
        set((s) => withTasks({ ...s, problem: null }, [next]));
      }),
    loadOlder: () =>
      attempt(async () => {
        const { conversationId: id, nextBefore } = get();
        if (!id || nextBefore === null || loadingOlder) return;
        loadingOlder = true;
        try {
          const page = await transport.getConversation(id, { before: nextBefore, limit: pageSize });
          if (get().conversationId !== id) return;
          set((s) => ({ ...withTasks(withMessages(s, page.messages), page.tasks), nextBefore: page.nextBefore }));
        } finally {
          loadingOlder = false;
        }
      }),
    destroy() {
      destroyed = true;
      clearTimeout(flushTimer);
      stream?.stop();
      stream = null;
      stopOnline?.();
      channel?.close();
      channel = null;
    },
  };
  return session;
}

function isRetryable(error: unknown): boolean {
  return AsyncTaskError.isInstance(error) && error.retryable;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function assertNever(value: never): never {
  throw new Error(`Unhandled conversation event: ${JSON.stringify(value)}`);
}
