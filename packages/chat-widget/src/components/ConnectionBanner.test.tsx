import { act, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionBanner, UNREACHABLE_AFTER_MS } from './ConnectionBanner.js';

const labels = {
  reconnectingLabel: 'Reconnecting…',
  offlineLabel: 'Offline — later',
  unreachableLabel: "Can't reach the chat server.",
  retryLabel: 'Retry',
};

describe('ConnectionBanner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says when it reconnects or is offline', () => {
    const { rerender } = render(<ConnectionBanner connection="reconnecting" {...labels} />);
    expect(screen.getByRole('status').textContent).toBe('Reconnecting…');
    rerender(<ConnectionBanner connection="offline" {...labels} />);
    expect(screen.getByRole('status').textContent).toBe('Offline — later');
  });

  it('shows nothing while live', () => {
    render(<ConnectionBanner connection="live" {...labels} />);
    expect(screen.queryByRole('status')).toBeNull();
    act(() => {
      vi.advanceTimersByTime(UNREACHABLE_AFTER_MS * 2);
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("says the server can't be reached, with Retry, when connecting goes on too long; Retry reconnects and waits again", () => {
    const onReconnect = vi.fn();
    const { rerender } = render(<ConnectionBanner connection="connecting" {...labels} onReconnect={onReconnect} />);
    act(() => {
      vi.advanceTimersByTime(UNREACHABLE_AFTER_MS - 1);
    });
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(<ConnectionBanner connection="reconnecting" {...labels} onReconnect={onReconnect} />);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(screen.getByRole('alert').textContent).toContain("Can't reach the chat server.");

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onReconnect).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Reconnecting…');
    act(() => {
      vi.advanceTimersByTime(UNREACHABLE_AFTER_MS);
    });
    expect(screen.getByRole('alert')).toBeTruthy();

    // Live again: the notice goes, and a later drop starts the wait from the beginning.
    rerender(<ConnectionBanner connection="live" {...labels} onReconnect={onReconnect} />);
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(<ConnectionBanner connection="reconnecting" {...labels} onReconnect={onReconnect} />);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('stays "Offline" while the device is offline, however long', () => {
    render(<ConnectionBanner connection="offline" {...labels} onReconnect={() => {}} />);
    act(() => {
      vi.advanceTimersByTime(UNREACHABLE_AFTER_MS * 3);
    });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Offline — later');
  });
});
