import type { ConversationStreamEvent, Transport } from './transport.js';
import type { ConnectionState, Unsubscribe } from './types.js';

/** The part of the Web Locks API (`navigator.locks`) used here. */
export interface TabLocks {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

export interface ShareAcrossTabsOptions {
  /** Default: the global `BroadcastChannel`; without it the transport is returned unchanged. */
  BroadcastChannel?: (new (name: string) => BroadcastChannel) | null;
  /** Default: `navigator.locks`; without it the transport is returned unchanged. */
  locks?: TabLocks | null;
  /** Prefix of the channel and lock names. Default `async-tasks`. */
  name?: string;
}

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
  const Channel = options.BroadcastChannel === undefined ? globalThis.BroadcastChannel : options.BroadcastChannel;
  const locks = options.locks === undefined ? (globalThis.navigator as { locks?: TabLocks } | undefined)?.locks : options.locks;
  if (!Channel || !locks) return transport;
  const prefix = options.name ?? 'async-tasks';

  return {
    ...transport,
    subscribeConversation(id, listener) {
      const name = `${prefix}:conversation:${id}`;
      const channel = new Channel(name);
      const abort = new AbortController();
      let stopLeading: Unsubscribe | null = null;
      let connection: ConnectionState = 'connecting';
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));

      const relay = (event: ConversationStreamEvent) => {
        if (event.type === 'connection') connection = event.connection;
        listener(event);
        // Errors stay in the leading tab: their classes do not survive structured cloning.
        if (event.type !== 'error') channel.postMessage(event);
      };
      const sendSnapshot = async () => {
        const { messages, tasks } = await transport.getConversation(id).catch(() => ({ messages: [], tasks: [] }));
        channel.postMessage({ type: 'snapshot', messages, tasks } satisfies ConversationStreamEvent);
        channel.postMessage({ type: 'connection', connection } satisfies ConversationStreamEvent);
      };
      channel.onmessage = ({ data }: MessageEvent) => {
        if (stopLeading) {
          if (data === 'hello') void sendSnapshot();
        } else if (data !== 'hello') {
          listener(data as ConversationStreamEvent);
        }
      };

      listener({ type: 'connection', connection: 'connecting' });
      locks
        .request(name, { signal: abort.signal }, async () => {
          if (abort.signal.aborted) return;
          stopLeading = transport.subscribeConversation(id, relay);
          await released; // lead until this tab stops following
        })
        .catch(() => {}); // AbortError: stopped while waiting for the lock
      channel.postMessage('hello'); // a leader, if any, answers with a snapshot

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
