import { render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/strings.js';
import type { MessageView } from '../types.js';
import { MessageList } from './MessageList.js';

const question: MessageView = { id: 'm1', role: 'user', content: 'Question', delivery: 'sent', taskId: 't1' };
const reply = (content: string, status: MessageView['status'], id = 'reply:t1'): MessageView => ({
  id,
  role: 'assistant',
  content,
  status,
  taskId: 't1',
});
/** Mutation observers report in a microtask: one queued after the changes runs after them. */
const settleObservers = () => Promise.resolve();
/** The growing text of one reply as the SDK hands it out. */
const chunks = ['Here', 'Here is **the', 'Here is **the answer**', 'Here is **the answer**, in full.'];

describe('MessageList while a reply streams', () => {
  it('keeps one bubble from the thinking indicator through the chunks to the stored message', () => {
    const { container, rerender } = render(
      <MessageList strings={en} messages={[question, reply('', 'streaming')]} pending={<div class="acw-thinking">Thinking</div>} />,
    );
    const bubble = () => container.querySelectorAll('.acw-msg')[1]!;
    const first = bubble();
    expect(first.textContent).toContain('Thinking');
    for (const text of chunks) {
      rerender(<MessageList strings={en} messages={[question, reply(text, 'streaming')]} />);
      expect(bubble()).toBe(first);
    }
    rerender(<MessageList strings={en} messages={[question, reply(chunks.at(-1)!, 'final', 'm2')]} />);
    expect(bubble()).toBe(first);
    expect(first.textContent).toBe('Assistant: Here is the answer, in full.');
  });

  it('keeps the chunks out of every live region and announces the finished reply once', async () => {
    const { container, rerender } = render(<MessageList strings={en} messages={[question, reply('', 'streaming')]} />);
    const log = container.querySelector('[role="log"]')!;
    const announcer = container.querySelector('.acw-sr[aria-live="polite"]')!;
    expect(log.contains(announcer)).toBe(false);
    const announced: string[] = [];
    new MutationObserver(() => announced.push(announcer.textContent!)).observe(announcer, {
      childList: true,
      characterData: true,
      subtree: true,
    });
    for (const text of chunks) {
      rerender(<MessageList strings={en} messages={[question, reply(text, 'streaming')]} />);
      const streaming = log.querySelector('[data-status="streaming"]')!;
      expect(streaming.getAttribute('aria-busy')).toBe('true');
      // The nearest element that sets politeness for the growing text is the bubble itself: off.
      expect(streaming.closest('[aria-live]')).toBe(streaming);
      expect(streaming.getAttribute('aria-live')).toBe('off');
    }
    await settleObservers();
    expect(announced).toEqual([]);
    rerender(<MessageList strings={en} messages={[question, reply(chunks.at(-1)!, 'final', 'm2')]} />);
    await settleObservers();
    expect(announced).toEqual(['Assistant: Here is the answer, in full.']);
  });

  it('announces a stopped reply with its mark, and leaves replies that arrive whole to the log', () => {
    const { container, rerender } = render(<MessageList strings={en} messages={[question, reply('Half', 'streaming')]} />);
    rerender(<MessageList strings={en} messages={[question, reply('Half', 'stopped')]} />);
    const announcer = container.querySelector('.acw-sr[aria-live="polite"]')!;
    expect(announcer.textContent).toBe(`Assistant: Half${en.stopped}`);
    const whole: MessageView = { id: 'm4', role: 'assistant', content: 'Whole', status: 'final', taskId: 't2' };
    rerender(<MessageList strings={en} messages={[question, reply('Half', 'stopped'), whole]} />);
    expect(container.querySelectorAll('.acw-msg')[2]!.hasAttribute('aria-live')).toBe(false);
  });

  it('marks stopped and interrupted replies', () => {
    const { container } = render(
      <MessageList
        strings={en}
        messages={[
          { id: 'reply:t1', role: 'assistant', content: '', status: 'stopped', taskId: 't1' },
          { id: 'reply:t2', role: 'assistant', content: 'Part of it', status: 'interrupted', taskId: 't2' },
        ]}
      />,
    );
    const notes = [...container.querySelectorAll('.acw-note')].map((n) => n.textContent);
    expect(notes).toEqual([en.stopped, en.interrupted]);
  });
});
