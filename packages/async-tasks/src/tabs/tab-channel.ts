import type { Unsubscribe } from '../shared/types.js';

/**
 * A `BroadcastChannel` constructor: the global one, or a stand-in for tests and other hosts.
 *
 * @example
 * createChatSession({ client, BroadcastChannel: window.BroadcastChannel satisfies BroadcastChannelConstructor });
 */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannel;

/** Typed messages between the tabs of one origin on one named channel. */
export interface TabChannel<M> {
  post(message: M): void;
  listen(listener: (message: M) => void): Unsubscribe;
  close(): void;
}

/**
 * The `BroadcastChannel` an option names: `undefined` means the global one, `null` (or a host
 * without it) means none, so tab-to-tab features are off.
 */
export function resolveBroadcastChannel(option: BroadcastChannelConstructor | null | undefined): BroadcastChannelConstructor | null {
  return (option === undefined ? globalThis.BroadcastChannel : option) ?? null;
}

/**
 * The one way the SDK talks to its other tabs, used by the chat session's tab sync and by
 * `shareAcrossTabs`. Only plain data crosses (structured clone), so senders keep `Error`s to
 * themselves; anything that is not one of our messages is ignored.
 */
export function openTabChannel<M extends { type: string }>(Channel: BroadcastChannelConstructor, name: string): TabChannel<M> {
  const channel = new Channel(name);
  const listeners = new Set<(message: M) => void>();
  channel.onmessage = ({ data }: MessageEvent) => {
    if (data && typeof data === 'object' && typeof data.type === 'string') for (const listener of [...listeners]) listener(data as M);
  };
  return {
    post: (message) => channel.postMessage(message),
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      channel.close();
    },
  };
}
