import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from '../i18n/strings.js';
import { formatTime } from './format-time.js';
import { MessageList } from './MessageList.js';

const NOW = Date.parse('2026-12-01T17:30:00Z');
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

describe('formatTime', () => {
  it('is relative while recent, then the time of day, then the date; the full form has both', () => {
    expect(formatTime(at(0.5), NOW, 'en', 'just now')?.short).toBe('just now');
    expect(formatTime(at(5), NOW, 'en', 'just now')?.short).toBe('5 min. ago');
    expect(formatTime(at(5), NOW, 'de', 'gerade eben')?.short).toBe('vor 5 Min.');
    expect(formatTime(at(5), NOW, 'fr', "à l'instant")?.short).toMatch(/^il y a 5\smin/);
    const older = formatTime('2026-11-20T08:05:00Z', NOW, 'en-GB', 'just now')!;
    expect(older.short).toBe('20 Nov 2026');
    expect(older.full).toMatch(/^20 November 2026.*\d{2}:\d{2}$/);
    expect(formatTime('not a date', NOW, 'en', 'just now')).toBeNull();
  });
});

describe('message times and reply actions', () => {
  afterEach(() => vi.unstubAllGlobals());
  const messages = [
    { id: 'm1', role: 'user' as const, content: 'Hello', createdAt: at(6), delivery: 'sent' as const },
    { id: 'm2', role: 'assistant' as const, content: 'Hi **there**\n\n- one\n- two', createdAt: at(5), taskId: 't1' },
    { id: 'reply:t2', role: 'assistant' as const, content: 'Half', createdAt: at(1), taskId: 't2', status: 'stopped' as const },
  ];

  it('shows each settled message time, the full date for screen readers, and copy buttons under replies only', () => {
    const { container } = render(<MessageList messages={messages} strings={en} now={NOW} locale="en" />);
    const times = [...container.querySelectorAll('time')];
    expect(times.map((t) => t.getAttribute('datetime'))).toEqual([at(6), at(5), at(1)]);
    expect(times[0]!.querySelector('[aria-hidden]')?.textContent).toBe('6 min. ago');
    expect(times[0]!.title).toMatch(/December 1, 2026/);
    expect(times[0]!.querySelector('.acw-sr')?.textContent).toBe(times[0]!.title);
    expect(screen.getAllByRole('button', { name: en.copyText })).toHaveLength(2);
    expect(screen.getAllByRole('button', { name: en.copyMarkdown })).toHaveLength(2);
    // The row sits outside the bubble: the reply is announced without its time or button labels.
    expect(container.querySelectorAll('.acw-msg')[1]!.textContent).toBe('Assistant: Hi thereonetwo');
  });

  it('shows no time or actions on a reply while it streams, nor on a message not sent yet', () => {
    const { container } = render(
      <MessageList
        now={NOW}
        strings={en}
        messages={[
          { id: 'l1', role: 'user', content: 'Queued', createdAt: at(0), delivery: 'queued' },
          { id: 'reply:t3', role: 'assistant', content: 'Grow', createdAt: at(0), taskId: 't3', status: 'streaming' },
        ]}
      />,
    );
    expect(container.querySelector('.acw-actions')).toBeNull();
  });

  it('copies the Markdown source, or the text without the hidden author and the Stopped mark, and says Copied', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    render(<MessageList messages={messages} strings={en} now={NOW} />);
    fireEvent.click(screen.getAllByRole('button', { name: en.copyMarkdown })[0]!);
    expect(writeText).toHaveBeenLastCalledWith('Hi **there**\n\n- one\n- two');
    fireEvent.click(screen.getAllByRole('button', { name: en.copyText })[1]!);
    expect(writeText).toHaveBeenLastCalledWith('Half');
    await waitFor(() => expect(document.querySelector('.acw-sr[aria-live="polite"]')?.textContent).toBe(en.copied));
    expect(document.querySelector('.acw-copied')?.textContent).toBe(en.copied);
  });

  it('selects the reply where the clipboard cannot be written', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: () => Promise.reject(new Error('denied')) } });
    const { container } = render(<MessageList messages={messages} strings={en} now={NOW} />);
    fireEvent.click(screen.getAllByRole('button', { name: en.copyText })[0]!);
    await waitFor(() => expect(getSelection()?.toString()).toContain('Hi there'));
    expect(container.querySelector('.acw-copied')).toBeNull();
  });
});
