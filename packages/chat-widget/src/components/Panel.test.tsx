import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Panel } from './Panel.js';

describe('Panel', () => {
  it('shows title and subtitle and closes from its button', () => {
    const onClose = vi.fn();
    render(
      <Panel title="Support" subtitle="We reply fast" mode="bubble" closeLabel="Close chat" onClose={onClose}>
        <p>body</p>
      </Panel>,
    );
    expect(screen.getByRole('dialog', { name: 'Support' })).toBeTruthy();
    expect(screen.getByText('We reply fast')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close chat' }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('closes on Escape and keeps Tab inside in bubble mode', () => {
    const onClose = vi.fn();
    render(
      <Panel title="Support" mode="bubble" closeLabel="Close chat" onClose={onClose}>
        <textarea aria-label="Message" />
        <button type="button">Send</button>
      </Panel>,
    );
    const dialog = screen.getByRole('dialog');
    const close = screen.getByRole('button', { name: 'Close chat' });
    const send = screen.getByRole('button', { name: 'Send' });
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));
    send.focus();
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(send);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('is a plain region inline, without a close button', () => {
    render(
      <Panel title="Support" mode="inline" closeLabel="Close chat">
        <p>body</p>
      </Panel>,
    );
    expect(screen.getByRole('region', { name: 'Support' })).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
