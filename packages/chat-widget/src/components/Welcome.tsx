export interface WelcomeProps {
  message: string;
  suggestions?: string[];
  suggestionsLabel: string;
  onPick: (question: string) => void;
}

/**
 * The greeting shown in an empty conversation, with suggested first questions to pick.
 *
 * @example
 * <Welcome message="Hi!" suggestions={['What can you do?']} suggestionsLabel="Suggested questions" onPick={send} />
 */
export function Welcome({ message, suggestions = [], suggestionsLabel, onPick }: WelcomeProps) {
  return (
    <div class="acw-welcome">
      <div class="acw-msg" data-role="assistant">
        {message}
      </div>
      {suggestions.length > 0 && (
        <ul aria-label={suggestionsLabel}>
          {suggestions.map((q) => (
            <li key={q}>
              <button type="button" class="acw-btn" onClick={() => onPick(q)}>
                {q}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
