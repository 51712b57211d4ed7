import { describe, expect, it, vi } from 'vitest';
import { contents, setup } from '../../test/chat-setup.js';
import { ValidationError } from '../errors/validation-error.js';

/** Waits until the session shows `count` items with the last one a final reply. */
const settledReply = async (chat: ReturnType<ReturnType<typeof setup>['open']>, count: number) =>
  vi.waitFor(() => {
    const items = chat.$messages.get();
    expect(items).toHaveLength(count);
    expect(items.at(-1)).toMatchObject({ role: 'assistant', status: 'final' });
    expect(chat.$activeTask.get()).toBeNull();
  });

describe('chat session: the conversation list', () => {
  it('loads nothing until asked, then lists newest first and follows sends, creates, renames and deletes', async () => {
    const { open, server } = setup({ reply: (text) => `Re: ${text}` });
    const chat = open();
    await chat.send('First topic');
    await settledReply(chat, 2);
    const first = chat.$conversationId.get()!;
    expect(chat.$conversations.get()).toEqual([]); // never loaded: no request made

    await chat.loadConversations();
    expect(chat.$conversations.get()).toMatchObject([{ id: first, title: 'First topic', lastMessage: { content: 'Re: First topic' } }]);

    expect(await chat.createConversation('Billing')).toBe(true);
    const second = chat.$conversationId.get()!;
    expect(second).not.toBe(first);
    expect(chat.$messages.get()).toEqual([]);
    expect(chat.$conversations.get().map((c) => [c.id, c.title])).toEqual([
      [second, 'Billing'],
      [first, 'First topic'],
    ]);

    await chat.switchConversation(first);
    await vi.waitFor(() => expect(contents(chat)).toEqual(['user:First topic', 'assistant:Re: First topic']));
    await chat.send('More on it');
    // Sending moves the conversation to the top with the message as its preview.
    expect(chat.$conversations.get()[0]).toMatchObject({ id: first, lastMessage: { role: 'user', content: 'More on it' } });
    await settledReply(chat, 4);

    expect(await chat.renameConversation(second, '  Invoices  ')).toBe(true);
    expect(chat.$conversations.get().find((c) => c.id === second)?.title).toBe('Invoices');
    expect(await chat.deleteConversation(second)).toBe(true);
    expect(chat.$conversations.get().map((c) => c.id)).toEqual([first]);
    expect(chat.$conversationId.get()).toBe(first); // deleting another one leaves the open one open
    expect(server.inspect().messages.every((m) => m.conversationId === first)).toBe(true);
  });

  it('deleting the open conversation leaves it for a new one; its reply in flight is stopped', async () => {
    const { open, server } = setup({ stepDelayMs: 5, replyDelayMs: 60_000 });
    const chat = open();
    await chat.send('Long question');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.status).toBe('processing'));
    const id = chat.$conversationId.get()!;
    expect(await chat.deleteConversation(id)).toBe(true);
    expect(chat.$conversationId.get()).toBeNull();
    expect(chat.$messages.get()).toEqual([]);
    expect(chat.$problem.get()).toBeNull();
    await server.settled(); // the fake worker stopped at once
    expect(server.inspect().tasks).toEqual([]);
  });

  it('pages the list with loadMoreConversations', async () => {
    const { open, server } = setup();
    for (let i = 0; i < 25; i++) await server.createConversation({ title: `c${i}` });
    const chat = open();
    await chat.loadConversations();
    expect(chat.$conversations.get()).toHaveLength(20);
    expect(chat.$hasMoreConversations.get()).toBe(true);
    await chat.loadMoreConversations();
    expect(chat.$conversations.get()).toHaveLength(25);
    expect(new Set(chat.$conversations.get().map((c) => c.id)).size).toBe(25);
    expect(chat.$hasMoreConversations.get()).toBe(false);
    expect(chat.$conversationsLoading.get()).toBe(false);
  });

  it('a rename the server refuses is a problem, and the list keeps the old title', async () => {
    const { open, server } = setup();
    const made = await server.createConversation({ title: 'Keep' });
    const chat = open();
    await chat.loadConversations();
    expect(await chat.renameConversation(made.id, 'x'.repeat(201))).toBe(false);
    expect(ValidationError.isInstance(chat.$problem.get())).toBe(true);
    expect(chat.$conversations.get()[0]?.title).toBe('Keep');
  });

  it('a message waiting offline stays with the conversation it was typed in when the visitor switches', async () => {
    const { open, server } = setup();
    const other = await server.createConversation({ title: 'Other' });
    const chat = open();
    await chat.send('Start here');
    await settledReply(chat, 2);
    const here = chat.$conversationId.get()!;
    server.setOnline(false);
    await chat.send('Typed offline');
    await chat.switchConversation(other.id);
    expect(contents(chat)).toEqual([]); // the waiting message is not shown in the other conversation
    server.setOnline(true);
    await vi.waitFor(() => expect(server.inspect().messages.some((m) => m.content === 'Typed offline')).toBe(true));
    expect(server.inspect().messages.find((m) => m.content === 'Typed offline')?.conversationId).toBe(here);
    await chat.switchConversation(here);
    await vi.waitFor(() => expect(contents(chat)).toContain('user:Typed offline'));
  });
});

