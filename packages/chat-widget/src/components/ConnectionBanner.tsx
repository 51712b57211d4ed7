import type { ConnectionState } from '@app/async-tasks';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** How long the live connection may try before the banner says the server cannot be reached. */
export const UNREACHABLE_AFTER_MS = 10_000;

export interface ConnectionBannerProps {
  connection: ConnectionState;
  reconnectingLabel: string;
  offlineLabel: string;
  /** Said, with Retry, once the device is online but the server has not answered for a while. */
  unreachableLabel: string;
  retryLabel: string;
  /** Reconnects now instead of after the backoff. */
  onReconnect?: () => void;
  unreachableAfterMs?: number;
}

/**
 * A thin banner while the live connection is down; renders nothing when live or connecting.
 * Online but still not connected after `unreachableAfterMs` (the server is down, or refuses this
 * page's origin), it says so with a Retry instead of "Reconnecting…" forever.
 *
 * @example
 * <ConnectionBanner connection="reconnecting" reconnectingLabel="Reconnecting…" offlineLabel="Offline"
 *   unreachableLabel="Can't reach the chat server." retryLabel="Retry" onReconnect={chat.reconnect} />
 */
export function ConnectionBanner(p: ConnectionBannerProps) {
  const { connection, unreachableAfterMs = UNREACHABLE_AFTER_MS } = p;
  const trying = connection === 'connecting' || connection === 'reconnecting';
  const [unreachable, setUnreachable] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // (Re)starts the wait: when trying begins, and after each Retry of the visitor's.
  const wait = useCallback(() => {
    clearTimeout(timer.current);
    setUnreachable(false);
    timer.current = setTimeout(() => setUnreachable(true), unreachableAfterMs);
  }, [unreachableAfterMs]);

  useEffect(() => {
    if (!trying) {
      setUnreachable(false);
      return;
    }
    wait();
    return () => clearTimeout(timer.current);
  }, [trying, wait]);

  if (unreachable && trying) {
    return (
      <div class="acw-banner acw-banner-problem" role="alert">
        <span>{p.unreachableLabel}</span>
        {p.onReconnect && (
          <button
            type="button"
            class="acw-btn"
            onClick={() => {
              wait();
              p.onReconnect?.();
            }}
          >
            {p.retryLabel}
          </button>
        )}
      </div>
    );
  }
  const text = connection === 'reconnecting' ? p.reconnectingLabel : connection === 'offline' ? p.offlineLabel : null;
  if (!text) return null;
  return (
    <div class="acw-banner" role="status" aria-live="polite">
      {text}
    </div>
  );
}
