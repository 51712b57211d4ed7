/**
 * A `BroadcastChannel` constructor: the global one, or a stand-in for tests and other hosts.
 *
 * @example
 * createChatSession({ client, BroadcastChannel: window.BroadcastChannel satisfies BroadcastChannelConstructor });
 */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannel;

/** Typed messages between the tabs of one origin on one named channel (a `BroadcastChannel`). */
export interface TabChannel<M> {
  postMessage(message: M): void;
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
 * `shareAcrossTabs`: the channel `option` names (see `resolveBroadcastChannel`; null when there
 * is none). Only plain data crosses (structured clone), so senders keep `Error`s to themselves;
 * anything that is not one of our messages is ignored.
 */
export function openTabChannel<M extends { type: string }>(
  option: BroadcastChannelConstructor | null | undefined,
  name: string,
  onMessage: (message: M) => void,
): TabChannel<M> | null {
  const Channel = resolveBroadcastChannel(option);
  if (!Channel) return null;
  const channel = new Channel(name);
  channel.onmessage = ({ data }: MessageEvent) => {
    if (data?.type) onMessage(data as M);
  };
  return channel;
}
