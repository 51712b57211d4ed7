import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Launcher } from './Launcher.js';

describe('Launcher', () => {
  it('is a labelled button that reports its expanded state and toggles', () => {
    const onToggle = vi.fn();
    const { rerender } = render(<Launcher open={false} label="Open chat" closeLabel="Close chat" onToggle={onToggle} />);
    const button = screen.getByRole('button', { name: 'Open chat' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(onToggle).toHaveBeenCalledOnce();
    rerender(<Launcher open label="Open chat" closeLabel="Close chat" onToggle={onToggle} />);
    expect(screen.getByRole('button', { name: 'Close chat' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('reports the intent to open when the pointer enters it or it gets focus', () => {
    const onIntent = vi.fn();
    render(<Launcher open={false} label="Open chat" closeLabel="Close chat" onToggle={() => {}} onIntent={onIntent} />);
    const button = screen.getByRole('button', { name: 'Open chat' });
    fireEvent.pointerEnter(button);
    expect(onIntent).toHaveBeenCalledOnce();
    fireEvent.focus(button);
    expect(onIntent).toHaveBeenCalledTimes(2);
  });
});
