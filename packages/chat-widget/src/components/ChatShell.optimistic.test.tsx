import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/strings.js';
import type { MessageView, TaskView } from '../types.js';
import { ChatShell } from './ChatShell.js';

const question = (delivery: MessageView['delivery'], taskId: string | null = null): MessageView => ({
  id: taskId ? 'm1' : 'local-1',
  role: 'user',
  content: 'How fast is this?',
  delivery,
  taskId,
});
const shell = (messages: MessageView[], task: TaskView | null = null) => (
  <ChatShell
    strings={en}
    mode="inline"
    messages={messages}
    task={task}
    connection="live"
    onSend={() => undefined}
    onRetry={() => undefined}
  />
);
const bubbles = (container: Element) => [...container.querySelectorAll('.acw-msg')].map((m) => m.getAttribute('data-role'));

describe('ChatShell: the reply is awaited from the moment the visitor sends', () => {
  it('shows the message and "thinking" in the same render as the send, before the server answers it', () => {
    const { container, rerender } = render(shell([]));
    expect(screen.queryByRole('status')).toBeNull();
    rerender(shell([question('sending')]));
    expect(screen.getByRole('status').textContent).toBe(en.thinking);
    expect(bubbles(container)).toEqual(['user', 'assistant']);
  });

  it('gives way to the task once the send is answered: its status, then its words, one reply bubble', () => {
    const { container, rerender } = render(shell([question('sending')]));
    const task: TaskView = { id: 't1', status: 'processing', statusMessage: 'Reading the conversation…', error: null };
    rerender(shell([question('sent', 't1')], task));
    expect(screen.getByRole('status').textContent).toBe('Reading the conversation…');
    expect(bubbles(container)).toEqual(['user', 'assistant']);
    const reply: MessageView = { id: 'a1', role: 'assistant', content: 'Very.', taskId: 't1' };
    rerender(shell([question('sent', 't1'), reply], { ...task, status: 'completed' }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(container.querySelector('[role=log]')?.textContent).toContain('Very.');
  });

  it('does not claim a reply is coming for a message waiting offline, refused, or answered long ago', () => {
    const { rerender } = render(shell([question('queued')]));
    expect(screen.queryByRole('status')).toBeNull();
    rerender(shell([question('failed')]));
    expect(screen.queryByRole('status')).toBeNull();
    rerender(shell([question('sent', 't1')]));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('hides the previous reply failure while the new message is on its way', () => {
    const failed: TaskView = {
      id: 't0',
      status: 'failed',
      statusMessage: null,
      error: { code: 'model_error', message: 'x', retryable: true },
    };
    const { rerender } = render(shell([question('sent', 't0')], failed));
    expect(screen.getByRole('button', { name: en.retry })).toBeTruthy();
    rerender(shell([question('sent', 't0'), { ...question('sending'), id: 'local-2' }], failed));
    expect(screen.queryByRole('button', { name: en.retry })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe(en.thinking);
  });
});
