import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeSession } from '../../test/fake-session.js';
import { ChatWidget } from './ChatWidget.js';

const panel = () => screen.queryByRole('dialog');

describe('the open panel across reloads', () => {
  it('opens again after a reload (a remount) when it was open, and the host hears of it', () => {
    const { session } = fakeSession();
    const first = render(<ChatWidget session={session} />);
    fireEvent.click(screen.getByRole('button', { name: 'Open chat' }));
    first.unmount();
    const onOpen = vi.fn();
    render(<ChatWidget session={session} onOpen={onOpen} />);
    expect(panel()).toBeTruthy();
    expect(onOpen).toHaveBeenCalledOnce();
  });

  it('stays closed after it was closed, per conversation (storage key)', () => {
    const { session } = fakeSession();
    const first = render(<ChatWidget session={session} storageKey="sales" />);
    fireEvent.click(screen.getByRole('button', { name: 'Open chat' }));
    first.unmount();
    const other = render(<ChatWidget session={session} storageKey="support" />);
    expect(panel()).toBeNull();
    other.unmount();
    const again = render(<ChatWidget session={session} storageKey="sales" />);
    fireEvent.click(screen.getAllByRole('button', { name: 'Close chat' })[0]!);
    again.unmount();
    render(<ChatWidget session={session} storageKey="sales" />);
    expect(panel()).toBeNull();
  });

  it('is not remembered with rememberOpen={false}, and the open prop wins', () => {
    const { session } = fakeSession();
    const first = render(<ChatWidget session={session} rememberOpen={false} />);
    fireEvent.click(screen.getByRole('button', { name: 'Open chat' }));
    first.unmount();
    const second = render(<ChatWidget session={session} rememberOpen={false} />);
    expect(panel()).toBeNull();
    second.unmount();
    const third = render(<ChatWidget session={session} />);
    fireEvent.click(screen.getByRole('button', { name: 'Open chat' }));
    third.unmount();
    render(<ChatWidget session={session} open={false} />);
    expect(panel()).toBeNull();
  });
});
