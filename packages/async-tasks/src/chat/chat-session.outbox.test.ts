import { describe, expect, it, vi } from 'vitest';
import { contents, setup } from '../../test/chat-setup.js';

describe('createChatSession: the outbox', () => {
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
});
