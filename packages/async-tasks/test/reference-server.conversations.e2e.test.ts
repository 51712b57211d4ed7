import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatSession } from '../src/chat/chat-session.js';
import { createTaskClient } from '../src/task/task-client.js';
import { createHttpTransport } from '../src/transports/http/http-transport.js';
import { memoryStorage } from './fixtures.js';
import { fakeNetwork } from './http-setup.js';
import { startReferenceServer } from './reference-server.js';

// The conversation list, regenerate, edit, feedback and metadata through the HTTP transport,
// against the real reference server (PGlite, the built-in runner in demo mode).
const LONG = { timeout: 20_000, interval: 50 };

describe('chat session features against the reference server', () => {
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  const cleanups: Array<() => void> = [];
  beforeAll(async () => {
    server = await startReferenceServer({ replyDelayMs: 50, env: { DEMO_WORD_DELAY_MS: '0' } });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  }, 60_000);
  afterEach(() => {
    for (const stop of cleanups.splice(0)) stop();
  });

  const open = (storage = memoryStorage()) => {
    const network = fakeNetwork();
    const transport = createHttpTransport({
      baseUrl: server.baseUrl,
      storage,
      connectivity: network.connectivity,
      isOnline: network.isOnline,
      visibility: null,
      backoff: { baseMs: 50, capMs: 500 },
    });
    const chat = createChatSession({
      client: createTaskClient({ transport }),
      storage,
      BroadcastChannel: null,
      metadata: { page: '/e2e' },
    });
    const stop = chat.$messages.listen(() => {});
    cleanups.push(() => {
      stop();
      chat.destroy();
    });
    return { chat, transport, storage };
  };
  const settled = (chat: ReturnType<typeof open>['chat'], count: number) =>
    vi.waitFor(() => {
      expect(chat.$messages.get()).toHaveLength(count);
      expect(chat.$messages.get().at(-1)).toMatchObject({ role: 'assistant', status: 'final' });
      expect(chat.$activeTask.get()).toBeNull();
    }, LONG);

  it('two conversations, switching, feedback, regenerate, edit, rename and delete', async () => {
    const { chat, transport } = open();
    await chat.send('About shipping');
    await settled(chat, 2);
    const first = chat.$conversationId.get()!;
    await chat.newConversation();
    await chat.send('About returns');
    await settled(chat, 2);
    const second = chat.$conversationId.get()!;
    expect(second).not.toBe(first);

    await chat.loadConversations();
    expect(chat.$conversations.get().map((c) => [c.id, c.title])).toEqual([
      [second, 'About returns'],
      [first, 'About shipping'],
    ]);

    // Feedback on the reply, kept through a switch away and back.
    const reply = chat.$messages.get()[1]!;
    expect(await chat.sendFeedback(reply.id, { rating: 'down', comment: 'Not what I asked' })).toBe(true);
    await chat.switchConversation(first);
    await vi.waitFor(() => expect(chat.$messages.get().map((m) => m.content)[0]).toBe('About shipping'), LONG);
    await chat.switchConversation(second);
    await vi.waitFor(() => expect(chat.$messages.get()[1]?.feedback).toMatchObject({ rating: 'down', comment: 'Not what I asked' }), LONG);

    // Regenerate: a new reply in the old one's place; edit: a new question answered anew.
    expect(await chat.regenerate()).toBe(true);
    await settled(chat, 2);
    expect(chat.$messages.get()[1]!.id).not.toBe(reply.id);
    expect(await chat.edit('About refunds', { metadata: { step: 'edit' } })).toBe(true);
    await settled(chat, 2);
    expect(chat.$messages.get()[0]).toMatchObject({ role: 'user', content: 'About refunds' });
    expect(chat.$messages.get()[1]!.content).toContain('About refunds');
    const stored = await server.db.asService((tx) =>
      tx.query<{ metadata: unknown }>(
        "select metadata from public.chat_messages where conversation_id = $1::uuid and role = 'user' and replaced_by_task_id is null",
        [second],
      ),
    );
    expect(stored.rows).toEqual([{ metadata: { page: '/e2e', step: 'edit' } }]);

    expect(await chat.renameConversation(second, 'Refunds')).toBe(true);
    expect(chat.$conversations.get()[0]).toMatchObject({ id: second, title: 'Refunds' });
    expect(await chat.deleteConversation(second)).toBe(true);
    expect(chat.$conversationId.get()).toBeNull();
    expect((await transport.listConversations()).conversations.map((c) => c.id)).toEqual([first]);
    await expect(transport.getConversation(second)).rejects.toMatchObject({ status: 404 });
  });

  it('a conversation deleted in another tab is left by this one: its stream ends and the next send starts a new one', async () => {
    const first = open();
    await first.chat.send('Shared between tabs');
    await settled(first.chat, 2);
    const id = first.chat.$conversationId.get()!;
    // A second tab of the same visitor (the same storage: the same session and conversation).
    const second = open(first.storage);
    await vi.waitFor(() => expect(second.chat.$messages.get()).toHaveLength(2), LONG);
    expect(await first.chat.deleteConversation(id)).toBe(true);
    await vi.waitFor(() => expect(second.chat.$conversationId.get()).toBeNull(), LONG);
    expect(second.chat.$messages.get()).toEqual([]);
    await second.chat.send('A fresh start');
    await settled(second.chat, 2);
    expect(second.chat.$conversationId.get()).not.toBe(id);
  });
});
