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
}

/**
 * Multi-line message input. Enter sends, Shift+Enter starts a new line; the draft comes back if
 * sending fails.
 *
 * @example
 * <Composer label="Message" placeholder="Ask…" sendLabel="Send" onSend={chat.send} />
 */
export function Composer({ label, placeholder, sendLabel, onSend, disabled = false, maxLength = 16000 }: ComposerProps) {
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
      <button type="submit" class="acw-send" disabled={empty || disabled}>
        {sendLabel}
      </button>
    </form>
  );
}
