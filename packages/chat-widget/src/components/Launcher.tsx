import type { Ref } from 'preact';
import { ChatIcon, CloseIcon } from './icons.js';

export interface LauncherProps {
  open: boolean;
  label: string;
  closeLabel: string;
  onToggle: () => void;
  /** The pointer entered the button or it got focus (before a click, to get ready for it). */
  onIntent?: () => void;
  buttonRef?: Ref<HTMLButtonElement>;
}

/**
 * The round bubble button that opens and closes the chat panel.
 *
 * @example
 * <Launcher open={false} label="Open chat" closeLabel="Close chat" onToggle={toggle} />
 */
export function Launcher({ open, label, closeLabel, onToggle, onIntent, buttonRef }: LauncherProps) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class="acw-launcher"
      part="launcher"
      aria-label={open ? closeLabel : label}
      aria-expanded={open}
      aria-haspopup="dialog"
      onClick={onToggle}
      onPointerEnter={onIntent}
      onFocus={onIntent}
    >
      {open ? <CloseIcon /> : <ChatIcon />}
    </button>
  );
}
