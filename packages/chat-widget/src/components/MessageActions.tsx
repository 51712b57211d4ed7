import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStrings } from '../i18n/strings.js';
import type { MessageView } from '../types.js';
import { CopyIcon, MarkdownIcon } from './action-icons.js';
import { Timestamp } from './Timestamp.js';

export type ActionStrings = Pick<
  ChatStrings,
  'copyText' | 'copyMarkdown' | 'copied' | 'justNow' | 'youSaid' | 'assistantSaid' | 'stopped' | 'interrupted'
>;

export interface MessageActionsProps {
  message: MessageView;
  strings: ActionStrings;
  /** The clock the list shares (ms). */
  now: number;
  locale?: string;
  /** Announces a confirmation politely (the list's announcer), here "Copied". */
  announce?: (text: string) => void;
  /** More actions of this message (rating, regenerate, edit), after the copy buttons. */
  children?: ComponentChildren;
}

/**
 * The row under a settled message: its time, and for a reply the copy buttons (its text as
 * shown, and its Markdown source), then whatever the list adds. Sits right after the message's
 * bubble, outside it, so a reply is announced as its text without these labels.
 *
 * @example
 * <MessageActions message={reply} strings={en} now={Date.now()} />
 */
export function MessageActions({ message, strings: s, now, locale, announce, children }: MessageActionsProps) {
  const row = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = (markdown: boolean) => {
    const bubble = row.current!.previousElementSibling as HTMLElement;
    const done = () => {
      setCopied(true);
      announce?.(s.copied);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 2000);
    };
    // Where the clipboard cannot be written (an insecure page, a denied permission) the reply is selected.
    const select = () => getSelection()?.selectAllChildren(bubble);
    const text = markdown ? message.content : plainText(bubble, message, s);
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, select);
    else select();
  };

  return (
    <div ref={row} class="acw-actions" data-role={message.role}>
      {message.createdAt && <Timestamp at={message.createdAt} now={now} locale={locale} justNow={s.justNow} />}
      {message.role === 'assistant' && message.content && (
        <>
          <button type="button" class="acw-act" aria-label={s.copyText} title={s.copyText} onClick={() => copy(false)}>
            <CopyIcon />
          </button>
          <button type="button" class="acw-act" aria-label={s.copyMarkdown} title={s.copyMarkdown} onClick={() => copy(true)}>
            <MarkdownIcon />
          </button>
          {/* Announced by the list's polite region; shown here. */}
          {copied && (
            <span class="acw-copied" aria-hidden="true">
              {s.copied}
            </span>
          )}
        </>
      )}
      {children}
    </div>
  );
}

/**
 * The reply as the visitor sees it, without the hidden author prefix and the "Stopped." mark:
 * `innerText` keeps the line breaks between paragraphs, list items and table cells.
 */
function plainText(bubble: HTMLElement, message: MessageView, s: ActionStrings): string {
  let text = (bubble.innerText ?? bubble.textContent ?? '').trim();
  const author = `${message.role === 'user' ? s.youSaid : s.assistantSaid}:`;
  if (text.startsWith(author)) text = text.slice(author.length);
  const note = message.status === 'stopped' || message.status === 'interrupted' ? s[message.status] : '';
  if (note && text.endsWith(note)) text = text.slice(0, -note.length);
  return text.trim();
}
