import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../../test/fixtures.js';
import { createChatSession, type ChatSession, type ChatSessionOptions } from './chat-session.js';
import { createMemoryTransport, type MemoryTransport, type MemoryTransportOptions } from '../transports/memory/memory-transport.js';
import { createTaskClient } from '../task/task-client.js';

const sessions: Array<{ session: ChatSession; stop: () => void }> = [];
afterEach(() => {
  for (const { session, stop } of sessions.splice(0)) {
    stop();
    session.destroy();
  }
});

function setup(transportOptions: MemoryTransportOptions = {}, transport?: MemoryTransport) {
  const server = transport ?? createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5, ...transportOptions });
  const storage = memoryStorage();
  const open = (options: Partial<ChatSessionOptions> = {}) => {
    const session = createChatSession({ client: createTaskClient({ transport: server }), storage, BroadcastChannel: null, ...options });
    const stop = session.$messages.listen(() => {});
    const stopTask = session.$activeTask.listen(() => {});
    sessions.push({
      session,
      stop: () => {
        stop();
        stopTask();
      },
    });
    return session;
  };
  return { server, storage, open };
}

const contents = (session: ChatSession) => session.$messages.get().map((m) => `${m.role}:${m.content}`);

describe('createChatSession', () => {
  it('echoes a sent message at once, shows the live status, then the reply', async () => {
    const { open } = setup({ reply: (text) => `Re: ${text}` });
    const chat = open();
    const statuses: Array<string | null> = [];
    chat.$activeTask.listen((task) => task && statuses.push(task.statusMessage));
    const sending = chat.send('  Hello  ');
    expect(chat.$messages.get()).toMatchObject([{ role: 'user', content: 'Hello', delivery: 'sending' }]);
    await sending;
    expect(chat.$messages.get()[0]).toMatchObject({ delivery: 'sent', taskId: expect.any(String) });
    expect(chat.$conversationId.get()).toEqual(expect.any(String));
    await vi.waitFor(() => expect(contents(chat)).toEqual(['user:Hello', 'assistant:Re: Hello']));
    await vi.waitFor(() => expect(chat.$activeTask.get()).toBeNull());
    expect(statuses).toEqual(expect.arrayContaining(['Reading the conversation…', 'AI is thinking…']));
    expect(chat.$connection.get()).toBe('live');
  });

  it('ignores blank messages', async () => {
    const { open, server } = setup();
    const chat = open();
    await chat.send('   ');
    expect(chat.$messages.get()).toEqual([]);
    expect(server.inspect().messages).toEqual([]);
  });

  it('remembers the conversation, so a reload shows it again', async () => {
    const { open } = setup();
    const first = open();
    await first.send('Hi');
    await vi.waitFor(() => expect(contents(first)).toHaveLength(2));
    first.destroy();
    const reloaded = open();
    expect(reloaded.$conversationId.get()).toBe(first.$conversationId.get());
    await vi.waitFor(() => expect(contents(reloaded)).toEqual(contents(first)));
  });

  it('resumes the live status of a reply that was in flight during a reload', async () => {
    const { open } = setup({ stepDelayMs: 100, replyDelayMs: 200 });
    const first = open();
    await first.send('Slow one');
    first.destroy();
    const reloaded = open();
    await vi.waitFor(() => expect(reloaded.$activeTask.get()?.status).toBe('processing'));
    expect(reloaded.$activeTask.get()?.statusMessage).toMatch(/Reading|thinking/);
    await vi.waitFor(() => expect(contents(reloaded)).toHaveLength(2));
    await vi.waitFor(() => expect(reloaded.$activeTask.get()).toBeNull());
  });

  it('stop() cancels the reply being made', async () => {
    const { open, server } = setup({ stepDelayMs: 30, replyDelayMs: 1000 });
    const chat = open();
    await chat.send('Never mind');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.status).toBe('processing'));
    await chat.stop();
    await vi.waitFor(() => expect(server.inspect().tasks[0]?.status).toBe('cancelled'));
    await vi.waitFor(() => expect(chat.$activeTask.get()).toBeNull());
    expect(contents(chat)).toEqual(['user:Never mind']);
  });

  it('retry() re-runs a failed reply', async () => {
    const { open, server } = setup();
    server.failNext(1, { message: 'The model is down' });
    const chat = open();
    await chat.send('Hello?');
    await vi.waitFor(() => expect(chat.$activeTask.get()).toMatchObject({ status: 'failed', error: { message: 'The model is down' } }));
    await chat.retry();
    await vi.waitFor(() => expect(contents(chat)).toHaveLength(2));
    expect(chat.$activeTask.get()).toBeNull();
  });

  it('shows a retryable failure while the reply is retried, then the reply', async () => {
    const { open, server } = setup();
    server.failNext(1, { message: 'Model busy', retryable: true });
    const chat = open();
    const seen: Array<string | undefined> = [];
    chat.$activeTask.listen((t) => t && seen.push(`${t.status}:${t.error?.message ?? ''}:${t.attempt}`));
    await chat.send('Try twice');
    await vi.waitFor(() => expect(contents(chat)).toHaveLength(2));
    expect(seen).toContain('pending:Model busy:1');
    expect(server.inspect().tasks[0]).toMatchObject({ status: 'completed', attempt: 2 });
  });

  it('keeps messages typed offline in an outbox and sends them in order once online', async () => {
    const { open, server, storage } = setup();
    const chat = open();
    await chat.send('first');
    server.setOnline(false);
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('offline'));
    await chat.send('second');
    await chat.send('third');
    expect(
      chat.$messages
        .get()
        .slice(-2)
        .map((m) => m.delivery),
    ).toEqual(['queued', 'queued']);
    expect(storage.data.get('async-tasks:chat:outbox')).toContain('third');
    server.setOnline(true);
    await vi.waitFor(() =>
      expect(
        server
          .inspect()
          .messages.filter((m) => m.role === 'user')
          .map((m) => m.content),
      ).toEqual(['first', 'second', 'third']),
    );
    await vi.waitFor(() => expect(chat.$messages.get().every((m) => m.delivery === 'sent')).toBe(true));
    expect(storage.data.has('async-tasks:chat:outbox')).toBe(false);
    expect(chat.$connection.get()).toBe('live');
  });

  it('never sends a message twice when the page reloads mid-send', async () => {
    const { open, server } = setup({ latencyMs: 30 });
    const first = open();
    void first.send('only once');
    first.destroy(); // the request is on its way; the outbox entry (with its key) is in storage
    const reloaded = open();
    await vi.waitFor(() => expect(reloaded.$messages.get()[0]).toMatchObject({ content: 'only once', delivery: 'sent' }));
    await vi.waitFor(() => expect(contents(reloaded)).toHaveLength(2));
    expect(server.inspect().messages.filter((m) => m.role === 'user')).toHaveLength(1);
    await vi.waitFor(() => expect(contents(reloaded).filter((c) => c === 'user:only once')).toHaveLength(1));
  });

  it('marks a refused message as failed and lets retry() resend it', async () => {
    const { open } = setup();
    const chat = open();
    await chat.send('x'.repeat(16_001));
    expect(chat.$messages.get()[0]).toMatchObject({ delivery: 'failed', error: { name: 'ValidationError' } });
    await chat.retry();
    expect(chat.$messages.get()[0]?.delivery).toBe('failed');
  });

  it('loads history page by page', async () => {
    const seeded = Array.from({ length: 120 }, (_, i) => ({ role: i % 2 ? ('assistant' as const) : ('user' as const), content: `m${i}` }));
    const { open } = setup({ conversations: { c1: seeded } });
    const chat = open({ conversationId: 'c1', pageSize: 50 });
    await vi.waitFor(() => expect(chat.$messages.get()).toHaveLength(50));
    expect(chat.$messages.get()[0]?.content).toBe('m70');
    expect(chat.$hasOlder.get()).toBe(true);
    await chat.loadOlder();
    expect(chat.$messages.get()).toHaveLength(100);
    await chat.loadOlder();
    expect(chat.$messages.get().map((m) => m.content)).toEqual(seeded.map((m) => m.content));
    expect(chat.$hasOlder.get()).toBe(false);
  });

  it('starts a new conversation when the remembered one is gone', async () => {
    const { open, storage } = setup();
    storage.setItem('async-tasks:chat:conversation', 'deleted-one');
    const chat = open();
    await vi.waitFor(() => expect(chat.$conversationId.get()).toBeNull());
    await chat.send('fresh start');
    expect(chat.$conversationId.get()).not.toBe('deleted-one');
  });

  it('keeps two tabs on one conversation in sync', async () => {
    const server = createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5 });
    const tabA = setup({}, server).open();
    await tabA.send('from A');
    await vi.waitFor(() => expect(contents(tabA)).toHaveLength(2));
    const tabB = setup({}, server).open({ conversationId: tabA.$conversationId.get() });
    await tabB.send('from B');
    const expected = ['user:from A', 'assistant:', 'user:from B', 'assistant:'];
    const shape = (chat: ChatSession) => contents(chat).map((c) => c.replace(/^assistant:.*/, 'assistant:'));
    await vi.waitFor(() => expect(shape(tabA)).toEqual(expected));
    await vi.waitFor(() => expect(shape(tabB)).toEqual(expected));
  });

  it('shares a new conversation with other tabs through BroadcastChannel', async () => {
    const server = createMemoryTransport({ stepDelayMs: 5, replyDelayMs: 5 });
    const key = `bc-${Math.random()}`;
    const tabA = setup({}, server).open({ BroadcastChannel: globalThis.BroadcastChannel, storageKey: key });
    const tabB = setup({}, server).open({ BroadcastChannel: globalThis.BroadcastChannel, storageKey: key });
    await tabA.send('hello B');
    await vi.waitFor(() => expect(tabB.$conversationId.get()).toBe(tabA.$conversationId.get()));
    await vi.waitFor(() => expect(contents(tabB)).toContain('user:hello B'));
  });
});
