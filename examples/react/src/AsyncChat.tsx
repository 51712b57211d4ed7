import '@app/chat-widget/element';
import type { AsyncChatElement } from '@app/chat-widget/element';
import { useEffect, useLayoutEffect, useRef, type CSSProperties } from 'react';

/** The `<async-chat>` properties this wrapper passes through. */
export type AsyncChatProps = Partial<
  Pick<
    AsyncChatElement,
    | 'serverUrl'
    | 'conversationId'
    | 'title'
    | 'subtitle'
    | 'mode'
    | 'theme'
    | 'themeVars'
    | 'position'
    | 'locale'
    | 'welcome'
    | 'suggestions'
    | 'open'
    | 'client'
  >
> & {
  onMessageSent?: (detail: { text: string }) => void;
  onReplyReceived?: (detail: unknown) => void;
  onTaskFailed?: (detail: unknown) => void;
  className?: string;
  style?: CSSProperties;
};

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'async-chat': React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement>;
    }
  }
}

const EVENTS = { onMessageSent: 'message-sent', onReplyReceived: 'reply-received', onTaskFailed: 'task-failed' } as const;

/**
 * A thin React wrapper around the `<async-chat>` custom element: props become element
 * properties (typed, objects included), the element's CustomEvents become callbacks.
 *
 * @example
 * <AsyncChat title="Ask Acme" onReplyReceived={() => track('reply')} />
 */
export function AsyncChat({ onMessageSent, onReplyReceived, onTaskFailed, className, style, ...properties }: AsyncChatProps) {
  const ref = useRef<AsyncChatElement>(null);
  const handlers = useRef({ onMessageSent, onReplyReceived, onTaskFailed });
  handlers.current = { onMessageSent, onReplyReceived, onTaskFailed };

  // The element ignores a property set to the value it already has, so this is cheap every render.
  useLayoutEffect(() => {
    Object.assign(ref.current!, properties);
  });

  useEffect(() => {
    const element = ref.current!;
    const off = Object.entries(EVENTS).map(([prop, type]) => {
      const listener = (event: Event) => handlers.current[prop as keyof typeof EVENTS]?.((event as CustomEvent).detail);
      element.addEventListener(type, listener);
      return () => element.removeEventListener(type, listener);
    });
    return () => {
      for (const stop of off) stop();
    };
  }, []);

  return <async-chat ref={ref as React.Ref<HTMLElement>} className={className} style={style} />;
}
