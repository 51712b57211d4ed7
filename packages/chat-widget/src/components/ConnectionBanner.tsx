import type { ConnectionState } from '@app/async-tasks';

export interface ConnectionBannerProps {
  connection: ConnectionState;
  reconnectingLabel: string;
  offlineLabel: string;
}

/**
 * A thin banner while the live connection is down; renders nothing when live or connecting.
 *
 * @example
 * <ConnectionBanner connection="reconnecting" reconnectingLabel="Reconnecting…" offlineLabel="Offline" />
 */
export function ConnectionBanner({ connection, reconnectingLabel, offlineLabel }: ConnectionBannerProps) {
  const text = connection === 'reconnecting' ? reconnectingLabel : connection === 'offline' ? offlineLabel : null;
  if (!text) return null;
  return (
    <div class="acw-banner" role="status" aria-live="polite">
      {text}
    </div>
  );
}
