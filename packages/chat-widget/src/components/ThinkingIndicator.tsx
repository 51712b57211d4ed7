import { useEffect, useState } from 'preact/hooks';
import { format } from '../i18n/format.js';

export interface ThinkingIndicatorProps {
  /** The task's live status message; `fallback` while it has none. */
  statusMessage: string | null;
  fallback: string;
  /** When the reply started (ms since epoch); elapsed time shows after `showElapsedAfter` ms. */
  startedAt?: number;
  showElapsedAfter?: number;
  elapsedLabel: string;
  /** Clock for stories and tests. */
  now?: () => number;
}

/**
 * "AI is thinking…": what a reply shows before its first words, inside the reply's own bubble
 * (so the words take its place without the conversation moving). The task's live status message
 * in a polite `role="status"` region, a subtle animation (still under prefers-reduced-motion),
 * and elapsed seconds once the reply is slow. Stop is in the composer.
 *
 * @example
 * <ThinkingIndicator statusMessage="Reading the conversation…" fallback="AI is thinking…" elapsedLabel="{seconds} s" />
 */
export function ThinkingIndicator({
  statusMessage,
  fallback,
  startedAt,
  showElapsedAfter = 3000,
  elapsedLabel,
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
    </div>
  );
}
