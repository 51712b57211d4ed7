import type { ComponentType } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isRtlLocale, resolveStrings } from '../i18n/resolve-strings.js';
import type { ChatStrings } from '../i18n/strings.js';
import type { ChatMode } from '../types.js';
import type { ChatWidgetProps } from './chat-widget-props.js';
import type { EarlyInput } from './early-input.js';
import { Frame } from './Frame.js';
import { readOpen, saveOpen, storagePrefix } from './open-state.js';

/**
 * What the widget root hands its body, the part that holds the conversation: mounted for the
 * widget's whole life (so the session outlives a closed panel), rendering the panel when `shown`.
 */
export interface BodyProps {
  options: ChatWidgetProps;
  strings: ChatStrings;
  mode: ChatMode;
  /** The panel is on screen: always in inline and fullscreen mode, while open in bubble mode. */
  shown: boolean;
  /** Closes the panel (bubble mode). */
  onClose?: () => void;
  /** Where this widget keeps what it remembers (drafts): the conversation's storage prefix. */
  storagePrefix: string;
  /** How many replies arrived while the panel was closed (the launcher's badge). */
  onUnread?: (count: number) => void;
  /** What was typed before the body's code was here (script-tag bundle): sent or kept as the draft. */
  earlyInput?: EarlyInput;
}

export interface WidgetRootProps extends ChatWidgetProps {
  body: ComponentType<BodyProps>;
  /** The visitor is about to open the chat: the pointer is over the launcher, or it has focus. */
  onLauncherIntent?: () => void;
}

/**
 * The part of the widget that paints first: strings, direction, open state (remembered across
 * reloads in bubble mode), the unread count and the `Frame` with its launcher, around a `body` that holds the conversation. `ChatWidget` gives it the body
 * directly; the script-tag bundle gives it one that loads the conversation's code when needed.
 *
 * @example
 * <WidgetRoot serverUrl="https://chat.example.com" body={ChatBody} />
 */
export function WidgetRoot({ body: Body, onLauncherIntent, ...props }: WidgetRootProps) {
  const { mode = 'bubble', theme = 'auto', locale } = props;
  const strings = useMemo(() => resolveStrings(locale, props.strings), [locale, props.strings]);
  const prefix = storagePrefix(props.storageKey);
  const remember = mode === 'bubble' && props.rememberOpen !== false;
  const [restored] = useState(() => props.open === undefined && remember && readOpen(prefix));
  const [openState, setOpen] = useState(props.open ?? restored);
  const [unread, setUnread] = useState(0);
  // Follow changes of the `open` prop in the same render (as a built-in element's `open` does),
  // and only changes: the visitor's own opening stands until the prop says otherwise.
  const openProp = useRef(props.open);
  let open = openState;
  if (openProp.current !== props.open) {
    openProp.current = props.open;
    open = !!props.open;
    if (open !== openState) setOpen(open);
  }
  useEffect(() => {
    if (remember) saveOpen(prefix, open);
  }, [open, remember, prefix]);
  // Open again after a reload: the host hears of it as of any opening, once (the element renders
  // again from inside its open handler, before this effect counts as run).
  const announced = useRef(!restored);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for the opening at mount.
  useEffect(() => {
    if (announced.current) return;
    announced.current = true;
    props.onOpen?.();
  }, []);
  const changeOpen = (next: boolean) => {
    setOpen(next);
    (next ? props.onOpen : props.onClose)?.();
  };
  const bubble = mode === 'bubble';

  return (
    <Frame
      mode={mode}
      theme={theme}
      themeVars={props.themeVars}
      position={props.position}
      dir={props.dir ?? (isRtlLocale(locale) ? 'rtl' : undefined)}
      lang={locale}
      strings={strings}
      open={open}
      onOpenChange={changeOpen}
      onLauncherIntent={onLauncherIntent}
      styleNonce={props.styleNonce}
      darkSelector={props.darkSelector}
      unread={unread}
    >
      <Body
        options={props}
        strings={strings}
        mode={mode}
        shown={!bubble || open}
        onClose={bubble ? () => changeOpen(false) : undefined}
        storagePrefix={prefix}
        onUnread={setUnread}
      />
    </Frame>
  );
}