describe('chat session: regenerate, edit and feedback', () => {
  it('regenerate() makes the last reply again: the old one leaves the thread, the new one streams in its place', async () => {
    let round = 0;
    const { open, server } = setup({ reply: () => `Answer ${++round}`, streamChunkChars: 3 });
    const chat = open();
    await chat.send('Question');
    await settledReply(chat, 2);
    const before = chat.$messages.get();
    expect(before.map((i) => [i.role, i.canEdit, i.canRegenerate])).toEqual([
      ['user', true, false],
      ['assistant', false, true],
    ]);
    const seen = new Set<string>();
    chat.$messages.listen((items) => seen.add(items.map((i) => `${i.content}/${i.status}`).join('|')));

    expect(await chat.regenerate()).toBe(true);
    await settledReply(chat, 2);
    expect(contents(chat)).toEqual(['user:Question', 'assistant:Answer 2']);
    expect([...seen].some((s) => s.includes('/streaming'))).toBe(true);
    expect([...seen].every((s) => !s.includes('Answer 1') || !s.includes('Answer 2'))).toBe(true); // never both
    const old = server.inspect().messages.find((m) => m.content === 'Answer 1');
    expect(old?.replacedByTaskId).toBe(chat.$messages.get()[1]?.taskId);
  });

  it('a double click on regenerate makes one new reply', async () => {
    const { open, server } = setup({ latencyMs: 20 });
    const chat = open();
    await chat.send('Once');
    await settledReply(chat, 2);
    expect(await Promise.all([chat.regenerate(), chat.regenerate()])).toEqual([true, false]);
    await settledReply(chat, 2);
    expect(server.inspect().tasks).toHaveLength(2);
    expect(chat.$problem.get()).toBeNull();
  });

  it('regenerate() is refused while the reply is being written (nothing sent), and offered again after Stop', async () => {
    const { open, server } = setup({ stepDelayMs: 5, replyDelayMs: 60_000 });
    const chat = open();
    await chat.send('Slow');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.status).toBe('processing'));
    expect(await chat.regenerate()).toBe(false);
    expect(server.inspect().tasks).toHaveLength(1);
    await chat.stop();
    await vi.waitFor(() => expect(chat.$messages.get().at(-1)).toMatchObject({ status: 'stopped', canRegenerate: true }));
  });

  it('edit() replaces the last question and its reply, stopping a reply still being written', async () => {
    const { open, server } = setup({ stepDelayMs: 5, replyDelayMs: 50, reply: (text) => `Re: ${text}` });
    const chat = open();
    await chat.send('Wrong qestion');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.status).toBe('processing'));
    expect(await chat.edit('Right question')).toBe(true);
    await settledReply(chat, 2);
    expect(contents(chat)).toEqual(['user:Right question', 'assistant:Re: Right question']);
    const tasks = server.inspect().tasks;
    expect(tasks.map((t) => t.status).sort()).toEqual(['cancelled', 'completed']);
    expect(tasks.find((t) => t.status === 'completed')?.replacesTaskId).toBe(tasks.find((t) => t.status === 'cancelled')?.id);
    expect(await chat.edit('   ')).toBe(false);
  });

  it('sendFeedback() rates a reply (a later rating replaces it), shown on the item and after a reload', async () => {
    const { open, server } = setup();
    const chat = open();
    await chat.send('Rate me');
    await settledReply(chat, 2);
    const reply = chat.$messages.get()[1]!;
    expect(reply.feedback).toBeNull();
    expect(await chat.sendFeedback(reply.id, { rating: 'up' })).toBe(true);
    expect(await chat.sendFeedback(reply.id, { rating: 'down', comment: 'Too long' })).toBe(true);
    expect(chat.$messages.get()[1]?.feedback).toMatchObject({ rating: 'down', comment: 'Too long' });
    expect(server.inspect().feedback).toHaveLength(1);
    chat.destroy();
    const reloaded = open();
    await vi.waitFor(() => expect(reloaded.$messages.get()[1]?.feedback).toMatchObject({ rating: 'down' }));
    expect(await reloaded.sendFeedback(reloaded.$messages.get()[0]!.id, { rating: 'up' })).toBe(false); // a question
    expect(reloaded.$problem.get()).toBeInstanceOf(Error);
  });
});

