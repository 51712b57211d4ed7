import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeSession, item, task } from '../../test/fake-session.js';
import { ChatWidget } from './ChatWidget.js';

describe('ChatWidget', () => {
  it('opens from the launcher and closes back to it, returning focus', async () => {
    const { session } = fakeSession();
    const onOpen = vi.fn();
    const onClose = vi.fn();
    render(<ChatWidget session={session} title="Help" onOpen={onOpen} onClose={onClose} />);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Open chat' }));
    expect(screen.getByRole('dialog', { name: 'Help' })).toBeTruthy();
    expect(onOpen).toHaveBeenCalledOnce();
    const closeButtons = screen.getAllByRole('button', { name: 'Close chat' });
    fireEvent.click(closeButtons[0]!);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onClose).toHaveBeenCalledOnce();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open chat' }));
  });

  it('sends, shows the live status, then the reply', async () => {
    const { session, calls } = fakeSession();
    const onSent = vi.fn();
    const onReply = vi.fn();
    render(<ChatWidget session={session} mode="inline" onMessageSent={onSent} onReplyReceived={onReply} />);
    const area = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    area.value = 'Hello';
    fireEvent.input(area);
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(calls).toEqual(['send:Hello']);
    expect(onSent).toHaveBeenCalledWith({ text: 'Hello' });

    session.$messages.set([item({ id: 'm1', role: 'user', content: 'Hello', delivery: 'sent', taskId: 't1' })]);
    session.$activeTask.set(task('pending'));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('AI is thinking…'));
    session.$activeTask.set(task('processing', 'Reading the conversation…'));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Reading the conversation…'));

    session.$messages.set([...session.$messages.get(), item({ id: 'm2', role: 'assistant', content: 'Hi **there**', taskId: 't1' })]);
    session.$activeTask.set(task('completed'));
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(screen.getByRole('log').querySelector('strong')?.textContent).toBe('there');
    await waitFor(() => expect(onReply).toHaveBeenCalledOnce());
  });

  it('stops a running reply', async () => {
    const { session, calls } = fakeSession([item({ id: 'm1', role: 'user', content: 'x', taskId: 't1' })]);
    session.$activeTask.set(task('processing', 'Thinking'));
    render(<ChatWidget session={session} mode="inline" />);
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(calls).toContain('stop');
  });

  it('shows a failure with a readable reason and retries', async () => {
    const { session, calls } = fakeSession([item({ id: 'm1', role: 'user', content: 'x', taskId: 't1' })]);
    const onFailed = vi.fn();
    render(<ChatWidget session={session} mode="inline" onTaskFailed={onFailed} />);
    session.$activeTask.set(task('failed', null, { code: 'timeout', message: 'deadline_at passed', retryable: false }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('took too long'));
    await waitFor(() => expect(onFailed).toHaveBeenCalledOnce());
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(calls).toContain('retry');
  });

  it('shows connection trouble', async () => {
    const { session } = fakeSession();
    render(<ChatWidget session={session} mode="inline" />);
    session.$connection.set('reconnecting');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Reconnecting…'));
    session.$connection.set('live');
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
  });

  it('welcomes an empty conversation and sends a suggestion', () => {
    const { session, calls } = fakeSession();
    render(<ChatWidget session={session} mode="inline" welcome="Hello!" suggestions={['Prices?']} />);
    expect(screen.getByText('Hello!')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Prices?' }));
    expect(calls).toEqual(['send:Prices?']);
  });

  it('uses the locale strings, overrides, and right-to-left direction', () => {
    const { session } = fakeSession();
    const { container, rerender } = render(<ChatWidget session={session} mode="inline" locale="de" strings={{ send: 'Los' }} />);
    expect(screen.getByRole('textbox', { name: 'Nachricht' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Los' })).toBeTruthy();
    rerender(<ChatWidget session={session} mode="inline" locale="ar" />);
    expect(container.querySelector('.acw')?.getAttribute('dir')).toBe('rtl');
  });

  it('does not destroy a session it was given', () => {
    const { session, calls } = fakeSession();
    const { unmount } = render(<ChatWidget session={session} />);
    unmount();
    expect(calls).not.toContain('destroy');
  });
});
