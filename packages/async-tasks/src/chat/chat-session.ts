import { computed, onMount } from 'nanostores';
import { isActive } from '../contract/index.js';
import { asError } from '../shared/as-error.js';
import { createIdempotencyKey } from '../shared/idempotency-key.js';
import { createScope } from '../shared/scope.js';
import type { KeyValueStorage } from '../shared/types.js';
import { type BroadcastChannelConstructor, openTabChannel, resolveBroadcastChannel } from '../tabs/tab-channel.js';
import type { TaskClient } from '../task/task-client.js';
import { initialChatState } from './chat-state.js';
import { createChatStorage } from './chat-storage.js';
import { createChatStore } from './chat-store.js';
import { followConversation } from './effects/conversation-stream.js';
import { createHistory } from './effects/history.js';
import { createOutboxSender } from './effects/outbox-sender.js';
import { persistChat } from './effects/persistence.js';
import { type ChatTabMessage, syncTabs } from './effects/tab-sync.js';
import { activeTask, chatItems, memo } from './selectors.js';
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
  if (options.conversationId) storage.saveConversationId(options.conversationId);

  const lifetime = createScope(); // from now until destroy()
  const listened = createScope(); // while the stores have listeners
  const history = createHistory(store, { transport, pageSize });
  const sender = createOutboxSender(store, { transport, online });
  lifetime.add(persistChat(store, storage), sender.stop, listened.close);

  onMount(store.$state, () => {
    if (store.closed) return;
    const Channel = resolveBroadcastChannel(options.BroadcastChannel);
    listened.add(
      followConversation(store, { transport, online, history }),
      Channel ? syncTabs(store, openTabChannel<ChatTabMessage>(Channel, `${storageKey}:tabs`)) : null,
      transport.onOnline?.(() => store.dispatch({ type: 'network-online' })),
    );
    void sender.flush();
    return listened.close;
  });

  const report = (work: () => Promise<void>) => async () => {
    try {
      await work();
    } catch (error) {
      store.dispatch({ type: 'problem-reported', error: asError(error) });
    }
  };
  const { $state, get, dispatch } = store;

  return {
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
      if (!content || store.closed) return;
      const at = new Date().toISOString();
      const delivery = online() ? 'sending' : 'queued';
      dispatch({
        type: 'message-typed',
        item: {
          localId: `local-${createIdempotencyKey()}`,
          idempotencyKey: createIdempotencyKey(),
          content,
          createdAt: at,
          delivery,
          error: null,
        },
      });
      await sender.flush();
    },
    stop: report(async () => {
      const task = activeTask(get());
      if (task && isActive(task.status)) dispatch({ type: 'task-received', task: await client.cancel(task.id) });
    }),
    retry: report(async () => {
      if (get().outbox.some((i) => i.delivery === 'failed')) {
        dispatch({ type: 'outbox-retried' });
        return sender.flush();
      }
      const task = activeTask(get());
      if (task?.status === 'failed') dispatch({ type: 'task-retried', task: await client.retry(task.id) });
    }),
    loadOlder: () => history.loadOlder(),
    destroy() {
      store.close();
      lifetime.close();
    },
  };
}
