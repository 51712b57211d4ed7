import type { Ref } from 'preact';
import { useMemo } from 'preact/hooks';
import { ChatIcon, CloseIcon } from './icons.js';

export interface LauncherProps {
  open: boolean;
  label: string;
  closeLabel: string;
  onToggle: () => void;
  /** The pointer entered the button or it got focus (before a click, to get ready for it). */
  onIntent?: () => void;
  buttonRef?: Ref<HTMLButtonElement>;
  /** Replies that arrived while the panel was closed: a badge with the count. */
  unread?: number;
  /** What the count means ("2 new replies"): announced politely when it changes, and the button's description. */
  unreadText?: string;
}

let launchers = 0;

/**
 * The round bubble button that opens and closes the chat panel, with a badge counting the
 * replies that arrived while it was closed (announced politely, and the button's description).
 *
 * @example
 * <Launcher open={false} label="Open chat" closeLabel="Close chat" onToggle={toggle} />
 */
export function Launcher({ open, label, closeLabel, onToggle, onIntent, buttonRef, unread = 0, unreadText }: LauncherProps) {
  // An id of its own: without a shadow root several widgets share the document.
  const id = useMemo(() => `acw-unread-${++launchers}`, []);
  const count = !open && unread > 0 ? unread : 0;
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        class="acw-launcher"
        part="launcher"
        aria-label={open ? closeLabel : label}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-describedby={count ? id : undefined}
        onClick={onToggle}
        onPointerEnter={onIntent}
        onFocus={onIntent}
      >
        {open ? <CloseIcon /> : <ChatIcon />}
        {/* The count is drawn from an attribute: the button's name stays "Open chat" (the text says what it means). */}
        {count > 0 && <span class="acw-badge" part="badge" aria-hidden="true" data-count={count > 99 ? '99+' : count} />}
      </button>
      {/* Always there, so a screen reader notices when the text arrives. */}
      <span id={id} class="acw-sr" aria-live="polite">
        {count ? unreadText : ''}
      </span>
    </>
  );
}
