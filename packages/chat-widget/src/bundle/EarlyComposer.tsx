import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStrings } from '../i18n/strings.js';
import type { EarlyInput } from '../widget/early-input.js';

export interface EarlyComposerProps {
  strings: ChatStrings;
  maxLength?: number;
  /** Where the text, the Enter and the focus are kept for the panel's own composer. */
  input: EarlyInput;
}

/**
 * The message box of a shown panel whose code is still on its way: the panel's composer in
 * looks, enabled from the first paint, so the visitor can start typing at once. Its text goes to
 * the panel's composer when the code is here, and a message sent with Enter before then is sent
 * at that moment (never dropped); until then it stays in the box.
 *
 * @example
 * <EarlyComposer strings={en} input={{ text: '', sent: false, focused: false }} />
 */
export function EarlyComposer({ strings: s, maxLength = 16000, input }: EarlyComposerProps) {
  const [text, setText] = useState(input.text);
  const [sent, setSent] = useState(input.sent);
  const area = useRef<HTMLTextAreaElement>(null);
  // Focus moves on to the panel's message box when it takes this one's place.
  useLayoutEffect(() => {
    const root = area.current!.getRootNode() as ParentNode;
    return () => {
      if (input.focused) queueMicrotask(() => root.querySelector<HTMLTextAreaElement>('.acw-compose textarea')?.focus());
    };
  }, [input]);
  const send = () => {
    if (!text.trim()) return;
    input.sent = true;
    setSent(true);
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
        aria-label={s.messageLabel}
        placeholder={s.placeholder}
        value={text}
        maxLength={maxLength}
        readOnly={sent}
        onInput={(e) => {
          input.text = e.currentTarget.value;
          setText(input.text);
        }}
        onFocus={() => (input.focused = true)}
        onBlur={() => (input.focused = false)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" class="acw-send" part="send-button" disabled={sent || !text.trim()}>
        {s.send}
      </button>
    </form>
  );
}
