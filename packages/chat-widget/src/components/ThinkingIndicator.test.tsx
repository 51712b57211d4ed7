import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { ThinkingIndicator } from './ThinkingIndicator.js';

const base = { fallback: 'AI is thinking…', elapsedLabel: '{seconds} s' };

describe('ThinkingIndicator', () => {
  it('shows the live status message in a status region', () => {
    const { rerender } = render(<ThinkingIndicator {...base} statusMessage="Reading the conversation…" />);
    expect(screen.getByRole('status').textContent).toBe('Reading the conversation…');
    rerender(<ThinkingIndicator {...base} statusMessage="Writing the answer…" />);
    expect(screen.getByRole('status').textContent).toBe('Writing the answer…');
  });

  it('falls back while the task has no message', () => {
    render(<ThinkingIndicator {...base} statusMessage={null} />);
    expect(screen.getByRole('status').textContent).toBe('AI is thinking…');
  });

  it('shows elapsed seconds only once the reply is slow', () => {
    const { rerender, container } = render(<ThinkingIndicator {...base} statusMessage="x" startedAt={1000} now={() => 2000} />);
    expect(container.querySelector('.acw-elapsed')).toBeNull();
    rerender(<ThinkingIndicator {...base} statusMessage="x" startedAt={1000} now={() => 13_500} />);
    expect(container.querySelector('.acw-elapsed')?.textContent).toBe('12 s');
  });
});
