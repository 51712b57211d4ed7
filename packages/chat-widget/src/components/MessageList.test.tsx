import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { en } from '../i18n/strings.js';
import { MessageList } from './MessageList.js';

describe('MessageList', () => {
  it('is a labelled log with every message in order', () => {
    render(
      <MessageList
        strings={en}
        messages={[
          { id: '1', role: 'user', content: 'Question', delivery: 'sent' },
          { id: '2', role: 'assistant', content: 'Answer' },
        ]}
      />,
    );
    const log = screen.getByRole('log', { name: 'Conversation' });
    expect(log.textContent).toMatch(/Question.*Answer/);
  });

  it('shows the delivery state of unsent user messages', () => {
    render(
      <MessageList
        strings={en}
        messages={[
          { id: '1', role: 'user', content: 'a', delivery: 'queued' },
          { id: '2', role: 'user', content: 'b', delivery: 'failed' },
          { id: '3', role: 'user', content: 'c', delivery: 'sent' },
        ]}
      />,
    );
    expect(screen.getByText(en.queued)).toBeTruthy();
    expect(screen.getByText(en.notSent)).toBeTruthy();
    expect(screen.queryByText(en.sending)).toBeNull();
  });

  it('offers to send undelivered messages again', () => {
    const onRetry = vi.fn();
    render(<MessageList strings={en} messages={[{ id: '1', role: 'user', content: 'a', delivery: 'failed' }]} onRetry={onRetry} />);
    fireEvent.click(screen.getByRole('button', { name: en.retry }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('renders only the newest page of a long history, revealing earlier ones on request', () => {
    const onLoadOlder = vi.fn();
    const messages = Array.from({ length: 25 }, (_, i) => ({ id: String(i), role: 'assistant' as const, content: `m${i}` }));
    const { container } = render(<MessageList strings={en} messages={messages} pageSize={10} onLoadOlder={onLoadOlder} />);
    const texts = () => [...container.querySelectorAll('.acw-msg')].map((m) => m.textContent!.replace('Assistant: ', ''));
    expect(texts()).toEqual(messages.slice(15).map((m) => m.content));
    fireEvent.click(screen.getByRole('button', { name: en.loadOlder }));
    expect(texts()).toHaveLength(20);
    fireEvent.click(screen.getByRole('button', { name: en.loadOlder }));
    expect(texts()).toHaveLength(25);
    expect(onLoadOlder).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: en.loadOlder }));
    expect(onLoadOlder).toHaveBeenCalledOnce();
  });

  it('offers earlier messages when it can load them', () => {
    const onLoadOlder = vi.fn();
    render(<MessageList strings={en} messages={[]} onLoadOlder={onLoadOlder} />);
    fireEvent.click(screen.getByRole('button', { name: en.loadOlder }));
    expect(onLoadOlder).toHaveBeenCalledOnce();
  });
});
