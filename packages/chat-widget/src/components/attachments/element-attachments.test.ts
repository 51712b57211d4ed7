import { waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSession } from '../../../test/fake-session.js';
import { type AsyncChatElement, defineAsyncChat } from '../../element/AsyncChatElement.js';

defineAsyncChat();
afterEach(() => document.body.replaceChildren());

const make = (attrs: Record<string, string>) => {
  const el = document.createElement('async-chat') as AsyncChatElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, { session: fakeSession().session });
  document.body.appendChild(el);
  return el;
};

describe('<async-chat> attachments', () => {
  it('are off unless the site turns them on', async () => {
    const el = make({ mode: 'inline' });
    await waitFor(() => expect(el.shadowRoot!.querySelector('textarea')).not.toBeNull());
    expect(el.shadowRoot!.querySelector('.acw-attach')).toBeNull();
  });

  it('turn on by attribute, with the accepted types of attachment-types', async () => {
    const el = make({ mode: 'inline', attachments: '', 'attachment-types': 'image/png,application/pdf' });
    await waitFor(() => expect(el.shadowRoot!.querySelector('.acw-attach')?.getAttribute('aria-label')).toBe('Attach files'));
    expect(el.attachments).toBe(true);
    expect(el.attachmentTypes).toBe('image/png,application/pdf');
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!.accept).toBe('image/png,application/pdf');
    el.setAttribute('attachments', 'false');
    await waitFor(() => expect(el.shadowRoot!.querySelector('.acw-attach')).toBeNull());
  });
});
