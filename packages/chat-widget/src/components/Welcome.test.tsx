import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Welcome } from './Welcome.js';

describe('Welcome', () => {
  it('greets and sends a picked suggestion', () => {
    const onPick = vi.fn();
    render(
      <Welcome message="Hi there" suggestions={['What can you do?', 'Pricing?']} suggestionsLabel="Suggested questions" onPick={onPick} />,
    );
    expect(screen.getByText('Hi there')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Suggested questions' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Pricing?' }));
    expect(onPick).toHaveBeenCalledWith('Pricing?');
  });
});
