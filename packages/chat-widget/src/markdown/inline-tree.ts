import type { Inline } from './ast.js';
import { linkEmails } from './autolink.js';

/**
 * The inline parser's working tree: siblings in a linked list, so wrapping the nodes between
 * two delimiters into an emphasis (or the rest of a paragraph into a link) is O(1) relinking,
 * not an array splice that would shift everything after it.
 */
export interface Node {
  k: 'text' | 'em' | 'strong' | 'del' | 'code' | 'a' | 'img' | 'br';
  /** Text, code, or an extended autolink's text. */
  v: string;
  href?: string;
  title?: string;
  /** An extended autolink (`www.…`): plain text again inside another link. */
  auto?: boolean;
  first?: Node | null;
  last?: Node | null;
  next: Node | null;
  /** Nesting below this node; deeper content is flattened to text when converted. */
  depth: number;
}

/** Deeper inline nesting is rendered as its text: bounds recursion for hostile input. */
const MAX_DEPTH = 24;

export const node = (k: Node['k'], v = ''): Node => ({ k, v, next: null, depth: 0 });

/** Moves the siblings after `from` up to (not including) `to` into `parent`, which takes their place. */
export function adopt(from: Node, to: Node | null, parent: Node, tailOf?: Node): void {
  let depth = 0;
  let last: Node | null = null;
  for (let n = from.next; n && n !== to; n = n.next) {
    if (n.depth > depth) depth = n.depth;
    last = n;
  }
  parent.first = last ? from.next : null;
  parent.last = last;
  parent.depth = depth + 1;
  if (last) last.next = null;
  parent.next = to;
  from.next = parent;
  if (tailOf && !to) tailOf.last = parent;
}

/** Plain text of a subtree (image descriptions, flattened deep nesting), without recursion. */
export function plainText(root: Node): string {
  let out = '';
  const stack: (Node | null)[] = [root.first ?? null];
  while (stack.length) {
    const n = stack.pop();
    if (!n) continue;
    stack.push(n.next);
    if (n.k === 'br') out += '\n';
    else if (n.first !== undefined) stack.push(n.first);
    else out += n.v;
  }
  return out;
}

/** The finished inline AST: adjacent text merged, emails linked outside links. */
export function toInlines(parent: Node, inLink = false, level = 0): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push(...(inLink ? [text] : linkEmails(text)));
    text = '';
  };
  for (let n = parent.first ?? null; n; n = n.next) {
    if (n.k === 'text' || (n.auto && inLink)) {
      text += n.v;
      continue;
    }
    if (n.first !== undefined && level + n.depth > MAX_DEPTH) {
      text += plainText(n);
      continue;
    }
    flush();
    if (n.k === 'code') out.push({ t: 'code', v: n.v });
    else if (n.k === 'br') out.push({ t: 'br' });
    else if (n.k === 'img') out.push({ t: 'img', src: n.href!, alt: plainText(n), ...(n.title ? { title: n.title } : {}) });
    else if (n.k === 'a')
      out.push({ t: 'a', href: n.href!, ...(n.title ? { title: n.title } : {}), c: n.auto ? [n.v] : toInlines(n, true, level + 1) });
    else out.push({ t: n.k, c: toInlines(n, inLink, level + 1) });
  }
  flush();
  return out;
}
