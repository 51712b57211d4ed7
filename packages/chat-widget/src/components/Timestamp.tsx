import { formatTime } from './format-time.js';

export interface TimestampProps {
  /** ISO 8601 time of the message. */
  at: string;
  /** The current time (ms); the list passes one clock to all its messages. */
  now: number;
  locale?: string;
  justNow: string;
}

/**
 * A message's time: relative while recent ("just now", "5 min. ago"), the time or date later; the
 * full date and time on hover (`title`), when the message's row has focus, and for screen readers
 * (the short form is hidden from them, so a list of messages is not read as "5 min. ago" over and over).
 *
 * @example
 * <Timestamp at={message.createdAt} now={Date.now()} locale="de" justNow="gerade eben" />
 */
export function Timestamp({ at, now, locale, justNow }: TimestampProps) {
  const text = formatTime(at, now, locale, justNow);
  if (!text) return null;
  return (
    <time class="acw-time" dateTime={at} title={text.full}>
      <span aria-hidden="true">{text.short}</span>
      <span class="acw-sr">{text.full}</span>
    </time>
  );
}
