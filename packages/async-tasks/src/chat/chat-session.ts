import { computed, onMount } from 'nanostores';
import { isActive } from '../contract/index.js';
import { asError } from '../common/as-error.js';
import { createIdempotencyKey } from '../common/idempotency-key.js';
import type { ChatMetadata, ConversationSummary } from '../contract/index.js';
import type { KeyValueStorage } from '../common/types.js';
import type { BroadcastChannelConstructor } from '../tabs/tab-channel.js';
import type { TaskClient } from '../task/task-client.js';
import { type ChatState, initialChatState } from './chat-state.js';
import { createChatStorage } from './chat-storage.js';
import { createChatStore } from './chat-store.js';
import { createSessionMetadata } from './session-metadata.js';
import { conversationCommands } from './effects/conversation-commands.js';
import { followConversation } from './effects/conversation-stream.js';
import { loadOlder } from './effects/history.js';
import { lastTurnCommands } from './effects/last-turn-commands.js';
import { createOutboxSender } from './effects/outbox-sender.js';
import { persistChat } from './effects/persistence.js';
import { syncTabs } from './effects/tab-sync.js';
import { activeTask, chatItems } from './selectors.js';
import type { ChatSessionCommands, ChatSessionStores } from './session-shape.js';

/**
 * Options of `createChatSession`.
 *
 * @example
 * const options: ChatSessionOptions = { client, conversationId: 'c1', storage: sessionStorage, pageSize: 20 };
 */
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
  BroadcastChannel?: BroadcastChannelConstructor | null;
  /**
   * What the workflow is handed with every message (page, locale, the site's own user id…): a
   * plain JSON object, at most 4 KB. Visible to the visitor; never an identity. `setMetadata`
   * changes it, `send(text, { metadata })` adds to it for one message.
   */
  metadata?: ChatMetadata | null;
}

/**
 * A headless chat: stores to render, commands that never throw (failures land in the stores).
 *
 * @example
 * const chat: ChatSession = createChatSession({ client });
 * chat.$activeTask.subscribe((task) => (status.textContent = task?.statusMessage ?? ''));
 */
export interface ChatSession extends ChatSessionStores, ChatSessionCommands {
  /** Closes everything: the stream, the tab channel, a pending resend. Late answers change nothing. */
  destroy(): void;
}

/** Whether the argument of a binding is a session (the caller's) or options (the binding makes one and owns it). */
export const isChatSession = (value: ChatSession | ChatSessionOptions): value is ChatSession => '$messages' in value;

/**
 * Creates a chat session. Its stores connect to the server with their first listener and
 * disconnect shortly after the last one leaves.
 *
 * All state is a `ChatState` changed only through `reduceChat`; the session composes the effects
 * that dispatch to it: persistence and the outbox sender for its whole life, the conversation
 * stream and tab sync while someone listens.
 *
 * @example
 * const chat = createChatSession({ client });
 * chat.$messages.subscribe((items) => render(items));
 * await chat.send('Hello!');
 */
