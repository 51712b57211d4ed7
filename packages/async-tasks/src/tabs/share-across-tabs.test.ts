import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeLocks } from '../../test/fake-locks.js';
import { memoryStorage } from '../../test/fixtures.js';
import { createChatSession, type ChatSession } from '../chat/chat-session.js';
import { createMemoryTransport, type MemoryTransportOptions } from '../transports/memory/memory-transport.js';
import { shareAcrossTabs } from './share-across-tabs.js';
import { createTaskClient } from '../task/task-client.js';

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('shareAcrossTabs', () => {
  const setup = (options: MemoryTransportOptions = {}) => {
    const server = createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5, ...options });
    const subscribe = vi.spyOn(server, 'subscribeConversation');
    const locks = fakeLocks();
    const name = `test-${Math.random()}`;
    const tab = (conversationId?: string | null) => {
      const transport = shareAcrossTabs(server, { BroadcastChannel: globalThis.BroadcastChannel, locks, name });
      const chat = createChatSession({
        client: createTaskClient({ transport }),
        storage: memoryStorage(),
        BroadcastChannel: null,
        conversationId: conversationId ?? null,
      });
      const stop = chat.$messages.listen(() => {});
      const close = () => {
        stop();
        chat.destroy();
      };
      stops.push(close);
      return { chat, close };
    };
    return { server, subscribe, tab };
  };
  const contents = (chat: ChatSession) => chat.$messages.get().map((m) => `${m.role}:${m.content}`);

  it('keeps one live connection for all tabs of a conversation, and every tab sees the chat', async () => {
    const { subscribe, tab } = setup();
    const a = tab();
    await a.chat.send('hello');
    const id = a.chat.$conversationId.get()!;
    await vi.waitFor(() => expect(contents(a.chat)).toHaveLength(2));
    const b = tab(id);
    const c = tab(id);
    await vi.waitFor(() => expect(contents(b.chat)).toEqual(contents(a.chat)));
    await vi.waitFor(() => expect(c.chat.$connection.get()).toBe('live'));
    await c.chat.send('from c');
    for (const { chat } of [a, b, c]) await vi.waitFor(() => expect(contents(chat)).toHaveLength(4));
    expect(subscribe).toHaveBeenCalledTimes(1);
  });

  it('hands the connection to another tab when the leading tab closes', async () => {
    const { subscribe, tab } = setup();
    const a = tab();
    await a.chat.send('first');
    const id = a.chat.$conversationId.get()!;
    const b = tab(id);
    await vi.waitFor(() => expect(contents(b.chat)).toHaveLength(2));
    a.close();
    await vi.waitFor(() => expect(subscribe).toHaveBeenCalledTimes(2), { timeout: 5000 });
    await b.chat.send('second');
    await vi.waitFor(() => expect(contents(b.chat)).toHaveLength(4));
  });

  it('relays a streaming reply’s growth to the other tabs', async () => {
    const reply = (text: string) => (text === 'stream me' ? 'Streams are nice.' : 'ok');
    const { subscribe, tab } = setup({ streamChunkChars: 4, streamChunkDelayMs: 2, reply });
    const a = tab();
    await a.chat.send('hello');
    const id = a.chat.$conversationId.get()!;
    await vi.waitFor(() => expect(contents(a.chat)).toEqual(['user:hello', 'assistant:ok']));
    const b = tab(id);
    await vi.waitFor(() => expect(contents(b.chat)).toEqual(contents(a.chat)));
    await vi.waitFor(() => expect(b.chat.$connection.get()).toBe('live'));
    const seen: string[] = [];
    stops.push(
      b.chat.$messages.listen((items) => {
        const item = items[3];
        if (item && `${item.status}:${item.content}` !== seen.at(-1)) seen.push(`${item.status}:${item.content}`);
      }),
    );
    await a.chat.send('stream me');
    await vi.waitFor(() => expect(seen.at(-1)).toBe('final:Streams are nice.'));
    expect(seen).toEqual([
      'streaming:Stre',
      'streaming:Streams ',
      'streaming:Streams are ',
      'streaming:Streams are nice',
      'streaming:Streams are nice.',
      'final:Streams are nice.',
    ]);
    expect(subscribe).toHaveBeenCalledTimes(1); // tab b had it all through tab a's one stream
  });

  it('returns the transport unchanged where BroadcastChannel or locks are missing', () => {
    const server = createMemoryTransport();
    expect(shareAcrossTabs(server, { locks: null })).toBe(server);
    expect(shareAcrossTabs(server, { BroadcastChannel: null, locks: fakeLocks() })).toBe(server);
  });
});