describe('chat session: metadata', () => {
  it('sends the session’s metadata with each message, merged with the send’s own, and stores it with the message', async () => {
    const { open, server } = setup();
    const chat = open({ metadata: { page: '/pricing', plan: 'free' } });
    await chat.send('One');
    await chat.send('Two', { metadata: { plan: 'pro', cart: [1, 2] } });
    await chat.setMetadata({ page: '/checkout' });
    await chat.send('Three');
    await chat.send('Four', { metadata: null });
    await vi.waitFor(() => expect(server.inspect().messages.filter((m) => m.role === 'user')).toHaveLength(4));
    expect(
      server
        .inspect()
        .messages.filter((m) => m.role === 'user')
        .map((m) => m.metadata),
    ).toEqual([{ page: '/pricing', plan: 'free' }, { page: '/pricing', plan: 'pro', cart: [1, 2] }, { page: '/checkout' }, null]);
  });

  it('refuses metadata that is not plain JSON or too large: the message is failed with its text, never sent', async () => {
    const { open, server } = setup();
    const chat = open();
    for (const metadata of [{ when: new Date() }, { f: () => 1 }, { n: Number.NaN }, { big: 'x'.repeat(5000) }] as never[]) {
      await chat.send('Keep my text', { metadata });
    }
    const items = chat.$messages.get();
    expect(items.map((i) => [i.content, i.delivery])).toEqual(Array(4).fill(['Keep my text', 'failed']));
    expect(items.every((i) => ValidationError.isInstance(i.error))).toBe(true);
    expect(server.inspect().messages).toEqual([]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await chat.setMetadata(cyclic as never);
    expect(ValidationError.isInstance(chat.$problem.get())).toBe(true);
  });
});

describe('chat session: a stopped reply', () => {
  it('shows as stopped with the text it had, also after a reload', async () => {
    const { open } = setup({ reply: () => ['Half ', 'a ', 'reply ', 'that ', 'never ', 'ends'], streamChunkDelayMs: 60_000 });
    const chat = open();
    await chat.send('Tell me');
    await vi.waitFor(() => expect(chat.$messages.get()[1]).toMatchObject({ content: 'Half ', status: 'streaming' }));
    await chat.stop();
    await vi.waitFor(() => expect(chat.$messages.get()[1]).toMatchObject({ role: 'assistant', content: 'Half ', status: 'stopped' }));
    expect(chat.$activeTask.get()).toBeNull(); // nothing is running: no progress to show, the item says "stopped"
    chat.destroy();
    const reloaded = open();
    await vi.waitFor(() => expect(reloaded.$messages.get()[1]).toMatchObject({ content: 'Half ', status: 'stopped', canRegenerate: true }));
  });
});
