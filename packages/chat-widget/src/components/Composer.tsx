import { useRef, useState } from 'preact/hooks';

export interface ComposerProps {
  label: string;
  placeholder: string;
  sendLabel: string;
  /** Sends the text; a rejected promise or `false` puts the text back. */
  onSend: (text: string) => unknown;
  /** Disables the send button (e.g. while a reply is being made, if configured). */
  disabled?: boolean;
  maxLength?: number;
  /** Shows a Stop button with this label beside Send (while a reply is being made). */
  stopLabel?: string;
  /** What Stop does; without it the Stop button is disabled (a stop already asked for). */
  onStop?: () => void;
}

/**
 * Multi-line message input. Enter sends, Shift+Enter starts a new line; the draft comes back if
 * sending fails. While a reply is being made, Stop sits beside Send, in the same place whether
 * the reply has words yet or not; focus goes back to the message box after it.
 *
 * @example
 * <Composer label="Message" placeholder="Ask…" sendLabel="Send" onSend={chat.send} />
 */
export function Composer({ label, placeholder, sendLabel, onSend, disabled = false, maxLength = 16000, stopLabel, onStop }: ComposerProps) {
  const [draft, setDraft] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const empty = !draft.trim();

  const send = () => {
    const text = draft.trim();
    if (!text || disabled) return;
    setDraft('');
    const restore = () => setDraft((now) => (now ? now : draft));
    try {
      const result = onSend(text);
      if (result === false) restore();
      else if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).catch(restore);
    } catch {
      restore();
    }
    area.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <form
      class="acw-compose"
      part="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        ref={area}
        rows={1}
        aria-label={label}
        placeholder={placeholder}
        value={draft}
        maxLength={maxLength}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      {stopLabel && (
        <button
          type="button"
          class="acw-send acw-stop"
          part="stop-button"
          disabled={!onStop}
          onClick={() => {
            onStop!();
            area.current?.focus();
          }}
        >
          {stopLabel}
        </button>
      )}
      <button type="submit" class="acw-send" part="send-button" disabled={empty || disabled}>
        {sendLabel}
      </button>
    </form>
  );
}
