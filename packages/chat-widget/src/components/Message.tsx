import { Component, type ComponentChildren, createRef } from 'preact';
import { Markdown } from '../markdown/Markdown.js';
import type { MessageView } from '../types.js';
import { MessageFiles } from './attachments/MessageFiles.js';

export interface MessageProps {
  message: MessageView;
  /** Visually hidden prefix read by screen readers ("You", "Assistant"). */
  authorLabel: string;
  allowImages?: boolean;
  imageLabel?: string;
  /** A code block's copy button and its confirmation (`copyCode`, `copied`). */
  codeLabels?: { copyCode: string; copied: string };
  /** A mark under a reply that did not finish ("Stopped.", "Interrupted."). */
  note?: string;
  /** What a streaming reply shows until its first words arrive (the thinking indicator). */
  children?: ComponentChildren;
  /** Called once a reply this bubble showed streaming settles, with its text as a screen reader reads it. */
  onSettle?: (text: string) => void;
  /** `Open {name}`: the link of each file of the message. */
  openFileLabel?: string;
}

/**
 * One message bubble. User messages are plain text; assistant messages are safe markdown. A
 * streaming reply grows in place (a caret after its last words) and is `aria-busy`; a bubble that
 * showed a reply streaming is kept out of the log's announcements (`aria-live="off"`), since
 * `onSettle` announces the finished reply once instead of every chunk.
 * Re-renders only when what it shows changes: the SDK hands out fresh message objects on every
 * update, and re-parsing a long history on each keystroke or status change would be wasted work.
 *
 * @example
 * <Message message={{ id: '1', role: 'user', content: 'Hi' }} authorLabel="You" />
 */
export class Message extends Component<MessageProps> {
  #bubble = createRef<HTMLDivElement>();
  #watched = false;

  override shouldComponentUpdate(next: MessageProps) {
    const a = this.props;
    const m = a.message;
    const n = next.message;
    return (
      m.content !== n.content ||
      m.role !== n.role ||
      m.delivery !== n.delivery ||
      m.status !== n.status ||
      a.authorLabel !== next.authorLabel ||
      a.allowImages !== next.allowImages ||
      a.imageLabel !== next.imageLabel ||
      a.codeLabels?.copyCode !== next.codeLabels?.copyCode ||
      a.codeLabels?.copied !== next.codeLabels?.copied ||
      a.note !== next.note ||
      a.children !== next.children ||
      a.openFileLabel !== next.openFileLabel ||
      m.attachments?.map((f) => f.url).join() !== n.attachments?.map((f) => f.url).join()
    );
  }

  override componentDidUpdate(previous: MessageProps) {
    if (previous.message.status === 'streaming' && this.props.message.status !== 'streaming') {
      this.props.onSettle?.(this.#bubble.current!.textContent!);
    }
  }

  override render({
    message,
    authorLabel,
    allowImages,
    imageLabel,
    codeLabels,
    note,
    children,
    openFileLabel = 'Open {name}',
  }: MessageProps) {
    const streaming = message.status === 'streaming';
    if (streaming) this.#watched = true;
    return (
      <div
        ref={this.#bubble}
        class="acw-msg"
        data-role={message.role}
        data-delivery={message.delivery}
        data-status={message.status}
        aria-busy={streaming || undefined}
        aria-live={this.#watched ? 'off' : undefined}
      >
        <span class="acw-sr">{authorLabel}: </span>
        {message.role === 'user' ? (
          message.content
        ) : message.content ? (
          <Markdown
            source={message.content}
            allowImages={allowImages}
            imageLabel={imageLabel}
            codeLabels={codeLabels && { copy: codeLabels.copyCode, copied: codeLabels.copied }}
          />
        ) : (
          children
        )}
        {message.attachments?.length ? <MessageFiles files={message.attachments} openLabel={openFileLabel} /> : null}
        {note && <div class="acw-note">{note}</div>}
      </div>
    );
  }
}