export function createChatSession(options: ChatSessionOptions): ChatSession {
  const { client, pageSize = 50, storageKey = 'async-tasks:chat' } = options;
  const transport = client.transport;
  const online = () => transport.isOnline?.() ?? true;
  const storage = createChatStorage(() => (options.storage === undefined ? globalThis.localStorage : options.storage), storageKey);
  const store = createChatStore(
    initialChatState({
      conversationId: options.conversationId ?? storage.conversationId(),
      connection: online() ? 'connecting' : 'offline',
      outbox: storage.outbox(),
    }),
  );
  const { $state, get, dispatch } = store;
  const metadata = createSessionMetadata(options.metadata);
  const lastTurn = lastTurnCommands(store, transport, metadata);

  // From now until destroy(): (their watchers end with the store)
  if (options.conversationId) storage.saveConversationId(options.conversationId);
  persistChat(store, storage);
  const sender = createOutboxSender(store, transport, online);

  // While the stores have listeners; the one teardown, run on the last listener's leaving and by destroy().
  let stopListened: (() => void) | undefined;
  onMount($state, () => {
    if (store.closed) return;
    const stops = [
      followConversation(store, transport, online, pageSize),
      syncTabs(store, options.BroadcastChannel, `${storageKey}:tabs`),
      transport.onOnline?.(() => dispatch({ type: 'network-online' })),
    ];
    void sender.flush();
    // Running it twice (the last listener left, then destroy()) does no harm.
    stopListened = () => {
      for (const stop of stops) if (stop) stop();
    };
    return stopListened;
  });

  const report = (work: () => Promise<void>) => async () => {
    try {
      await work();
    } catch (error) {
      dispatch({ type: 'problem-reported', error: asError(error) });
    }
  };
  /** Runs a command that answers whether it was accepted; a failure is the session's problem. */
  const attempt =
    <A extends unknown[]>(work: (...args: A) => Promise<boolean>) =>
    async (...args: A): Promise<boolean> => {
      try {
        return await work(...args);
      } catch (error) {
        dispatch({ type: 'problem-reported', error: asError(error) });
        return false;
      }
    };
  const field = <K extends keyof ChatState>(key: K) => computed($state, (s) => s[key]);
  const $connection = field('connection');
  const active = () => activeTask(get().tasks, get().connection);

  return {
    // Each derived store reads the parts it needs through `field` stores, so it recomputes (and
    // notifies) only when those parts change.
    $messages: computed([field('messages'), field('outbox'), field('tasks'), field('feedback'), field('conversationId')], chatItems),
    $activeTask: computed([field('tasks'), $connection], activeTask),
    $connection,
    $conversationId: field('conversationId'),
    $hasOlder: computed(field('nextBefore'), (before) => before !== null),
    $problem: field('problem'),
    $conversations: computed(field('conversations'), (list) => list.items as ConversationSummary[]),
    $hasMoreConversations: computed(field('conversations'), (list) => list.nextCursor !== null),
    $conversationsLoading: computed(field('conversations'), (list) => list.loading),
    async send(text, sendOptions = {}) {
      const attachments = sendOptions.attachments?.length ? sendOptions.attachments : undefined;
      // A message of files alone is sent as their names (a message always has text).
      const content = text.trim() || (attachments?.map((a) => a.filename).join(', ') ?? '');
      if (!content) return; // (after destroy() the store ignores it)
      const idempotencyKey = createIdempotencyKey();
      const createdAt = new Date().toISOString();
      const withMetadata = metadata.forMessage(sendOptions.metadata);
      const delivery = online() ? 'sending' : 'queued';
      const localId = `local-${idempotencyKey}`;
      const item = { localId, idempotencyKey, content, createdAt, delivery, error: null, conversationId: get().conversationId } as const;
      if (withMetadata instanceof Error) {
        // Shown with its text and the reason, never sent: the host page's metadata needs fixing.
        dispatch({ type: 'message-typed', item: { ...item, delivery: 'sending' } });
        return dispatch({ type: 'message-failed', localId, error: withMetadata });
      }
      dispatch({ type: 'message-typed', item: { ...item, metadata: withMetadata, ...(attachments ? { attachments } : {}) } });
      await sender.flush();
    },
    upload(file, uploadOptions) {
      if (!transport.uploadFile) return Promise.reject(new Error('this transport has no uploads'));
      return transport.uploadFile(file, uploadOptions);
    },
    uploadSettings: async () => (transport.getUploadSettings ? transport.getUploadSettings() : null),
    regenerate: attempt(lastTurn.regenerate),
    edit: attempt(lastTurn.edit),
    async setMetadata(next) {
      const refused = metadata.set(next);
      if (refused) dispatch({ type: 'problem-reported', error: refused });
    },
    ...conversationCommands(store, transport),
    stop: report(async () => {
      const task = active();
      if (task && isActive(task.status)) dispatch({ type: 'task', task: await client.cancel(task.id) });
    }),
    retry: report(async () => {
      if (get().outbox.some((i) => i.delivery === 'failed')) {
        dispatch({ type: 'outbox-retried' });
        return sender.flush();
      }
      const task = active();
      if (task?.status === 'failed') dispatch({ type: 'task-retried', task: await client.retry(task.id) });
    }),
    loadOlder: () => loadOlder(store, transport, pageSize),
    async reconnect() {
      transport.reconnect?.();
      await sender.flush();
    },
    destroy() {
      store.closed = true;
      sender.stop();
      stopListened?.();
    },
  };
}
