import { act, createElement } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeSession } from '../../test/fake-session.js';
import type { AsyncChatElement } from '../element/AsyncChatElement.js';
import { AsyncChat, type AsyncChatProps } from '../react.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
afterEach(() => document.body.replaceChildren());

const chat = () => document.querySelector('async-chat') as AsyncChatElement;
const reply = (el: AsyncChatElement) =>
  el.dispatchEvent(new CustomEvent('reply-received', { detail: { message: { id: 'm2' } }, bubbles: true, composed: true }));

describe('AsyncChat in the browser', () => {
  it('hydrates server HTML: lists and objects become properties, callbacks listeners', async () => {
    const { session } = fakeSession();
    const onReplyReceived = vi.fn();
    const props: AsyncChatProps = { chatTitle: 'Support', mode: 'inline', suggestions: ['Where is my order?'], session, onReplyReceived };
    const container = document.createElement('div');
    container.innerHTML = renderToString(createElement(AsyncChat, props));
    document.body.append(container);
    await act(async () => {
      hydrateRoot(container, createElement(AsyncChat, props));
    });
    const el = chat();
    expect(el.suggestions).toEqual(['Where is my order?']);
    expect(el.session).toBe(session);
    expect(el.shadowRoot?.querySelector('h2')?.textContent).toBe('Support');
    expect(el.shadowRoot?.textContent).toContain('Where is my order?');
    reply(el);
    expect(onReplyReceived).toHaveBeenCalledOnce();
    expect(onReplyReceived.mock.calls[0]![0].detail.message.id).toBe('m2');
  });

  it('follows prop changes, calls the latest callback and gives its ref the element', async () => {
    const { session } = fakeSession();
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    const first = vi.fn();
    const second = vi.fn();
    const ref = { current: null as AsyncChatElement | null };
    await act(async () =>
      root.render(createElement(AsyncChat, { ref, session, mode: 'inline', chatTitle: 'A', className: 'help', onReplyReceived: first })),
    );
    expect(ref.current).toBe(chat());
    expect(chat().getAttribute('class')).toBe('help');
    await act(async () => root.render(createElement(AsyncChat, { ref, session, mode: 'inline', chatTitle: 'B', onReplyReceived: second })));
    expect(chat().getAttribute('chat-title')).toBe('B');
    expect(chat().shadowRoot?.querySelector('h2')?.textContent).toBe('B');
    reply(chat());
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();
    await act(async () => root.unmount());
  });
});
