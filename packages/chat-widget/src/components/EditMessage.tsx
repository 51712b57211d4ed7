import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStrings } from '../i18n/strings.js';

export interface EditMessageProps {
  text: string;
  strings: Pick<ChatStrings, 'editLabel' | 'resend' | 'cancel'>;
  /** Sends the new text in place of the message; resolves whether it was taken (false keeps the box). */
  onSave: (text: string) => Promise<boolean>;
  onCancel: () => void;
}

/**
 * The visitor's last message as an editable box, in the message's place: "Send again" replaces it
 * (and the reply after it) with the new text, Cancel or Escape leaves it as it was.
 *
 * @example
 * <EditMessage text={m.content} strings={en} onSave={(t) => chat.edit(t)} onCancel={stop} />
 */
export function EditMessage({ text, strings: s, onSave, onCancel }: EditMessageProps) {
  const [draft, setDraft] = useState(text);
  const box = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => box.current?.focus(), []);
  return (
    <form
      class="acw-edit"
      onSubmit={async (e) => {
        e.preventDefault();
        if (draft.trim() && (await onSave(draft.trim()))) onCancel();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <textarea aria-label={s.editLabel} value={draft} rows={3} ref={box} onInput={(e) => setDraft(e.currentTarget.value)} />
      <div>
        <button type="button" class="acw-btn" onClick={onCancel}>
          {s.cancel}
        </button>
        <button type="submit" class="acw-btn acw-primary" disabled={!draft.trim() || draft.trim() === text.trim()}>
          {s.resend}
        </button>
      </div>
    </form>
  );
}
