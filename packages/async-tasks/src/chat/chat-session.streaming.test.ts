import { describe, expect, it, vi } from 'vitest';
import { setup } from '../../test/chat-setup.js';
import type { ChatSession } from './chat-session.js';
import type { ChatItem } from './selectors.js';

/** Every different reply item the session showed, as `status:content`, in order. */
const watchReply = (chat: ChatSession) => {
  const seen: string[] = [];
  const replies: ChatItem[] = [];
  chat.$messages.subscribe((items) => {
    const reply = items.find((i) => i.role === 'assistant');
    const shown = reply && `${reply.status}:${reply.content}`;
    if (reply && shown !== seen.at(-1)) {
      seen.push(shown!);
      replies.push(reply);
    }
  });
  return { seen, replies };
};

describe('chat session: streamed replies', () => {
  it('shows the reply growing right after the question, then the stored message in its place, one task throughout', async () => {
    const { open, server } = setup({ streamChunkChars: 4, streamChunkDelayMs: 1, reply: () => 'Streams are nice.' });
    const chat = open();
    const { seen, replies } = watchReply(chat);
    await chat.send('Tell me');
    await server.settled();
    await vi.waitFor(() => expect(seen.at(-1)).toBe('final:Streams are nice.'));
    expect(seen).toEqual([
      'streaming:Stre',
      'streaming:Streams ',
      'streaming:Streams are ',
      'streaming:Streams are nice',
      'streaming:Streams are nice.',
      'final:Streams are nice.',
    ]);
    const taskId = chat.$messages.get()[0]!.taskId;
    expect(replies.map((r) => r.taskId)).toEqual(replies.map(() => taskId));
    expect(replies[0]!.id).toBe(`reply:${taskId}`);
    // The completed task's result shows first (same text, final), then the stored message takes its place.
    expect(chat.$messages.get()).toMatchObject([
      { role: 'user' },
      { role: 'assistant', id: server.inspect().messages.at(-1)!.id, taskId, status: 'final' },
    ]);
    expect(chat.$messages.get()).toHaveLength(2);
  });

  it('keeps what was written when the visitor stops the reply', async () => {
    const { open, server } = setup({ streamChunkChars: 4, streamChunkDelayMs: 60_000, reply: () => 'Streams are nice.' });
    const chat = open();
    await chat.send('Tell me');
    await vi.waitFor(() => expect(chat.$activeTask.get()?.partialText).toBe('Stre'));
    await chat.stop();
    await server.settled();
    await vi.waitFor(() => expect(chat.$activeTask.get()).toBeNull());
    expect(chat.$messages.get()[1]).toMatchObject({ role: 'assistant', content: 'Stre', status: 'stopped' });
  });

  it('shows a reply cut off by a failure as interrupted, with the error on the active task; Retry starts it over', async () => {
    const { open, server } = setup({ streamChunkChars: 4, streamChunkDelayMs: 1, reply: () => 'Streams are nice.' });
    server.failNext(1, { message: 'The model broke off' }, { afterChars: 8 });
    const chat = open();
    const { seen } = watchReply(chat);
    await chat.send('Tell me');
    await vi.waitFor(() => expect(chat.$activeTask.get()).toMatchObject({ status: 'failed', error: { message: 'The model broke off' } }));
    expect(chat.$messages.get()[1]).toMatchObject({ content: 'Streams ', status: 'interrupted' });
    await chat.retry();
    await server.settled();
    await vi.waitFor(() => expect(seen.at(-1)).toBe('final:Streams are nice.'));
    expect(seen).toEqual([
      'streaming:Stre',
      'streaming:Streams ',
      'interrupted:Streams ',
      // the retry: nothing written yet (no item), then the reply again from its first words
      'streaming:Stre',
      'streaming:Streams ',
      'streaming:Streams are ',
      'streaming:Streams are nice',
      'streaming:Streams are nice.',
      'final:Streams are nice.',
    ]);
  });
});
