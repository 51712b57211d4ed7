import { type CSSProperties, createElement, forwardRef, type Ref, useEffect, useImperativeHandle, useLayoutEffect, useRef } from 'react';
import type { AsyncChatElement } from '../element/AsyncChatElement.js';
import { ATTRIBUTES, type AttributeName, attributeText, PROPERTY_ATTRIBUTES, propName } from '../element/attributes.js';
import type { AsyncChatEventMap, AsyncChatProperties } from '../element/element-types.js';

type Listener<K extends keyof AsyncChatEventMap> = (event: AsyncChatEventMap[K]) => void;

/**
 * Props of {@link AsyncChat}: the element's properties, camelCased (`serverUrl`, `chatTitle`,
 * `suggestions`, `strings`, …), a callback per event, and the host element's `id`, `className`
 * and `style`.
 *
 * @example
 * const props: AsyncChatProps = { serverUrl: 'https://chat.example.com', chatTitle: 'Support', onReplyReceived: (e) => track(e.detail.message.id) };
 */
export interface AsyncChatProps extends AsyncChatProperties {
  onMessageSent?: Listener<'message-sent'>;
  onReplyReceived?: Listener<'reply-received'>;
  onTaskFailed?: Listener<'task-failed'>;
  /** The visitor opened the panel. */
  onOpen?: Listener<'open'>;
  /** The visitor closed the panel. */
  onClose?: Listener<'close'>;
  id?: string;
  className?: string;
  style?: CSSProperties;
}

const EVENTS = {
  onMessageSent: 'message-sent',
  onReplyReceived: 'reply-received',
  onTaskFailed: 'task-failed',
  onOpen: 'open',
  onClose: 'close',
} as const satisfies Record<string, keyof AsyncChatEventMap>;

/** Properties with no attribute (objects, and the list): set on the element after it mounts. */
const OBJECT_PROPERTIES = ['suggestions', 'strings', 'themeVars', 'session', 'client'] as const;

// No layout effect on a server (React 18 warns about one there); properties are set before paint in the browser.
const useBrowserLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/**
 * `<async-chat>` as a React component. Text, number and boolean props become the element's
 * attributes, so they are in the server's HTML; lists and objects are set as properties and the
 * callbacks as event listeners once it is mounted in the browser. Neither React 18 (which sets no
 * properties or listeners on custom elements) nor React 19 when hydrating server-rendered HTML
 * (which does not set them then) would do the second part for plain `<async-chat>` JSX.
 *
 * @example
 * <AsyncChat serverUrl="https://chat.example.com" chatTitle="Support" suggestions={['Where is my order?']}
 *   onReplyReceived={(event) => track(event.detail.message.id)} />
 */
export const AsyncChat = forwardRef(function AsyncChat(props: AsyncChatProps, ref: Ref<AsyncChatElement | null>) {
  const element = useRef<AsyncChatElement>(null);
  useImperativeHandle(ref, () => element.current as AsyncChatElement, []);
  const listeners = useRef(props);
  listeners.current = props;

  useBrowserLayoutEffect(() => {
    const el = element.current!;
    for (const key of OBJECT_PROPERTIES) if (el[key] !== props[key]) (el as unknown as Record<string, unknown>)[key] = props[key];
  });

  useEffect(() => {
    const el = element.current!;
    const stops = Object.entries(EVENTS).map(([prop, type]) => {
      const listener = (event: Event) => (listeners.current[prop as keyof typeof EVENTS] as ((e: Event) => void) | undefined)?.(event);
      el.addEventListener(type, listener);
      return () => el.removeEventListener(type, listener);
    });
    return () => {
      for (const stop of stops) stop();
    };
  }, []);

  // `class`, not `className`: React 18 writes `className` literally on a custom element; React 19 takes either.
  const attributes: Record<string, unknown> = { ref: element, id: props.id, class: props.className, style: props.style };
  for (const name of PROPERTY_ATTRIBUTES) {
    if (ATTRIBUTES[name] === 'list') continue;
    const text = attributeText(name as AttributeName, props[propName(name) as keyof AsyncChatProps]);
    if (text !== null && text !== undefined) attributes[name] = text;
  }
  return createElement('async-chat', attributes);
});
