import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/strings.js';
import type { MessageView } from '../types.js';
import { MessageList } from './MessageList.js';

/**
 * jsdom has no layout: the log gets a 300 px viewport over content 100 px per message, and a
 * scrollTop the browser would clamp. Moving it is the reader scrolling (a `scroll` event follows
 * unless `silent`, as when a render lands before the event).
 */
function layOut(log: HTMLElement) {
  let top = 0;
  const scrollHeight = () => Math.max(300, log.querySelectorAll('.acw-msg').length * 100);
  const bottom = () => scrollHeight() - 300;
  Object.defineProperties(log, {
    clientHeight: { get: () => 300 },
    scrollHeight: { get: scrollHeight },
    scrollTop: {
      get: () => Math.min(top, bottom()),
      set: (v: number) => {
        top = Math.max(0, Math.min(v, bottom()));
      },
    },
  });
  return {
    bottom,
    scrollTo(v: number, { silent = false } = {}) {
      log.scrollTop = v;
      if (!silent) fireEvent.scroll(log);
    },
  };
}

const reply = (text: string): MessageView[] => [
  ...Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, role: 'assistant' as const, content: `m${i}` })),
  { id: 'reply:t1', role: 'assistant', content: text, status: 'streaming', taskId: 't1' },
];
/** A reply that grows by a bubble per chunk, so each chunk makes the content taller. */
const grown = (n: number): MessageView[] => [
  ...reply('x'),
  ...Array.from({ length: n }, (_, i) => ({ id: `g${i}`, role: 'assistant' as const, content: `g${i}` })),
];

function setup() {
  const view = render(<MessageList strings={en} messages={grown(0)} />);
  const log = screen.getByRole('log');
  const box = layOut(log);
  const show = (n: number) => view.rerender(<MessageList strings={en} messages={grown(n)} />);
  show(0);
  return { log, box, show };
}

describe('MessageList scrolling', () => {
  it('follows a growing reply while the reader is at the bottom', () => {
    const { log, box, show } = setup();
    expect(log.scrollTop).toBe(box.bottom());
    show(1);
    show(2);
    expect(log.scrollTop).toBe(box.bottom());
    expect(screen.queryByRole('button', { name: en.jumpToLatest })).toBeNull();
  });

  it('stops following once the reader scrolls up, and offers a way back', () => {
    const { log, box, show } = setup();
    box.scrollTo(100);
    show(1);
    show(2);
    expect(log.scrollTop).toBe(100);
    const jump = screen.getByRole('button', { name: en.jumpToLatest });
    expect(jump.getAttribute('aria-live')).toBe('off');
    fireEvent.click(jump);
    expect(log.scrollTop).toBe(box.bottom());
    expect(document.activeElement).toBe(log); // keyboard users stay in the conversation
    expect(screen.queryByRole('button', { name: en.jumpToLatest })).toBeNull();
    show(3);
    expect(log.scrollTop).toBe(box.bottom());
  });

  it('follows again once the reader is back at the bottom', () => {
    const { log, box, show } = setup();
    box.scrollTo(100);
    show(1);
    box.scrollTo(box.bottom());
    show(2);
    expect(log.scrollTop).toBe(box.bottom());
  });

  it('lets go on an upward wheel, before its scroll event', () => {
    const { log, box, show } = setup();
    fireEvent.wheel(log, { deltaY: -40 });
    show(1);
    expect(log.scrollTop).toBeLessThan(box.bottom());
    expect(screen.getByRole('button', { name: en.jumpToLatest })).toBeTruthy();
  });

  it('lets go when a render finds the view moved up before the scroll event came', () => {
    const { log, box, show } = setup();
    box.scrollTo(50, { silent: true }); // touch or keys moved it; the scroll event is still to come
    show(1);
    expect(log.scrollTop).toBe(50);
    expect(screen.getByRole('button', { name: en.jumpToLatest })).toBeTruthy();
  });

  it('stays at the bottom when the content shrinks under it', () => {
    const { log, box, show } = setup();
    show(3);
    show(1); // e.g. an error notice removed on Retry: the browser clamps scrollTop lower
    show(2);
    expect(log.scrollTop).toBe(box.bottom());
    expect(screen.queryByRole('button', { name: en.jumpToLatest })).toBeNull();
  });
});
