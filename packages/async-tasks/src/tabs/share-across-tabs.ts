import type { Unsubscribe } from '../common/types.js';
import type { ConnectionState, ConversationStreamEvent, Transport } from '../transports/transport.js';
import { type BroadcastChannelConstructor, openTabChannel, resolveBroadcastChannel } from './tab-channel.js';

/**
 * The part of the Web Locks API (`navigator.locks`) used here.
 *
 * @example
 * shareAcrossTabs(transport, { locks: navigator.locks satisfies TabLocks });
 */
export interface TabLocks {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/**
 * Options of `shareAcrossTabs`.
 *
 * @example
 * const options: ShareAcrossTabsOptions = { name: 'my-app' };
 */
export interface ShareAcrossTabsOptions {
  /** Default: the global `BroadcastChannel`; without it the transport is returned unchanged. */
  BroadcastChannel?: BroadcastChannelConstructor | null;
  /** Default: `navigator.locks`; without it the transport is returned unchanged. */
  locks?: TabLocks | null;
  /** Prefix of the channel and lock names. Default `async-tasks`. */
  name?: string;
}

/** What crosses a conversation's channel: a joining tab's hello, and the leader's stream events (errors stay home). */
type Relayed = { type: 'hello' } | Exclude<ConversationStreamEvent, { type: 'error' }>;

/**
 * Wraps a transport so that all tabs of one origin following the same conversation share ONE
 * live connection: the tab holding the Web Lock for the conversation subscribes and relays every
 * event over `BroadcastChannel`; the others only listen. When that tab closes (or stops
 * following), the lock passes to another tab, which connects. A tab that joins asks the leader
 * for a fresh snapshot. Commands are not shared. Opt-in, since it changes who holds the stream.
 *
 * @example
 * const transport = shareAcrossTabs(createHttpTransport({ baseUrl: '' }));
 */
export function shareAcrossTabs(transport: Transport, options: ShareAcrossTabsOptions = {}): Transport {
  const locks = options.locks === undefined ? (globalThis.navigator as { locks?: TabLocks } | undefined)?.locks : options.locks;
  const Channel = resolveBroadcastChannel(options.BroadcastChannel);
  if (!Channel || !locks) return transport;
  const prefix = options.name ?? 'async-tasks';

  return {
    ...transport,
    subscribeConversation(id, listener) {
      const name = `${prefix}:conversation:${id}`;
      const abort = new AbortController();
      let stopLeading: Unsubscribe | null = null;
      let connection: ConnectionState = 'connecting';
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));

      const channel = openTabChannel<Relayed>(Channel, name, (message) => {
        if (stopLeading) {
          if (message.type === 'hello') void sendSnapshot();
        } else if (message.type !== 'hello') {
          listener(message);
        }
      })!;
      const relay = (event: ConversationStreamEvent) => {
        if (event.type === 'connection') connection = event.connection;
        listener(event);
        // Errors stay in the leading tab: their classes do not survive structured cloning.
        if (event.type !== 'error') channel.postMessage(event);
      };
      const sendSnapshot = async () => {
        const { messages, tasks } = await transport.getConversation(id).catch(() => ({ messages: [], tasks: [] }));
        channel.postMessage({ type: 'snapshot', messages, tasks });
        channel.postMessage({ type: 'connection', connection });
      };

      listener({ type: 'connection', connection: 'connecting' });
      locks
        .request(name, { signal: abort.signal }, async () => {
          if (abort.signal.aborted) return;
          stopLeading = transport.subscribeConversation(id, relay);
          await released; // lead until this tab stops following
        })
        .catch(() => {}); // AbortError: stopped while waiting for the lock
      channel.postMessage({ type: 'hello' }); // a leader, if any, answers with a snapshot

      return () => {
        abort.abort();
        stopLeading?.();
        stopLeading = null;
        release();
        channel.close();
      };
    },
  };
}
