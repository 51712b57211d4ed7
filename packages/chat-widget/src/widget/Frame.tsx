import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { Launcher } from '../components/Launcher.js';
import type { ChatStrings } from '../i18n/strings.js';
import { format } from '../i18n/format.js';
import { adoptStyles } from '../theme/adopt-styles.js';
import type { ChatMode, ThemeMode } from '../types.js';
import { useHostTheme } from './host-theme.js';

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
  /** The pointer is over the launcher, or it has focus: the visitor may be about to open the chat. */
  onLauncherIntent?: () => void;
  /** `theme="auto"`: a CSS selector that, matching the page's `<html>` or `<body>`, means the page is dark. */
  darkSelector?: string;
  /** Replies that arrived while the bubble was closed (the launcher's badge). */
  unread?: number;
  /** Nonce for the `<style>` fallback where constructable stylesheets are missing. */
  styleNonce?: string;
  /** The panel's owner, always rendered: it shows the panel only while it is open in bubble mode. */
  children: ComponentChildren;
}

/**
 * The widget's root element (theme, direction, custom properties) and, in bubble mode, the
 * launcher that opens and closes the panel. Puts the stylesheet into the document or shadow root
 * it renders in. Focus goes back to the launcher when the panel closes.
 *
 * @example
 * <Frame mode="bubble" theme="auto" strings={en} open={open} onOpenChange={setOpen}>…</Frame>
 */
export function Frame(props: FrameProps) {
  const { mode, theme, themeVars, position, dir, lang, strings, open, onOpenChange, styleNonce, children } = props;
  const root = useRef<HTMLDivElement>(null);
  const launcher = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  const scheme = useHostTheme(theme, props.darkSelector);
  const unread = props.unread ?? 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the stylesheet goes in once, with the first render (a later nonce is for a later root).
  useLayoutEffect(() => {
    adoptStyles(root.current!.getRootNode() as Document | ShadowRoot, styleNonce);
  }, []);
  useLayoutEffect(() => {
    if (wasOpen.current && !open) launcher.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return (
    <div ref={root} class="acw" data-theme={scheme} data-position={position} dir={dir} lang={lang} style={themeVars}>
      {children}
      {mode === 'bubble' && (
        <Launcher
          open={open}
          label={strings.openChat}
          closeLabel={strings.closeChat}
          onToggle={() => onOpenChange(!open)}
          onIntent={props.onLauncherIntent}
          buttonRef={launcher}
          unread={unread}
          unreadText={format(unread === 1 ? strings.unreadOne : strings.unreadMany, { count: unread })}
        />
      )}
    </div>
  );
}
