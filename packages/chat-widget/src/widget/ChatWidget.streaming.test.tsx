import type { TaskState } from '@app/async-tasks';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeSession, item, task } from '../../test/fake-session.js';
import { en } from '../i18n/strings.js';
import { ChatWidget } from './ChatWidget.js';

const question = item({ id: 'm1', role: 'user', content: 'Hello', taskId: 't1' });
const partial = (content: string, status: 'streaming' | 'stopped' | 'interrupted' = 'streaming') =>
  item({ id: 'reply:t1', role: 'assistant', content, taskId: 't1', status });
const running = (partialText: string | null, fields: Partial<TaskState> = {}): TaskState => ({
  ...task('processing', 'AI is thinking…'),
  partialText,
  ...fields,
});
const replyBubble = () => screen.getByRole('log').querySelectorAll('.acw-msg')[1] as HTMLElement | undefined;

describe('ChatWidget with a streamed reply', () => {
  it('shows the status until the first words, then grows the reply in the same bubble until it is stored', async () => {
    const { session } = fakeSession([question]);
    const onReply = vi.fn();
    session.$activeTask.set(task('processing', 'Reading the conversation…'));
    render(<ChatWidget session={session} mode="inline" onReplyReceived={onReply} />);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Reading the conversation…'));
    const bubble = replyBubble()!;
    expect(bubble.contains(screen.getByRole('status'))).toBe(true);

    session.$messages.set([question, partial('Hi')]);
    session.$activeTask.set(running('Hi'));
    await waitFor(() => expect(bubble.textContent).toBe('Assistant: Hi'));
    expect(screen.queryByRole('status')).toBeNull();
    expect(bubble.getAttribute('aria-busy')).toBe('true');
    session.$messages.set([question, partial('Hi **there**, how')]);
    await waitFor(() => expect(bubble.querySelector('strong')?.textContent).toBe('there'));
    expect(replyBubble()).toBe(bubble);
    expect(onReply).not.toHaveBeenCalled(); // not while it streams

    session.$messages.set([question, item({ id: 'm2', role: 'assistant', content: 'Hi **there**, how can I help?', taskId: 't1' })]);
    session.$activeTask.set(null);
    await waitFor(() => expect(bubble.textContent).toBe('Assistant: Hi there, how can I help?'));
    expect(replyBubble()).toBe(bubble);
    expect(bubble.hasAttribute('aria-busy')).toBe(false);
    await waitFor(() => expect(onReply).toHaveBeenCalledOnce());
  });

  it('stops from the composer and keeps the words so far, marked stopped', async () => {
    const { session, calls } = fakeSession([question, partial('Half an ans')]);
    session.$activeTask.set(running('Half an ans'));
    render(<ChatWidget session={session} mode="inline" />);
    fireEvent.click(screen.getByRole('button', { name: en.stop }));
    expect(calls).toContain('stop');
    session.$activeTask.set(running('Half an ans', { cancelRequested: true }));
    await waitFor(() => expect((screen.getByRole('button', { name: en.stopping }) as HTMLButtonElement).disabled).toBe(true));

    session.$messages.set([question, partial('Half an ans', 'stopped')]);
    session.$activeTask.set(null);
    await waitFor(() => expect(replyBubble()?.textContent).toBe(`Assistant: Half an ans${en.stopped}`));
    expect(screen.queryByRole('button', { name: en.stop })).toBeNull();
  });

  it('leaves a visible trace when stopped before any words', async () => {
    const { session } = fakeSession([question, partial('', 'stopped')]);
    render(<ChatWidget session={session} mode="inline" />);
    expect(replyBubble()?.textContent).toBe(`Assistant: ${en.stopped}`);
  });

  it('marks a reply a failure cut short, with the error and Retry; the retried reply replaces it', async () => {
    const failed = { ...task('failed', null, { code: 'llm_error', message: 'stream broke', retryable: true }), partialText: 'Part' };
    const { session, calls } = fakeSession([question, partial('Part', 'interrupted')]);
    session.$activeTask.set(failed);
    render(<ChatWidget session={session} mode="inline" />);
    const bubble = replyBubble()!;
    expect(bubble.textContent).toBe(`Assistant: Part${en.interrupted}`);
    expect(screen.getByRole('alert').textContent).toContain(en.errorFailed);
    fireEvent.click(screen.getByRole('button', { name: en.retry }));
    expect(calls).toContain('retry');

    // The retry starts over: no text yet, so the same bubble shows the status again.
    session.$messages.set([question]);
    session.$activeTask.set(running(null, { attempt: 2, statusMessage: 'Reading the conversation…' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Reading the conversation…'));
    expect(replyBubble()).toBe(bubble);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(bubble.textContent).not.toContain('Part');
    session.$messages.set([question, partial('New')]);
    await waitFor(() => expect(bubble.textContent).toBe('Assistant: New'));
  });
});
