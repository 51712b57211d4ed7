import { waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeSession } from '../../test/fake-session.js';
import { defineAsyncChat, type AsyncChatElement } from './AsyncChatElement.js';

defineAsyncChat();
describe('<async-chat> open again after a reload', () => {
  it('opens the panel it had open, reflects open and fires open once', async () => {
    sessionStorage.setItem('async-tasks:chat:open', '1');
    const { session } = fakeSession();
    const el = document.createElement('async-chat') as AsyncChatElement;
    const opened = vi.fn();
    el.addEventListener('open', opened);
    Object.assign(el, { session });
    document.body.appendChild(el);
    expect(el.shadowRoot!.querySelector('[role=dialog]')).toBeTruthy();
    await waitFor(() => expect(el.open).toBe(true));
    expect(el.hasAttribute('open')).toBe(true);
    expect(el.shadowRoot!.querySelector('[role=dialog]')).toBeTruthy();
    expect(opened).toHaveBeenCalledOnce();
    el.remove();
  });
});
