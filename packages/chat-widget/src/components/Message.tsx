import { Component } from 'preact';
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
 * Re-renders only when what it shows changes: the SDK hands out fresh message objects on every
 * update, and re-parsing a long history on each keystroke or status change would be wasted work.
 *
 * @example
 * <Message message={{ id: '1', role: 'user', content: 'Hi' }} authorLabel="You" />
 */
export class Message extends Component<MessageProps> {
  override shouldComponentUpdate(next: MessageProps) {
    const a = this.props;
    const m = a.message;
    const n = next.message;
    return (
      m.content !== n.content ||
      m.role !== n.role ||
      m.delivery !== n.delivery ||
      a.authorLabel !== next.authorLabel ||
      a.allowImages !== next.allowImages ||
      a.imageLabel !== next.imageLabel
    );
  }

  override render({ message, authorLabel, allowImages, imageLabel }: MessageProps) {
    return (
      <div class="acw-msg" data-role={message.role} data-delivery={message.delivery}>
        <span class="acw-sr">{authorLabel}: </span>
        {message.role === 'user' ? (
          message.content
        ) : (
          <Markdown source={message.content} allowImages={allowImages} imageLabel={imageLabel} />
        )}
      </div>
    );
  }
}
