import { describe, expect, it, vi } from 'vitest';
import { contents, setup } from '../../test/chat-setup.js';
import type { ChatSession } from './chat-session.js';
import { createMemoryTransport } from '../transports/memory/memory-transport.js';

describe('createChatSession: tabs', () => {
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
