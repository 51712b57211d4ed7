import { fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer.js';

const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
const type = (text: string) => {
  box().value = text;
  fireEvent.input(box());
};
const composer = (draftKey?: string, draftCarries?: boolean, onSend = vi.fn()) => (
  <Composer label="Message" placeholder="Ask…" sendLabel="Send" onSend={onSend} draftKey={draftKey} draftCarries={draftCarries} />
);

describe('Composer drafts', () => {
  afterEach(() => localStorage.clear());

  it('keeps the draft under its key across a remount (a reload) and forgets it once sent', () => {
    const first = render(composer('d:c1'));
    type('half a thought');
    expect(localStorage.getItem('d:c1')).toBe('half a thought');
    first.unmount();
    render(composer('d:c1'));
    expect(box().value).toBe('half a thought');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(localStorage.getItem('d:c1')).toBeNull();
  });

  it('has one draft per conversation', () => {
    localStorage.setItem('d:c2', 'for the second');
    const { rerender } = render(composer('d:c1'));
    type('for the first');
    rerender(composer('d:c2'));
    expect(box().value).toBe('for the second');
    rerender(composer('d:c1'));
    expect(box().value).toBe('for the first');
    rerender(composer('d:c3'));
    expect(box().value).toBe('');
  });

  it('carries what was typed while the first message made the conversation', () => {
    const { rerender } = render(composer('d:', true));
    type('typed on');
    rerender(composer('d:c9', true));
    expect(box().value).toBe('typed on');
    expect(localStorage.getItem('d:c9')).toBe('typed on');
    expect(localStorage.getItem('d:')).toBeNull();
  });

  it('still works where storage refuses writes', () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    render(composer('d:c1'));
    type('kept in the page');
    expect(box().value).toBe('kept in the page');
    setItem.mockRestore();
  });

  it('grows with its text: the height follows the scroll height', () => {
    render(composer());
    const area = box();
    Object.defineProperty(area, 'scrollHeight', { configurable: true, get: () => area.value.split('\n').length * 20 });
    type('one\ntwo\nthree');
    expect(area.style.height).toBe('60px');
  });
});
