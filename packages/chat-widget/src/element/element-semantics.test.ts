import { fireEvent } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSession } from '../../test/fake-session.js';
import { type AsyncChatElement, defineAsyncChat } from './AsyncChatElement.js';

defineAsyncChat();

/** A connected `<async-chat>` on a fake session, with the events it fired. */
const make = (attrs: Record<string, string> = {}) => {
  const el = document.createElement('async-chat') as AsyncChatElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.session = fakeSession().session;
  const events: string[] = [];
  for (const type of ['open', 'close']) el.addEventListener(type, () => events.push(type));
  document.body.appendChild(el);
  return { el, events, root: el.shadowRoot! };
};
const dialog = (root: ShadowRoot) => root.querySelector('[role=dialog]');
const pressEscape = (root: ShadowRoot) => fireEvent.keyDown(root.querySelector('textarea')!, { key: 'Escape' });

afterEach(() => document.body.replaceChildren());

describe('<async-chat> open', () => {
  it('follows the attribute and reflects the property', () => {
    const { el, root } = make({ open: '' });
    expect(el.open).toBe(true);
    expect(dialog(root)).toBeTruthy();
    el.open = false;
    expect(el.hasAttribute('open')).toBe(false);
    expect(dialog(root)).toBeNull();
    el.setAttribute('open', '');
    expect(el.open).toBe(true);
    expect(dialog(root)).toBeTruthy();
    el.removeAttribute('open');
    expect(el.open).toBe(false);
    expect(document.querySelector('async-chat[open]')).toBeNull();
  });

  it("writes the visitor's open and close back, with open and close events", () => {
    const { el, events, root } = make();
    (root.querySelector('.acw-launcher') as HTMLButtonElement).click();
    expect(el.open).toBe(true);
    expect(el.hasAttribute('open')).toBe(true);
    expect(document.querySelector('async-chat[open]')).toBe(el);
    pressEscape(root);
    expect(dialog(root)).toBeNull();
    expect(el.open).toBe(false);
    expect(el.hasAttribute('open')).toBe(false);
    expect(events).toEqual(['open', 'close']);
  });

  it('opens again when set after the visitor closed it', () => {
    const { el, root } = make();
    el.open = true;
    expect(dialog(root)).toBeTruthy();
    pressEscape(root);
    expect(dialog(root)).toBeNull();
    el.open = true;
    expect(dialog(root)).toBeTruthy();
  });

  it('takes the empty string Vue sets for a bare boolean attribute as true, and "false" as false', () => {
    const { el, root } = make();
    (el as unknown as { open: unknown }).open = '';
    expect(el.open).toBe(true);
    expect(dialog(root)).toBeTruthy();
    (el as unknown as { open: unknown }).open = 'false';
    expect(el.open).toBe(false);
  });
});

describe('<async-chat> properties and attributes', () => {
  it('reflects string, number and boolean properties to their attributes', () => {
    const { el, root } = make();
    el.mode = 'inline';
    el.chatTitle = 'Support';
    el.maxLength = 80;
    el.allowImages = true;
    el.storageKey = 'sales';
    el.welcome = false;
    expect(el.getAttribute('mode')).toBe('inline');
    expect(el.getAttribute('chat-title')).toBe('Support');
    expect(el.getAttribute('max-length')).toBe('80');
    expect(el.getAttribute('allow-images')).toBe('');
    expect(el.getAttribute('storage-key')).toBe('sales');
    expect(el.getAttribute('welcome')).toBe('false');
    expect(root.querySelector('h2')?.textContent).toBe('Support');
    expect(root.querySelector('textarea')?.maxLength).toBe(80);
    el.chatTitle = undefined;
    el.allowImages = false;
    expect(el.hasAttribute('chat-title')).toBe(false);
    expect(el.hasAttribute('allow-images')).toBe(false);
  });

  it('leaves title and dir to HTMLElement: the chat title is chat-title', () => {
    const { el, root } = make({ mode: 'inline', title: 'A tooltip' });
    expect(el.title).toBe('A tooltip'); // the built-in property
    expect(root.querySelector('h2')?.textContent).toBe('Chat'); // the default title, not the tooltip
    el.chatTitle = 'New name';
    expect(root.querySelector('h2')?.textContent).toBe('New name');
    el.dir = 'rtl';
    expect(el.getAttribute('dir')).toBe('rtl');
    expect(root.querySelector('.acw')?.getAttribute('dir')).toBe('rtl');
    el.title = 'Another tooltip';
    expect(el.getAttribute('title')).toBe('Another tooltip');
    expect(root.querySelector('h2')?.textContent).toBe('New name');
  });

  it('focus() lands in the composer when the panel is shown', () => {
    const { el, root } = make({ mode: 'inline' });
    el.focus();
    expect(root.activeElement).toBe(root.querySelector('textarea'));
  });

  it('names its parts for ::part styling', () => {
    const { el, root } = make({ open: '' });
    const parts = [...root.querySelectorAll('[part]')].map((e) => e.getAttribute('part'));
    expect(parts).toEqual(expect.arrayContaining(['launcher', 'panel', 'header', 'messages', 'composer', 'send-button']));
    expect(el.shadowRoot).toBe(root);
  });
});
