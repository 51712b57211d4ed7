import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStrings } from '../i18n/strings.js';
import { ThumbDownIcon, ThumbUpIcon } from './action-icons.js';

export type Rating = 'up' | 'down';

export interface FeedbackButtonsProps {
  /** The rating given so far (the stored one, or the one just sent). */
  rating?: Rating | null;
  strings: Pick<ChatStrings, 'goodReply' | 'badReply' | 'feedbackComment' | 'sendFeedback' | 'cancel' | 'feedbackThanks'>;
  /** Sends a rating (again with the comment after a thumbs down); resolves whether it was taken. */
  onRate: (rating: Rating, comment?: string) => Promise<boolean>;
  announce?: (text: string) => void;
}

/**
 * Thumbs up and down on a reply (toggle buttons, `aria-pressed`). A thumbs down is sent at once
 * and opens a box for an optional comment, which sends it again with the comment (a later rating
 * replaces the earlier one). "Thanks for your feedback." is announced politely.
 *
 * @example
 * <FeedbackButtons rating={message.feedback?.rating} strings={en} onRate={(r, c) => chat.sendFeedback(id, { rating: r, comment: c })} />
 */
export function FeedbackButtons({ rating, strings: s, onRate, announce }: FeedbackButtonsProps) {
  const [given, setGiven] = useState<Rating | null>(null);
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState('');
  const shown = given ?? rating ?? null;
  const box = useRef<HTMLTextAreaElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves into the comment box when it opens.
  useLayoutEffect(() => box.current?.focus(), [commenting]);

  const rate = async (next: Rating, text?: string) => {
    setGiven(next);
    const taken = await onRate(next, text);
    if (!taken) setGiven(null);
    else if (next === 'up' || text !== undefined) announce?.(s.feedbackThanks);
    return taken;
  };

  return (
    <>
      <button
        type="button"
        class="acw-act"
        aria-label={s.goodReply}
        title={s.goodReply}
        aria-pressed={shown === 'up'}
        onClick={() => void rate('up')}
      >
        <ThumbUpIcon />
      </button>
      <button
        type="button"
        class="acw-act"
        aria-label={s.badReply}
        title={s.badReply}
        aria-pressed={shown === 'down'}
        onClick={() => {
          setCommenting(true);
          void rate('down');
        }}
      >
        <ThumbDownIcon />
      </button>
      {commenting && (
        <form
          class="acw-feedback"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await rate('down', comment.trim())) setCommenting(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setCommenting(false);
            }
          }}
        >
          <textarea
            aria-label={s.feedbackComment}
            placeholder={s.feedbackComment}
            rows={2}
            maxLength={2000}
            value={comment}
            ref={box}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
          <div>
            <button type="submit" class="acw-btn">
              {s.sendFeedback}
            </button>
            <button type="button" class="acw-btn" onClick={() => setCommenting(false)}>
              {s.cancel}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
