import { describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../../test/fixtures.js';
import { useContractServer } from '../../test/http-setup.js';
import { createChatSession, type ChatSession } from './chat-session.js';
import type { HttpTransportOptions } from '../transports/http/http-transport.js';
import { createTaskClient } from '../task/task-client.js';

describe('chat session over the http transport', () => {
  const t = useContractServer();

  const open = (storage = memoryStorage(), options: Partial<HttpTransportOptions> = {}) => {
    const { transport, network } = t.transport({ storage, ...options });
    const chat = createChatSession({ client: createTaskClient({ transport }), storage, BroadcastChannel: null });
    const stop = chat.$messages.listen(() => {});
    const stopTask = chat.$activeTask.listen(() => {});
    t.cleanup(() => {
      stop();
      stopTask();
      chat.destroy();
    });
    return { chat, network, storage };
  };
  const contents = (chat: ChatSession) => chat.$messages.get().map((m) => `${m.role}:${m.content}`);
  const replyTask = (chat: ChatSession) => chat.$messages.get().find((m) => m.role === 'user')!.taskId!;

  it('sends, shows the live status from the stream, then the reply', async () => {
    const { chat } = open();
    await chat.send('Hello');
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'));
    const taskId = replyTask(chat);
    t.server.progress(taskId, 'AI is thinking…');
    await vi.waitFor(() =>
      expect(chat.$activeTask.get()).toMatchObject({ status: 'processing', statusMessage: 'AI is thinking…', connection: 'live' }),
    );
    t.server.complete(taskId, 'Hi there');
    await vi.waitFor(() => expect(contents(chat)).toEqual(['user:Hello', 'assistant:Hi there']));
    expect(chat.$activeTask.get()).toBeNull();
  });

  it('shows a reply streamed as output events on the conversation stream, then the stored message', async () => {
    const { chat } = open();
    await chat.send('Hello');
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'));
    const taskId = replyTask(chat);
    t.server.progress(taskId, 'AI is thinking…');
    t.server.output(taskId, 'Hi');
    t.server.output(taskId, ' th');
    await vi.waitFor(() => expect(chat.$messages.get()[1]).toMatchObject({ id: `reply:${taskId}`, content: 'Hi th', status: 'streaming' }));
    expect(chat.$activeTask.get()).toMatchObject({ status: 'processing', partialText: 'Hi th' });
    t.server.complete(taskId, 'Hi there');
    await vi.waitFor(() => expect(chat.$messages.get()[1]).toMatchObject({ content: 'Hi there', status: 'final', taskId }));
    await vi.waitFor(() => expect(chat.$messages.get()[1]!.id).not.toBe(`reply:${taskId}`));
    expect(contents(chat)).toEqual(['user:Hello', 'assistant:Hi there']);
  });

  it('gets the reply that was made while the stream was cut', async () => {
    const { chat } = open();
    await chat.send('Hello');
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'));
    const taskId = replyTask(chat);
    t.server.progress(taskId, 'Reading the conversation…');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.statusMessage).toBe('Reading the conversation…'));
    t.server.cutStreams();
    t.server.progress(taskId, 'AI is thinking…');
    t.server.complete(taskId, 'Reply made offline');
    await vi.waitFor(() => expect(contents(chat)).toEqual(['user:Hello', 'assistant:Reply made offline']));
    expect(chat.$activeTask.get()).toBeNull();
    const resumed = t.server.requests.filter((r) => r.url.endsWith('/stream')).at(-1)!;
    expect(resumed.lastEventId).toBeDefined();
  });

  it('resumes an in-flight reply after a reload', async () => {
    const storage = memoryStorage();
    const first = open(storage);
    await first.chat.send('Slow question');
    const taskId = replyTask(first.chat);
    t.server.progress(taskId, 'AI is thinking…');
    first.chat.destroy();
    const { chat } = open(storage);
    await vi.waitFor(() => expect(chat.$activeTask.get()).toMatchObject({ id: taskId, statusMessage: 'AI is thinking…' }));
    t.server.complete(taskId, 'Answer');
    await vi.waitFor(() => expect(contents(chat)).toEqual(['user:Slow question', 'assistant:Answer']));
    expect(t.server.requests.filter((r) => r.url === '/api/session')).toHaveLength(1); // same visitor after reload
  });

  it('queues messages typed offline and sends them in order once online', async () => {
    const { chat, network } = open();
    await chat.send('one');
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'));
    network.set(false);
    await chat.send('two');
    await chat.send('three');
    expect(chat.$messages.get().map((m) => m.delivery)).toEqual(['sent', 'queued', 'queued']);
    expect(chat.$connection.get()).toBe('offline');
    network.set(true);
    await vi.waitFor(() => expect(chat.$messages.get().map((m) => m.delivery)).toEqual(['sent', 'sent', 'sent']));
    expect(t.server.messages().map((m) => m.content)).toEqual(['one', 'two', 'three']);
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'));
  });

  it('keeps a message queued when the server is unreachable, and sends it once exactly when it is back', async () => {
    const { chat } = open(memoryStorage(), { commandRetries: 0 });
    t.server.failNext(503);
    await chat.send('retry me');
    expect(chat.$messages.get()[0]).toMatchObject({ delivery: 'queued', error: { name: 'HttpError' } });
    await vi.waitFor(() => expect(chat.$messages.get()[0]?.delivery).toBe('sent'), { timeout: 10_000 });
    expect(t.server.messages().filter((m) => m.content === 'retry me')).toHaveLength(1);
  });

  it('keeps two tabs of one visitor in sync through their streams', async () => {
    const storage = memoryStorage(); // tabs of one origin share localStorage
    const a = open(storage);
    await a.chat.send('from A');
    const b = open(storage);
    await vi.waitFor(() => expect(contents(b.chat)).toEqual(['user:from A']));
    await vi.waitFor(() => expect(b.chat.$connection.get()).toBe('live'));
    await b.chat.send('from B');
    for (const { chat } of [a, b]) await vi.waitFor(() => expect(contents(chat)).toEqual(['user:from A', 'user:from B']));
    const [first, second] = t.server.tasks();
    t.server.complete(first!.id, 'to A');
    t.server.complete(second!.id, 'to B');
    const expected = ['user:from A', 'user:from B', 'assistant:to A', 'assistant:to B'];
    for (const { chat } of [a, b]) await vi.waitFor(() => expect(contents(chat)).toEqual(expected));
  });
});
