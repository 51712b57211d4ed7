import type { ReadableAtom } from 'nanostores';
import type { TaskState } from '../task/task-state.js';
import type { ConnectionState } from '../transports/transport.js';
import type { ChatItem } from './selectors.js';

/** The stores of a chat session: what a UI renders. */
export interface ChatSessionStores {
  $messages: ReadableAtom<ChatItem[]>;
  $activeTask: ReadableAtom<TaskState | null>;
  $connection: ReadableAtom<ConnectionState>;
  $conversationId: ReadableAtom<string | null>;
  /** Whether `loadOlder()` has more to load. */
  $hasOlder: ReadableAtom<boolean>;
  /** The last failure of a command or history load (null when all is well). */
  $problem: ReadableAtom<Error | null>;
}

/** The commands of a chat session; each promise resolves, failures land in the stores. */
export interface ChatSessionCommands {
  send(text: string): Promise<void>;
  stop(): Promise<void>;
  retry(): Promise<void>;
  loadOlder(): Promise<void>;
}

/** A store's key without its `$`: the name a binding gives the store's value. */
type ValueName<K> = K extends `$${infer Name}` ? Name : never;

/**
 * The one description of a session that the React and Vue bindings are derived from: each store
 * under the name its value gets (`$messages` → `messages`), each command handed through as it is.
 * `satisfies` keeps it complete: a store or command added to the interfaces above and not here
 * does not compile, and once here it is in every binding.
 */
export const chatSessionShape = {
  messages: 'store',
  activeTask: 'store',
  connection: 'store',
  conversationId: 'store',
  hasOlder: 'store',
  problem: 'store',
  send: 'command',
  stop: 'command',
  retry: 'command',
  loadOlder: 'command',
} as const satisfies { [K in keyof ChatSessionStores as ValueName<K>]: 'store' } & { [K in keyof ChatSessionCommands]: 'command' };

/** The value of each store, by the binding's name for it. */
export type ChatSessionValues = {
  [K in keyof ChatSessionStores as ValueName<K>]: ChatSessionStores[K] extends ReadableAtom<infer T> ? T : never;
};

/**
 * What a binding shows on the server and while the client hydrates: a session that has not
 * connected yet. The same on both sides (nothing read from the browser), so hydration matches;
 * the live values follow once the component is mounted.
 */
export const serverChatValues: ChatSessionValues = {
  messages: [],
  activeTask: null,
  connection: 'connecting',
  conversationId: null,
  hasOlder: false,
  problem: null,
};

/**
 * A binding's result: `read(store, serverValue)` for every store under its value's name, the
 * commands, and the session itself. `read` is the framework's way to follow a store (a hook, a
 * ref); `serverValue` is the store's value in `serverChatValues`.
 */
export function bindChatSession<S extends ChatSessionStores & ChatSessionCommands>(
  session: S,
  read: (store: ReadableAtom<unknown>, serverValue: unknown) => unknown,
): Record<string, unknown> & { session: S } {
  const bound: Record<string, unknown> = { session };
  for (const [name, kind] of Object.entries(chatSessionShape)) {
    bound[name] =
      kind === 'store'
        ? read(session[`$${name}` as keyof ChatSessionStores], serverChatValues[name as keyof ChatSessionValues])
        : session[name as keyof ChatSessionCommands];
  }
  return bound as Record<string, unknown> & { session: S };
}
