import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStrings } from '../i18n/strings.js';
import type { MessageView } from '../types.js';
import { EditMessage } from './EditMessage.js';
import { FeedbackButtons, type Rating } from './FeedbackButtons.js';
import { Message } from './Message.js';
import { MessageActions } from './MessageActions.js';
import { useStickToBottom } from './stick-to-bottom.js';
import { RegenerateIcon, EditIcon } from './action-icons.js';
import { useNow } from './use-now.js';

export interface MessageListProps {
  messages: readonly MessageView[];
  strings: ChatStrings;
  allowImages?: boolean;
  /** Shows a "show earlier messages" button at the top. */
  onLoadOlder?: () => void;
  /** Sends messages that could not be delivered again (a Retry button beside "Not sent"). */
  onRetry?: () => void;
  /** What a streaming reply without words yet shows in its bubble (the thinking indicator). */
  pending?: ComponentChildren;
  /** Rendered after the messages: an error notice, the welcome. */
  children?: ComponentChildren;
  /** How many of the newest messages to render; "show earlier" reveals this many more. */
  pageSize?: number;
  /** The locale of message times (the browser's when absent). */
  locale?: string;
  /** The clock of message times (stories and tests); otherwise the list reads it every 30 s. */
  now?: number;
  /** Rates a stored reply (thumbs up / down, a comment after a thumbs down); resolves whether it was taken. */
  onRate?: (messageId: string, rating: Rating, comment?: string) => Promise<boolean>;
  /** Makes the last reply again (offered on the item that `canRegenerate`). */
  onRegenerate?: () => void;
  /** Replaces the visitor's last message by new text and has it answered anew (offered where `canEdit`). */
  onEdit?: (text: string) => Promise<boolean>;
}

/** Whether an item is a stored message (a reply being made or a local echo has no message to rate). */
const stored = (m: MessageView) => !m.id.startsWith('reply:') && !m.id.startsWith('local-');

const DELIVERY = { sending: 'sending', queued: 'queued', failed: 'notSent' } as const;
/** How long a finished reply stays in the announcer: long enough to be picked up, then gone from the reading order. */
const ANNOUNCED_FOR = 7000;

/**
 * The conversation as a `role="log"`: messages that arrive whole are announced politely by
 * screen readers; a reply watched while it streams is announced once, when it settles, from a
 * separate polite region (its bubble keeps its chunks out of the log's announcements). Stays at
 * the bottom while the reader is there, with "Jump to latest" once they scroll up, and renders
 * only the newest `pageSize` messages until asked for earlier ones. Replies are keyed by their
 * task, so a bubble is not remounted when the streamed text becomes the stored message.
 *
 * @example
 * <MessageList messages={items} strings={en} />
 */
export function MessageList(props: MessageListProps) {
  const {
    messages,
    strings,
    allowImages,
    onLoadOlder,
    onRetry,
    pending,
    children,
    pageSize = 100,
    locale,
    onRate,
    onRegenerate,
    onEdit,
  } = props;
  const ref = useRef<HTMLDivElement>(null);
  const now = useNow(props.now);
  const [editing, setEditing] = useState<string | null>(null);
  // Only the newest messages are rendered: a 1,000-message history costs what 100 do.
  const [shown, setShown] = useState(pageSize);
  const hidden = Math.max(0, messages.length - shown);
  const showEarlier = hidden > 0 ? () => setShown(shown + pageSize) : onLoadOlder;
  const { away, onScroll, onWheel, jump } = useStickToBottom(ref);
  const [said, say] = useState('');
  useEffect(() => {
    if (!said) return;
    const timer = setTimeout(() => say(''), ANNOUNCED_FOR);
    return () => clearTimeout(timer);
  }, [said]);
  return (
    <>
      <div
        ref={ref}
        class="acw-log"
        part="messages"
        role="log"
        aria-label={strings.conversation}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the conversation scrolls, and keyboard users must be able to focus it to scroll it.
        tabIndex={0}
        onScroll={onScroll}
        onWheel={onWheel}
      >
        {showEarlier && (
          <button type="button" class="acw-btn" onClick={showEarlier}>
            {strings.loadOlder}
          </button>
        )}
        {messages.slice(hidden).map((m) => {
          const note = m.role === 'user' && m.delivery && m.delivery !== 'sent' ? DELIVERY[m.delivery] : null;
          const unfinished = m.status === 'stopped' || m.status === 'interrupted';
          const key = (m.role === 'assistant' && m.taskId) || m.id;
          const settled = m.status !== 'streaming' && (!m.delivery || m.delivery === 'sent');
          if (editing === m.id && onEdit)
            return (
              <EditMessage
                key={key}
                text={m.content}
                strings={strings}
                onSave={onEdit}
                onCancel={() => {
                  setEditing(null);
                  ref.current?.focus();
                }}
              />
            );
          return [
            <Message
              key={key}
              message={m}
              authorLabel={m.role === 'user' ? strings.youSaid : strings.assistantSaid}
              allowImages={allowImages}
              imageLabel={strings.image}
              codeLabels={strings}
              note={unfinished ? strings[m.status as 'stopped' | 'interrupted'] : undefined}
              onSettle={say}
              openFileLabel={strings.openFile}
            >
              {m.status === 'streaming' && !m.content ? pending : undefined}
            </Message>,
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
            settled && (
              <MessageActions key={`${key}:a`} message={m} strings={strings} now={now} locale={locale} announce={say}>
                {m.role === 'assistant' && onRate && stored(m) && (
                  <FeedbackButtons
                    rating={m.feedback?.rating}
                    strings={strings}
                    announce={say}
                    onRate={(rating, comment) => onRate(m.id, rating, comment)}
                  />
                )}
                {m.canRegenerate && onRegenerate && (
                  <button type="button" class="acw-act" aria-label={strings.regenerate} title={strings.regenerate} onClick={onRegenerate}>
                    <RegenerateIcon />
                  </button>
                )}
                {m.canEdit && onEdit && (
                  <button type="button" class="acw-act" aria-label={strings.edit} title={strings.edit} onClick={() => setEditing(m.id)}>
                    <EditIcon />
                  </button>
                )}
              </MessageActions>
            ),
          ];
        })}
        {children}
        {away && (
          // Not announced when it appears: it follows the reader's own scrolling.
          <button
            type="button"
            class="acw-btn acw-jump"
            aria-live="off"
            onClick={() => {
              jump();
              ref.current!.focus();
            }}
          >
            {strings.jumpToLatest}
          </button>
        )}
      </div>
      {/* Empty between announcements: no text node, so nothing in it changes while a reply streams. */}
      <div class="acw-sr" aria-live="polite">
        {said || null}
      </div>
    </>
  );
}
