import { useEffect, useState } from 'preact/hooks';
import { format } from '../i18n/resolve-strings.js';

export interface ThinkingIndicatorProps {
  /** The task's live status message; `fallback` while it has none. */
  statusMessage: string | null;
  fallback: string;
  /** When the reply started (ms since epoch); elapsed time shows after `showElapsedAfter` ms. */
  startedAt?: number;
  showElapsedAfter?: number;
  elapsedLabel: string;
  stopLabel: string;
  /** Shows the Stop button when given. */
  onStop?: () => void;
  /** Clock for stories and tests. */
  now?: () => number;
}

/**
 * "AI is thinking…": the task's live status message in a polite `role="status"` region, a
 * subtle animation (still under prefers-reduced-motion), elapsed seconds once the reply is slow,
 * and a Stop button.
 *
 * @example
 * <ThinkingIndicator statusMessage="Reading the conversation…" fallback="AI is thinking…" … />
 */
export function ThinkingIndicator({
  statusMessage,
  fallback,
  startedAt,
  showElapsedAfter = 3000,
  elapsedLabel,
  stopLabel,
  onStop,
  now = Date.now,
}: ThinkingIndicatorProps) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (startedAt === undefined) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);
  const elapsed = startedAt === undefined ? 0 : now() - startedAt;
  return (
    <div class="acw-thinking">
      <span class="acw-dots" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      <span role="status" aria-live="polite">
        {statusMessage || fallback}
      </span>
      {elapsed >= showElapsedAfter && (
        <span class="acw-elapsed" aria-hidden="true">
          {format(elapsedLabel, { seconds: Math.floor(elapsed / 1000) })}
        </span>
      )}
      {onStop && (
        <button type="button" class="acw-btn" onClick={onStop}>
          {stopLabel}
        </button>
      )}
    </div>
  );
}
