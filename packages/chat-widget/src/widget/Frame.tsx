import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { Launcher } from '../components/Launcher.js';
import type { ChatStrings } from '../i18n/strings.js';
import { adoptStyles } from '../theme/adopt-styles.js';
import type { ChatMode, ThemeMode } from '../types.js';

export interface FrameProps {
  mode: ChatMode;
  theme: ThemeMode;
  /** Extra `--acw-*` custom properties, e.g. `{ '--acw-accent': '#7c3aed' }`. */
  themeVars?: Record<string, string>;
  position?: 'right' | 'left';
  dir?: 'ltr' | 'rtl' | 'auto';
  lang?: string;
  strings: ChatStrings;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Nonce for the `<style>` fallback where constructable stylesheets are missing. */
  styleNonce?: string;
  children: ComponentChildren;
}

/**
 * The widget's root element (theme, direction, custom properties) and, in bubble mode, the
 * launcher that shows the panel. Puts the stylesheet into the document or shadow root it renders
 * in. Focus goes back to the launcher when the panel closes.
 *
 * @example
 * <Frame mode="bubble" theme="auto" strings={en} open={open} onOpenChange={setOpen}>…</Frame>
 */
export function Frame({ mode, theme, themeVars, position, dir, lang, strings, open, onOpenChange, styleNonce, children }: FrameProps) {
  const root = useRef<HTMLDivElement>(null);
  const launcher = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  useLayoutEffect(() => {
    adoptStyles(root.current!.getRootNode() as Document | ShadowRoot, styleNonce);
  }, []);
  useLayoutEffect(() => {
    if (wasOpen.current && !open) launcher.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const bubble = mode === 'bubble';
  return (
    <div ref={root} class="acw" data-theme={theme} data-position={position} dir={dir} lang={lang} style={themeVars}>
      {(!bubble || open) && children}
      {bubble && (
        <Launcher
          open={open}
          label={strings.openChat}
          closeLabel={strings.closeChat}
          onToggle={() => onOpenChange(!open)}
          buttonRef={launcher}
        />
      )}
    </div>
  );
}
