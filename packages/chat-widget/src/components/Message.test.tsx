import { render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Message } from './Message.js';

describe('Message', () => {
  it('shows user messages as plain text, markdown and HTML included', () => {
    const { container } = render(<Message message={{ id: '1', role: 'user', content: '**hi** <b>x</b>' }} authorLabel="You" />);
    expect(container.querySelector('strong, b')).toBeNull();
    expect(screen.getByText('**hi** <b>x</b>')).toBeTruthy();
  });

  it('renders assistant messages as markdown', () => {
    const { container } = render(
      <Message message={{ id: '2', role: 'assistant', content: '**hi** and `code`' }} authorLabel="Assistant" />,
    );
    expect(container.querySelector('strong')?.textContent).toBe('hi');
    expect(container.querySelector('code')?.textContent).toBe('code');
  });

  it('names the author for screen readers', () => {
    const { container } = render(<Message message={{ id: '3', role: 'assistant', content: 'x' }} authorLabel="Assistant" />);
    expect(container.querySelector('.acw-sr')?.textContent).toBe('Assistant: ');
  });

  it('shows what it is given until a streaming reply has words, then the words with a caret, busy', () => {
    const reply = (content: string) => ({
      id: 'reply:t1',
      role: 'assistant' as const,
      content,
      status: 'streaming' as const,
      taskId: 't1',
    });
    const { container, rerender } = render(
      <Message message={reply('')} authorLabel="Assistant">
        <span class="acw-thinking">AI is thinking…</span>
      </Message>,
    );
    const bubble = container.querySelector('.acw-msg')!;
    expect(bubble.textContent).toBe('Assistant: AI is thinking…');
    expect(bubble.getAttribute('aria-busy')).toBe('true');
    expect(bubble.getAttribute('data-status')).toBe('streaming');
    rerender(<Message message={reply('Hello **wor')} authorLabel="Assistant" />);
    expect(container.querySelector('.acw-msg')).toBe(bubble);
    expect(bubble.querySelector('.acw-thinking')).toBeNull();
    expect(bubble.textContent).toBe('Assistant: Hello **wor');
    expect(bubble.getAttribute('aria-busy')).toBe('true');
  });

  it('keeps a bubble that streamed out of the log announcements, and settles once with its text', () => {
    const onSettle = vi.fn();
    const item = (content: string, status: 'streaming' | 'final') => ({
      id: 'x',
      role: 'assistant' as const,
      content,
      status,
      taskId: 't1',
    });
    const { container, rerender } = render(<Message message={item('One', 'streaming')} authorLabel="Assistant" onSettle={onSettle} />);
    const bubble = container.querySelector('.acw-msg')!;
    expect(bubble.getAttribute('aria-live')).toBe('off');
    rerender(<Message message={item('One two', 'streaming')} authorLabel="Assistant" onSettle={onSettle} />);
    expect(onSettle).not.toHaveBeenCalled();
    rerender(<Message message={item('One two **three**', 'final')} authorLabel="Assistant" onSettle={onSettle} />);
    expect(onSettle).toHaveBeenCalledExactlyOnceWith('Assistant: One two three');
    expect(bubble.hasAttribute('aria-busy')).toBe(false);
    expect(bubble.getAttribute('aria-live')).toBe('off'); // announced by onSettle, not again by the log
    rerender(<Message message={item('One two **three**', 'final')} authorLabel="Other" onSettle={onSettle} />);
    expect(onSettle).toHaveBeenCalledOnce();
  });

  it('leaves a reply that arrives whole to the log', () => {
    const { container } = render(
      <Message message={{ id: 'x', role: 'assistant', content: 'Whole', status: 'final' }} authorLabel="Assistant" />,
    );
    const bubble = container.querySelector('.acw-msg')!;
    expect(bubble.hasAttribute('aria-live')).toBe(false);
    expect(bubble.hasAttribute('aria-busy')).toBe(false);
  });

  it('marks a reply that did not finish, even one without words', () => {
    const { container } = render(
      <Message message={{ id: 'x', role: 'assistant', content: '', status: 'stopped' }} authorLabel="Assistant" note="Stopped." />,
    );
    expect(container.querySelector('.acw-msg')?.textContent).toBe('Assistant: Stopped.');
    expect(container.querySelector('.acw-note')?.textContent).toBe('Stopped.');
  });
});
