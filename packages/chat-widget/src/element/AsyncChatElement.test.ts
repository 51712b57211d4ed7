import { waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSession, item, task } from '../../test/fake-session.js';
import { parseAttribute } from './attributes.js';
import { defineAsyncChat, type AsyncChatElement } from './AsyncChatElement.js';

defineAsyncChat();

const make = (attrs: Record<string, string> = {}, props: Partial<AsyncChatElement> = {}) => {
  const el = document.createElement('async-chat') as AsyncChatElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.appendChild(el);
  return el;
};

afterEach(() => document.body.replaceChildren());

describe('parseAttribute', () => {
  it('parses booleans like HTML, numbers, and lists', () => {
    expect(parseAttribute('open', '')).toBe(true);
    expect(parseAttribute('open', 'open')).toBe(true);
    expect(parseAttribute('open', 'false')).toBe(false);
    expect(parseAttribute('open', null)).toBe(false);
    expect(parseAttribute('max-length', '500')).toBe(500);
    expect(parseAttribute('max-length', 'lots')).toBeUndefined();
    expect(parseAttribute('suggestions', '["a","b|c"]')).toEqual(['a', 'b|c']);
    expect(parseAttribute('suggestions', 'a | b')).toEqual(['a', 'b']);
    expect(parseAttribute('welcome', 'false')).toBe(false);
    expect(parseAttribute('chat-title', 'Hi')).toBe('Hi');
  });
});

describe('<async-chat>', () => {
  it('renders into its shadow root with typed props from attributes', async () => {
    const { session } = fakeSession();
    const el = make({ mode: 'inline', 'chat-title': 'Support', 'allow-images': '', 'max-length': '120' }, { session });
    const root = el.shadowRoot!;
    expect(root.querySelector('[role=region]')?.getAttribute('aria-label')).toBe('Support');
    expect(el.allowImages).toBe(true);
    expect(el.maxLength).toBe(120);
    expect(root.querySelector('textarea')?.maxLength).toBe(120);
    expect(document.body.querySelector('.acw')).toBeNull(); // nothing in the light DOM
  });

  it('takes objects as properties, also when set before it was defined', async () => {
    const { session } = fakeSession();
    const el = document.createElement('async-chat-late') as AsyncChatElement;
    Object.assign(el, { session, strings: { send: 'Abschicken' }, mode: 'inline' });
    document.body.appendChild(el);
    defineAsyncChat('async-chat-late');
    await waitFor(() => expect(el.shadowRoot?.querySelector('.acw-send')?.textContent).toBe('Abschicken'));
  });

  it('fires composed CustomEvents out of the shadow root', async () => {
    const { session } = fakeSession([item({ id: 'm1', role: 'user', content: 'hi', taskId: 't1' })]);
    const events: string[] = [];
    for (const type of ['message-sent', 'reply-received', 'task-failed', 'open', 'close']) {
      document.addEventListener(type, (e) => {
        expect((e as CustomEvent).composed).toBe(true);
        events.push(type);
      });
    }
    const el = make({}, { session });
    const root = el.shadowRoot!;
    (root.querySelector('.acw-launcher') as HTMLButtonElement).click();
    await waitFor(() => expect(root.querySelector('textarea')).toBeTruthy());
    const area = root.querySelector('textarea')!;
    area.value = 'Hello';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    await waitFor(() => expect((root.querySelector('.acw-send') as HTMLButtonElement).disabled).toBe(false));
    (root.querySelector('.acw-send') as HTMLButtonElement).click();
    session.$activeTask.set(task('processing', 'Working'));
    await waitFor(() => expect(root.querySelector('[role=status]')?.textContent).toBe('Working'));
    session.$messages.set([...session.$messages.get(), item({ id: 'm2', role: 'assistant', content: 'Hi', taskId: 't1' })]);
    session.$activeTask.set({ ...task('failed', null, { code: 'timeout', message: 'x', retryable: false }), id: 't2' });
    (root.querySelector('.acw-launcher') as HTMLButtonElement).click();
    await waitFor(() => expect([...events].sort()).toEqual(['close', 'message-sent', 'open', 'reply-received', 'task-failed']));
  });

  it('reacts to attribute changes and unmounts when removed', async () => {
    const { session } = fakeSession();
    const el = make({ mode: 'inline', 'chat-title': 'A' }, { session });
    el.setAttribute('chat-title', 'B');
    expect(el.shadowRoot!.querySelector('h2')?.textContent).toBe('B');
    el.remove();
    expect(el.shadowRoot!.querySelector('.acw')).toBeNull();
  });
});
