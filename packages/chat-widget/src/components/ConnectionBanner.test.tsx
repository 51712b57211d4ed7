import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { ConnectionBanner } from './ConnectionBanner.js';

const labels = { reconnectingLabel: 'Reconnecting…', offlineLabel: 'Offline — later' };

describe('ConnectionBanner', () => {
  it('says when it reconnects or is offline', () => {
    const { rerender } = render(<ConnectionBanner connection="reconnecting" {...labels} />);
    expect(screen.getByRole('status').textContent).toBe('Reconnecting…');
    rerender(<ConnectionBanner connection="offline" {...labels} />);
    expect(screen.getByRole('status').textContent).toBe('Offline — later');
  });

  it('shows nothing while live', () => {
    render(<ConnectionBanner connection="live" {...labels} />);
    expect(screen.queryByRole('status')).toBeNull();
  });
});
