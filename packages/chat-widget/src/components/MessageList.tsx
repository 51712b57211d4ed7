import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStrings } from '../i18n/strings.js';
import type { MessageView } from '../types.js';
import { Message } from './Message.js';

export interface MessageListProps {
  messages: readonly MessageView[];
  strings: ChatStrings;
  allowImages?: boolean;
  /** Shows a "show earlier messages" button at the top. */
  onLoadOlder?: () => void;
  /** Sends messages that could not be delivered again (a Retry button beside "Not sent"). */
  onRetry?: () => void;
  /** Rendered after the messages: the indicator, an error notice, the welcome. */
  children?: ComponentChildren;
  /** How many of the newest messages to render; "show earlier" reveals this many more. */
  pageSize?: number;
}

const DELIVERY = { sending: 'sending', queued: 'queued', failed: 'notSent' } as const;

/**
 * The conversation as a `role="log"`: new messages are announced politely by screen readers.
 * Keeps the view pinned to the bottom while the reader is at the bottom, and renders only the
 * newest `pageSize` messages until asked for earlier ones.
 *
 * @example
 * <MessageList messages={items} strings={en} />
 */
export function MessageList({ messages, strings, allowImages, onLoadOlder, onRetry, children, pageSize = 100 }: MessageListProps) {
  const ref = useRef<HTMLDivElement>(null);
  // Only the newest messages are rendered: a 1,000-message history costs what 100 do.
  const [shown, setShown] = useState(pageSize);
  const hidden = Math.max(0, messages.length - shown);
  const showEarlier = hidden > 0 ? () => setShown(shown + pageSize) : onLoadOlder;
  const pinned = useRef(true);
  useLayoutEffect(() => {
    const el = ref.current!;
    if (pinned.current) el.scrollTop = el.scrollHeight;
  });
  const onScroll = () => {
    const el = ref.current!;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the conversation scrolls, and keyboard users must be able to focus it to scroll it.
    <div ref={ref} class="acw-log" role="log" aria-label={strings.conversation} tabIndex={0} onScroll={onScroll}>
      {showEarlier && (
        <button type="button" class="acw-btn" onClick={showEarlier}>
          {strings.loadOlder}
        </button>
      )}
      {messages.slice(hidden).map((m) => {
        const note = m.role === 'user' && m.delivery && m.delivery !== 'sent' ? DELIVERY[m.delivery] : null;
        return [
          <Message
            key={m.id}
            message={m}
            authorLabel={m.role === 'user' ? strings.youSaid : strings.assistantSaid}
            allowImages={allowImages}
            imageLabel={strings.image}
          />,
          note && (
            <span key={`${m.id}:d`} class="acw-meta">
              {strings[note]}
              {note === 'notSent' && onRetry && (
                <button type="button" class="acw-btn" onClick={onRetry}>
                  {strings.retry}
                </button>
              )}
            </span>
          ),
        ];
      })}
      {children}
    </div>
  );
}
