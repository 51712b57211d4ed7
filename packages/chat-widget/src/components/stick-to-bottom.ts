import type { RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * Keeps a scroll container at its bottom while the reader is there, so new messages and a reply
 * as it grows stay in view; moving up (wheel, touch, keys, scrollbar) lets go until the reader is
 * back at the bottom or calls `jump()`. `away` says the reader has scrolled up.
 *
 * A reply grows every ~100 ms, and a render can land between the reader's scroll and its
 * `scroll` event: an upward wheel lets go at once, and a render that finds the view moved up
 * since it last looked lets go instead of scrolling back down.
 *
 * @example
 * const { away, onScroll, onWheel, jump } = useStickToBottom(ref);
 */
export function useStickToBottom(ref: RefObject<HTMLElement | null>) {
  const [away, setAway] = useState(false);
  const stuck = useRef(true);
  /** scrollTop when last seen: after the last scroll event or our own move to the bottom. */
  const seen = useRef(0);
  const stick = (on: boolean) => {
    stuck.current = on;
    setAway(!on);
  };
  const gap = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight;
  useLayoutEffect(() => {
    const el = ref.current!;
    if (!stuck.current) return;
    // Moved up and not at the bottom (a view clamped by shrinking content is at the bottom).
    if (el.scrollTop < seen.current - 1 && gap(el) > 1) stick(false);
    else {
      el.scrollTop = el.scrollHeight;
      seen.current = el.scrollTop;
    }
  });
  return {
    away,
    onScroll() {
      const el = ref.current!;
      if (gap(el) < 2) stick(true);
      else if (el.scrollTop < seen.current) stick(false);
      seen.current = el.scrollTop;
    },
    onWheel(e: WheelEvent) {
      if (e.deltaY < 0 && ref.current!.scrollTop > 0) stick(false);
    },
    jump: () => stick(true),
  };
}
