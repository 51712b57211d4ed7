import { describe, expect, it, vi } from 'vitest';
import { contents, setup } from '../../test/chat-setup.js';
import { NetworkError } from '../errors/network-error.js';

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
    // The reply would take a minute: only the cancel can end it, and the fake worker (like the
    // server's) stops as soon as it is asked to, whatever step it is at.
    const { open, server } = setup({ stepDelayMs: 5, replyDelayMs: 60_000 });
    const chat = open();
    await chat.send('Never mind');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.status).toBe('processing'));
    await chat.stop();
    await vi.waitFor(() => expect(server.inspect().tasks[0]?.status).toBe('cancelled'));
    await vi.waitFor(() => expect(chat.$activeTask.get()).toBeNull());
    // No reply: the stopped reply shows as what it had written, here nothing.
    const taskId = server.inspect().tasks[0]!.id;
    expect(chat.$messages.get()).toMatchObject([
      { role: 'user', content: 'Never mind', status: 'final' },
      { id: `reply:${taskId}`, role: 'assistant', content: '', status: 'stopped', taskId },
    ]);
    expect(server.inspect().messages.map((m) => m.role)).toEqual(['user']);
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

  it('destroy() cancels a resend that is waiting and leaves no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { open, server } = setup();
      const send = vi.spyOn(server, 'sendChatMessage').mockRejectedValue(new NetworkError({ message: 'unreachable' }));
      const chat = open();
      await chat.send('later');
      expect(chat.$messages.get()[0]).toMatchObject({ delivery: 'queued', error: { name: 'NetworkError' } });
      await vi.advanceTimersByTimeAsync(1000); // the first resend waits 0.5–1 s
      expect(send).toHaveBeenCalledTimes(2);
      expect(vi.getTimerCount()).toBe(1); // and the next one is waiting
      chat.destroy();
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(send).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('destroy() closes the stream once, and answers that arrive later change nothing', async () => {
    const { open, server } = setup({ conversations: { c1: [{ role: 'user', content: 'Hi' }] }, latencyMs: 20 });
    let closed = 0;
    const subscribe = server.subscribeConversation;
    vi.spyOn(server, 'subscribeConversation').mockImplementation((id, listener) => {
      const stop = subscribe(id, listener);
      return () => {
        closed += 1;
        stop();
      };
    });
    const chat = open({ conversationId: 'c1' });
    await vi.waitFor(() => expect(chat.$connection.get()).toBe('live'));
    const sending = chat.send('one more');
    chat.destroy();
    await sending;
    await server.settled();
    expect(closed).toBe(1);
    expect(contents(chat)).toEqual(['user:Hi', 'user:one more']); // the answer to the send did not land
    expect(chat.$messages.get().at(-1)?.delivery).toBe('sending');
  });
});
