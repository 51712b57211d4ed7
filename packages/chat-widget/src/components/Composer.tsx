import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { AttachButton, filesOf } from './attachments/AttachButton.js';
import { AttachmentTray } from './attachments/AttachmentTray.js';
import type { Attachments } from './attachments/use-attachments.js';
import { readDraft, saveDraft } from './draft-storage.js';

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
  /**
   * Where the draft is kept across reloads (`localStorage`), one key per conversation; without it
   * the draft lives as long as the page. `draftCarries`: on a change of key, a draft with nothing
   * saved under the new key stays (the first message made the conversation, and the visitor typed on).
   */
  draftKey?: string;
  draftCarries?: boolean;
  /** Takes focus when it appears (coming back from the conversation list). */
  autoFocus?: boolean;
  /** Attachments (when the site turned them on): the files, what is accepted, the labels. */
  attach?: {
    attachments: Attachments;
    accept: string;
    labels: { attach: string; attachments: string; uploading: string; removeFile: string; retry: string; dropFiles: string };
  };
}

/**
 * Multi-line message input that grows with its text up to a maximum height. Enter sends,
 * Shift+Enter starts a new line; the draft comes back if sending fails, and with `draftKey` it is
 * kept across reloads. While a reply is being made, Stop sits beside Send, in the same place whether
 * the reply has words yet or not; focus goes back to the message box after it.
 *
 * @example
 * <Composer label="Message" placeholder="Ask…" sendLabel="Send" onSend={chat.send} />
 */
export function Composer(props: ComposerProps) {
  const { label, placeholder, sendLabel, onSend, disabled = false, maxLength = 16000, stopLabel, onStop, draftKey } = props;
  const [shown, setShown] = useState(() => ({ key: draftKey, text: (draftKey && readDraft(draftKey)) || '' }));
  // Another conversation: its draft, read in this render (a state update would show, and save,
  // the old draft under the new key for one commit).
  if (shown.key !== draftKey) {
    const saved = draftKey ? readDraft(draftKey) : null;
    const carried = saved === null && props.draftCarries;
    if (carried && shown.key) saveDraft(shown.key, '');
    shown.text = carried ? shown.text : (saved ?? '');
    shown.key = draftKey;
  }
  const draft = shown.text;
  const setDraft = (next: string | ((now: string) => string)) =>
    setShown((now) => ({ key: now.key, text: typeof next === 'function' ? next(now.text) : next }));
  const area = useRef<HTMLTextAreaElement>(null);
  const files = props.attach?.attachments;
  // Files alone are a message too; none goes while one is still uploading.
  const empty = !draft.trim() && !files?.ready.length;
  const uploading = files?.busy ?? false;

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when it appears.
  useLayoutEffect(() => {
    if (props.autoFocus) area.current?.focus();
  }, []);
  useLayoutEffect(() => {
    if (draftKey) saveDraft(draftKey, draft);
    // Grows with its text up to the CSS max-height, then scrolls.
    const el = area.current!;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
  }, [draft, draftKey]);

  const send = () => {
    const text = draft.trim();
    if (empty || disabled || uploading) return;
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
      {...(files && {
        // Pasted or dropped files (a screenshot from the clipboard) join the message; text pastes as usual.
        onPaste: (e: ClipboardEvent) => {
          const pasted = filesOf(e.clipboardData);
          if (pasted.length === 0) return;
          e.preventDefault();
          files.add(pasted);
        },
        onDragOver: (e: DragEvent) => {
          if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
        },
        onDrop: (e: DragEvent) => {
          const dropped = filesOf(e.dataTransfer);
          if (dropped.length === 0) return;
          e.preventDefault();
          files.add(dropped);
        },
      })}
    >
      {props.attach && <AttachmentTray attachments={props.attach.attachments} labels={props.attach.labels} />}
      {props.attach && (
        <AttachButton label={props.attach.labels.attach} accept={props.attach.accept} onFiles={(list) => files!.add(list)} />
      )}
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
      <button type="submit" class="acw-send" part="send-button" disabled={empty || disabled || uploading}>
        {sendLabel}
      </button>
    </form>
  );
}
