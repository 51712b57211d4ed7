import type { Node } from './inline-tree.js';

/** A run of `*`, `_` or `~~` on the delimiter stack. */
export interface Delim {
  node: Node;
  ch: string;
  /** Delimiters left in the run, and the run's length as written. */
  n: number;
  orig: number;
  open: boolean;
  close: boolean;
  prev: Delim | null;
  next: Delim | null;
}

const unlink = (d: Delim) => {
  if (d.prev) d.prev.next = d.next;
  if (d.next) d.next.prev = d.prev;
};

/**
 * CommonMark's `process emphasis` (spec appendix): matches closers with openers above `bottom`,
 * calling `wrap` for each pair, and removes those delimiters from the stack. `openersBottom`
 * remembers, per kind of closer, below which opener a search already failed, so each search
 * starts where the last one stopped: linear time even for thousands of unmatched runs.
 * Returns the new top of the stack (`bottom`).
 */
export function processEmphasis(
  top: Delim | null,
  bottom: Delim | null,
  wrap: (opener: Node, closer: Node, kind: 'em' | 'strong' | 'del') => void,
): Delim | null {
  if (top === bottom) return bottom;
  let closer = top;
  while (closer && closer.prev !== bottom) closer = closer.prev;
  const openersBottom: Record<string, Delim | null> = {};
  while (closer) {
    if (!closer.close) {
      closer = closer.next;
      continue;
    }
    const key = closer.ch + (closer.open ? 3 : 0) + (closer.orig % 3);
    const floor = key in openersBottom ? openersBottom[key] : bottom;
    let opener = closer.prev;
    let found = false;
    while (opener && opener !== bottom && opener !== floor) {
      // The rule of 3: `*foo**bar*` is not `<em>foo</em><em>bar</em>`.
      const odd = closer.ch !== '~' && (closer.open || opener.close) && (opener.orig + closer.orig) % 3 === 0 && closer.orig % 3 !== 0;
      if (opener.ch === closer.ch && opener.open && !odd) {
        found = true;
        break;
      }
      opener = opener.prev;
    }
    if (found && opener) {
      const use = closer.ch === '~' || (closer.n >= 2 && opener.n >= 2) ? 2 : 1;
      opener.n -= use;
      closer.n -= use;
      opener.node.v = opener.node.v.slice(0, opener.n);
      closer.node.v = closer.node.v.slice(0, closer.n);
      wrap(opener.node, closer.node, closer.ch === '~' ? 'del' : use === 2 ? 'strong' : 'em');
      // Delimiters between the two can no longer match anything.
      opener.next = closer;
      closer.prev = opener;
      if (opener.n === 0) unlink(opener);
      if (closer.n === 0) {
        unlink(closer);
        closer = closer.next;
      }
    } else {
      const old = closer;
      closer = closer.next;
      openersBottom[key] = old.prev;
      if (!old.open) unlink(old);
    }
  }
  if (bottom) bottom.next = null;
  return bottom;
}
