import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ChatMode } from '../types.js';
import { CloseIcon } from './icons.js';

export interface PanelProps {
  title: string;
  subtitle?: string;
  avatarUrl?: string;
  mode: ChatMode;
  closeLabel: string;
  /** Shown as a close button when given (bubble and fullscreen modes). */
  onClose?: () => void;
  /** More buttons in the header, before the close button (the conversation switcher). */
  actions?: ComponentChildren;
  children: ComponentChildren;
}

const FOCUSABLE = 'button:not([disabled]),textarea:not([disabled]),a[href],input:not([disabled]),[tabindex]:not([tabindex="-1"])';

/**
 * The chat window: header with title, subtitle and close button, then its children. In bubble
 * mode it is a modal dialog: Tab stays inside, Escape closes.
 *
 * @example
 * <Panel title="Support" mode="inline" closeLabel="Close">…</Panel>
 */
export function Panel({ title, subtitle, avatarUrl, mode, closeLabel, onClose, actions, children }: PanelProps) {
  const ref = useRef<HTMLElement>(null);
  const dialog = mode === 'bubble';
  useEffect(() => {
    if (!dialog) return;
    const panel = ref.current!;
    const focusable = panel.querySelector<HTMLElement>('textarea') ?? panel.querySelector<HTMLElement>(FOCUSABLE);
    focusable?.focus();
  }, [dialog]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (!dialog) return;
    if (e.key === 'Escape' && onClose) {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (!items.length) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = (ref.current!.getRootNode() as Document | ShadowRoot).activeElement;
    if (e.shiftKey && active === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-modal is set only together with role="dialog", which supports it.
    <section
      ref={ref}
      class="acw-panel"
      part="panel"
      data-mode={mode}
      role={dialog ? 'dialog' : 'region'}
      aria-modal={dialog ? 'true' : undefined}
      aria-label={title}
      onKeyDown={onKeyDown}
    >
      {/* A div, not <header>: inside role="dialog" a header becomes a second page banner landmark. */}
      <div class="acw-head" part="header">
        {avatarUrl && <img src={avatarUrl} alt="" />}
        <div>
          <h2>{title}</h2>
          {subtitle && <p>{subtitle}</p>}
        </div>
        {actions}
        {onClose && (
          <button type="button" class="acw-icon" aria-label={closeLabel} onClick={onClose}>
            <CloseIcon />
          </button>
        )}
      </div>
      {children}
    </section>
  );
}
