import { Markdown } from '../markdown/Markdown.js';
import type { MessageView } from '../types.js';

export interface MessageProps {
  message: MessageView;
  /** Visually hidden prefix read by screen readers ("You", "Assistant"). */
  authorLabel: string;
  allowImages?: boolean;
  imageLabel?: string;
}

/**
 * One message bubble. User messages are plain text; assistant messages are safe markdown.
 *
 * @example
 * <Message message={{ id: '1', role: 'user', content: 'Hi' }} authorLabel="You" />
 */
export function Message({ message, authorLabel, allowImages, imageLabel }: MessageProps) {
  const md = message.role !== 'user';
  return (
    <div class="acw-msg" data-role={message.role} data-delivery={message.delivery}>
      <span class="acw-sr">{authorLabel}: </span>
      {md ? <Markdown source={message.content} allowImages={allowImages} imageLabel={imageLabel} /> : message.content}
    </div>
  );
}
