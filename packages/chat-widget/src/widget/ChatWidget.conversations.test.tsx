import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeSession, item } from '../../test/fake-session.js';
import { en } from '../i18n/strings.js';
import { ChatWidget } from './ChatWidget.js';

const summary = (id: string, title: string | null, content?: string) => ({
  id,
  title,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  lastMessage: content ? { role: 'user' as const, content, createdAt: '2026-01-01T00:00:00.000Z' } : null,
});

describe('ChatWidget conversations, feedback, regenerate and edit', () => {
  it('lists the conversations when the switcher opens, switches, starts a new one, and deletes one after asking', async () => {
    const { session, calls } = fakeSession([item({ id: 'm1', role: 'user', content: 'Hi' })]);
    render(<ChatWidget session={session} mode="inline" />);
    expect(calls).not.toContain('loadConversations'); // no request until it is opened
    fireEvent.click(screen.getByRole('button', { name: en.conversations }));
    expect(calls).toContain('loadConversations');
    expect(screen.queryByRole('textbox', { name: en.messageLabel })).toBeNull(); // the list takes the conversation's place
    session.$conversations.set([summary('c1', 'Shipping'), summary('c2', null, 'Prices?')]);
    const other = await screen.findByRole('button', { name: /^Prices\?/ });
    expect(screen.getByRole('button', { name: /^Shipping/ }).getAttribute('aria-current')).toBe('true');
    fireEvent.click(other);
    expect(calls).toContain('switch:c2');
    expect(screen.getByRole('textbox', { name: en.messageLabel })).toBe(document.activeElement);

    fireEvent.click(screen.getByRole('button', { name: en.conversations }));
    fireEvent.click(screen.getByRole('button', { name: en.newConversation }));
    expect(calls).toContain('newConversation');

    fireEvent.click(screen.getByRole('button', { name: en.conversations }));
    fireEvent.click(await screen.findByRole('button', { name: `${en.deleteConversation}: Shipping` }));
    expect(calls).not.toContain('delete:c1');
    fireEvent.click(screen.getByRole('button', { name: en.delete }));
    expect(calls).toContain('delete:c1');
  });

  it('leaves the list on Escape without closing the bubble, and has no switcher when turned off', () => {
    const { session } = fakeSession();
    const { unmount } = render(<ChatWidget session={session} open />);
    fireEvent.click(screen.getByRole('button', { name: en.conversations }));
    fireEvent.keyDown(screen.getByRole('button', { name: en.newConversation }), { key: 'Escape' });
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: en.messageLabel })).toBeTruthy();
    unmount();
    render(<ChatWidget session={session} mode="inline" conversations={false} />);
    expect(screen.queryByRole('button', { name: en.conversations })).toBeNull();
  });

  it('rates a stored reply (a thumbs down with its comment), regenerates the last reply and edits the last question', async () => {
    const { session, calls } = fakeSession([
      item({ id: 'm1', role: 'user', content: 'Hours?', taskId: 't1', canEdit: true }),
      item({ id: 'm2', role: 'assistant', content: 'Nine to five.', taskId: 't1', canRegenerate: true }),
    ]);
    render(<ChatWidget session={session} mode="inline" />);
    fireEvent.click(screen.getByRole('button', { name: en.badReply }));
    expect(calls).toContain('feedback:m2:{"rating":"down"}');
    const box = await screen.findByRole('textbox', { name: en.feedbackComment });
    fireEvent.input(box, { target: { value: 'Closed on Sundays' } });
    fireEvent.submit(box.closest('form')!);
    await waitFor(() => expect(calls).toContain('feedback:m2:{"rating":"down","comment":"Closed on Sundays"}'));

    fireEvent.click(screen.getByRole('button', { name: en.regenerate }));
    expect(calls).toContain('regenerate');

    fireEvent.click(screen.getByRole('button', { name: en.edit }));
    const edit = screen.getByRole('textbox', { name: en.editLabel }) as HTMLTextAreaElement;
    expect(edit.value).toBe('Hours?');
    fireEvent.input(edit, { target: { value: 'Hours on Sunday?' } });
    fireEvent.submit(edit.closest('form')!);
    await waitFor(() => expect(calls).toContain('edit:Hours on Sunday?'));
  });

  it('hands the metadata to the session, and again when it changes', async () => {
    const { session, calls } = fakeSession();
    const { rerender } = render(<ChatWidget session={session} mode="inline" metadata={{ page: '/pricing' }} />);
    await waitFor(() => expect(calls).toContain('metadata:{"page":"/pricing"}'));
    rerender(<ChatWidget session={session} mode="inline" metadata={{ page: '/cart', items: 2 }} />);
    await waitFor(() => expect(calls).toContain('metadata:{"page":"/cart","items":2}'));
  });
});
