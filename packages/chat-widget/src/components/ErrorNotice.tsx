export interface ErrorNoticeProps {
  /** Human-readable reason. */
  message: string;
  retryLabel: string;
  /** Shows a Retry button when given. */
  onRetry?: () => void;
}

/**
 * A failed or timed-out reply in the conversation, with a Retry button.
 *
 * @example
 * <ErrorNotice message="The reply took too long." retryLabel="Retry" onRetry={chat.retry} />
 */
export function ErrorNotice({ message, retryLabel, onRetry }: ErrorNoticeProps) {
  return (
    <div class="acw-error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="acw-btn" onClick={onRetry}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}
