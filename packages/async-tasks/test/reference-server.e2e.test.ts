import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatSession, type ChatSession } from '../src/chat/chat-session.js';
import { createHttpTransport, type HttpTransportOptions } from '../src/transports/http/http-transport.js';
import { createTaskClient } from '../src/task/task-client.js';
import { memoryStorage } from './fixtures.js';
import { fakeNetwork } from './http-setup.js';
import { startCuttableProxy, startReferenceServer } from './reference-server.js';

// Against the real reference server (packages/server on PGlite, built-in runner in demo mode).
const LONG = { timeout: 20_000, interval: 50 };

describe('http transport against the reference server', () => {
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  const cleanups: Array<() => void> = [];
  beforeAll(async () => {
    server = await startReferenceServer();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  }, 60_000);
  afterEach(() => {
    for (const stop of cleanups.splice(0)) stop();
  });

  const open = (options: Partial<HttpTransportOptions> & { storage?: ReturnType<typeof memoryStorage> } = {}) => {
    const network = fakeNetwork();
    const storage = options.storage ?? memoryStorage();
    const transport = createHttpTransport({
      baseUrl: server.baseUrl,
      storage,
      connectivity: network.connectivity,
      isOnline: network.isOnline,
      visibility: null,
      backoff: { baseMs: 50, capMs: 500 },
      ...options,
    });
    const client = createTaskClient({ transport });
    const chat = createChatSession({ client, storage, BroadcastChannel: null });
    const statuses = new Set<string>();
    const stops = [chat.$messages.listen(() => {}), chat.$activeTask.listen((t) => t?.statusMessage && statuses.add(t.statusMessage))];
    cleanups.push(() => {
      for (const stop of stops) stop();
      chat.destroy();
    });
    return { chat, client, network, storage, statuses };
  };
  // A reply counts once it is final: while it streams it shows as an assistant item with its status.
  const roles = (chat: ChatSession) => chat.$messages.get().map((m) => (m.status === 'final' ? m.role : `${m.role} (${m.status})`));
  const lastReply = (chat: ChatSession) =>
    chat.$messages
      .get()
      .filter((m) => m.role === 'assistant')
      .at(-1)?.content ?? '';

  it('sends a message, shows the live status steps, then the reply', async () => {
    const { chat, statuses } = open();
    await chat.send('Hello server');
    expect(chat.$messages.get()[0]).toMatchObject({ delivery: 'sent', content: 'Hello server' });
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
    expect(lastReply(chat)).toContain('You said: Hello server');
    expect([...statuses]).toContain('AI is thinking…');
    expect(chat.$activeTask.get()).toBeNull();
    expect(chat.$connection.get()).toBe('live');
  });

  it('shows the reply growing as the server streams it, then the stored message in its place', async () => {
    const { chat } = open();
    const shown: string[] = [];
    cleanups.push(
      chat.$messages.listen((items) => {
        const reply = items.find((m) => m.role === 'assistant');
        if (reply && `${reply.status}:${reply.content}` !== shown.at(-1)) shown.push(`${reply.status}:${reply.content}`);
      }),
    );
    await chat.send('Stream to me');
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
    const final = lastReply(chat);
    expect(final).toContain('You said: Stream to me');
    const streamed = shown.filter((s) => s.startsWith('streaming:')).map((s) => s.slice('streaming:'.length));
    // The demo model writes word by word: the text showed in parts, each one a start of the next.
    expect(streamed.length).toBeGreaterThan(1);
    for (const [n, text] of streamed.entries()) expect((streamed[n + 1] ?? final).startsWith(text)).toBe(true);
    expect(chat.$messages.get()[1]).toMatchObject({ status: 'final', taskId: chat.$messages.get()[0]!.taskId });
  });

  it('creates a generic task, follows it live and cancels it', async () => {
    const { client } = open();
    const task = await client.create('e2e.noop', { n: 1 });
    const store = client.task(task.id);
    cleanups.push(store.listen(() => {}));
    await vi.waitFor(() => expect(store.get()).toMatchObject({ loaded: true, connection: 'live' }), LONG);
    await client.cancel(task.id);
    await vi.waitFor(() => expect(store.get().status).toBe('cancelled'), LONG);
  });

  it('misses no reply when the stream is cut mid-task', async () => {
    const proxy = await startCuttableProxy(Number(new URL(server.baseUrl).port));
    cleanups.push(() => void proxy.close());
    const { chat } = open({ baseUrl: proxy.baseUrl });
    await chat.send('Cut me off');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.status).toBe('processing'), LONG);
    // Recorded as they happen: the reconnect can be quicker than a poll, so the lost state must not be sampled.
    const states: string[] = [];
    cleanups.push(chat.$connection.listen((state) => void states.push(state)));
    proxy.cut();
    await vi.waitFor(() => expect(states.some((state) => state !== 'live')).toBe(true), LONG);
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
    expect(lastReply(chat)).toContain('You said: Cut me off');
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'), LONG);
  });

  it('keeps two tabs of one visitor in sync', async () => {
    const storage = memoryStorage();
    const a = open({ storage });
    await a.chat.send('From tab A');
    await vi.waitFor(() => expect(roles(a.chat)).toEqual(['user', 'assistant']), LONG);
    const b = open({ storage });
    await vi.waitFor(() => expect(b.chat.$connection.get()).toBe('live'), LONG);
    await b.chat.send('From tab B');
    for (const { chat } of [a, b]) {
      await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant', 'user', 'assistant']), LONG);
    }
    expect(a.chat.$messages.get().map((m) => m.id)).toEqual(b.chat.$messages.get().map((m) => m.id));
  });

  it('sends messages typed offline, in order, once online', async () => {
    const { chat, network } = open();
    await chat.send('first');
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'), LONG);
    network.set(false);
    await chat.send('second');
    await chat.send('third');
    expect(
      chat.$messages
        .get()
        .filter((m) => m.delivery === 'queued')
        .map((m) => m.content),
    ).toEqual(['second', 'third']);
    network.set(true);
    await vi.waitFor(() => expect(roles(chat).filter((r) => r === 'assistant')).toHaveLength(3), LONG);
    expect(
      chat.$messages
        .get()
        .filter((m) => m.role === 'user')
        .map((m) => m.content),
    ).toEqual(['first', 'second', 'third']);
  });

  it('resumes after a reload: same visitor, same conversation, history shown', async () => {
    const storage = memoryStorage();
    const first = open({ storage });
    await first.chat.send('Remember me');
    await vi.waitFor(() => expect(roles(first.chat)).toEqual(['user', 'assistant']), LONG);
    first.chat.destroy();
    const reloaded = open({ storage });
    await vi.waitFor(
      () => expect(reloaded.chat.$messages.get().map((m) => m.content)).toEqual(first.chat.$messages.get().map((m) => m.content)),
      LONG,
    );
    expect(reloaded.chat.$conversationId.get()).toBe(first.chat.$conversationId.get());
  });

  it('survives a server restart during a subscription', async () => {
    const { chat } = open();
    await chat.send('Before the restart');
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant']), LONG);
    await server.stop();
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('reconnecting'), LONG);
    await server.start();
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'), LONG);
    await chat.send('After the restart');
    await vi.waitFor(() => expect(roles(chat)).toEqual(['user', 'assistant', 'user', 'assistant']), LONG);
    expect(lastReply(chat)).toContain('You said: After the restart');
  });
});
