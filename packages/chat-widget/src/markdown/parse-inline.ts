import type { Inline } from './ast.js';
import { findUrl } from './autolink.js';
import { type Delim, processEmphasis } from './emphasis.js';
import { decodeEntity, ENTITY } from './entities.js';
import { adopt, type Node, node, toInlines } from './inline-tree.js';
import { normalizeLabel, PUNCT, scanDestination, scanLabel, scanTitle, skipSpaceNewline } from './scan.js';

/** Link reference definitions by normalised label. */
export type Refs = Map<string, { href: string; title?: string }>;

/** An open `[` or `![` waiting for its `]`. */
interface Bracket {
  node: Node;
  image: boolean;
  /** Where the link text starts. */
  index: number;
  prev: Bracket | null;
  delims: Delim | null;
  active: boolean;
  /** Another bracket opened after this one: then it cannot be a shortcut reference. */
  bracketAfter: boolean;
}

// Characters that may start something; everything else is taken as plain text in one go.
const TEXT = /[^\n\\`*_~[\]!<&]+/y;
const AUTOLINK = /<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\0- ]*)>/y;
const EMAIL_AUTOLINK =
  /<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/y;
const ENTITY_AT = new RegExp(ENTITY.source, 'y');
const SPACE = /\s/;
const PUNCTUATION = /[\p{P}\p{S}]/u;

/** The character before `i` (a whole surrogate pair) or a newline at the start. */
const charBefore = (s: string, i: number) => (i <= 0 ? '\n' : /[\udc00-\udfff]/.test(s[i - 1]!) && i > 1 ? s.slice(i - 2, i) : s[i - 1]!);
const charAt = (s: string, i: number) => (i >= s.length ? '\n' : String.fromCodePoint(s.codePointAt(i)!));

/**
 * Parses a paragraph's (heading's, cell's) text into inline nodes as CommonMark and GFM define
 * them: code spans, emphasis by the delimiter-stack algorithm, links and images (inline and
 * reference), autolinks including GFM's `www.` and bare URLs and emails, entities, escapes and
 * breaks. Linear in the length of the text. Raw HTML is not recognised: it stays text.
 *
 * @example
 * parseInline('**hi** `x`') // [{ t: 'strong', c: ['hi'] }, ' ', { t: 'code', v: 'x' }]
 */
export function parseInline(src: string, refs: Refs = new Map()): Inline[] {
  const root = node('em');
  root.first = root.last = null;
  let pos = 0;
  let delims: Delim | null = null;
  let brackets: Bracket | null = null;
  // Backtick runs by length, found once, so each code span looks up its closer in O(1).
  let ticks: Map<number, number[]> | undefined;
  const tickSeen = new Map<number, number>();

  const append = (n: Node) => {
    if (root.last) root.last.next = n;
    else root.first = n;
    root.last = n;
    return n;
  };
  const text = (v: string) => append(node('text', v));
  const wrap = (opener: Node, closer: Node, kind: Node['k']) => adopt(opener, closer, node(kind));

  const closeBracket = () => {
    const start = pos++;
    const opener = brackets;
    if (!opener?.active) {
      if (opener) brackets = opener.prev;
      text(']');
      return;
    }
    const after = pos;
    let href: string | undefined;
    let title: string | undefined;
    if (src[pos] === '(') {
      let p = skipSpaceNewline(src, pos + 1);
      const dest = src[p] === ')' ? (['', p] as const) : scanDestination(src, p);
      if (dest) {
        p = skipSpaceNewline(src, dest[1]);
        const t = p > dest[1] ? scanTitle(src, p) : null;
        if (t) p = skipSpaceNewline(src, t[1]);
        if (src[p] === ')') {
          href = dest[0];
          title = t?.[0];
          pos = p + 1;
        }
      }
    }
    if (href === undefined && refs.size) {
      const end = scanLabel(src, pos);
      let label: string | undefined;
      if (end > pos + 2) label = src.slice(pos + 1, end - 1);
      else if (!opener.bracketAfter && start - opener.index <= 999) label = src.slice(opener.index, start);
      const ref = label === undefined ? undefined : refs.get(normalizeLabel(label));
      if (ref) {
        ({ href, title } = ref);
        if (end !== -1) pos = end;
      } else pos = after;
    }
    brackets = opener.prev;
    if (href === undefined) {
      text(']');
      return;
    }
    const link = node(opener.image ? 'img' : 'a');
    link.href = href;
    link.title = title;
    // Emphasis inside the link text is settled first; delimiters there cannot pair with outer ones.
    delims = processEmphasis(delims, opener.delims, wrap);
    adopt(opener.node, null, link, root);
    opener.node.v = '';
    if (!opener.image) {
      // No links inside links: earlier `[` can no longer make one. Stopping at the first one
      // already inactive keeps this linear (everything below it was deactivated with it).
      for (let b = brackets; b; b = b.prev) {
        if (!b.image) {
          if (!b.active) break;
          b.active = false;
        }
      }
    }
  };

  const delimRun = () => {
    const start = pos;
    const ch = src[pos]!;
    while (src[pos] === ch) pos++;
    const n = pos - start;
    const before = charBefore(src, start);
    const after = charAt(src, pos);
    const left = !SPACE.test(after) && (!PUNCTUATION.test(after) || SPACE.test(before) || PUNCTUATION.test(before));
    const right = !SPACE.test(before) && (!PUNCTUATION.test(before) || SPACE.test(after) || PUNCTUATION.test(after));
    const open = ch === '_' ? left && (!right || PUNCTUATION.test(before)) : left;
    const close = ch === '_' ? right && (!left || PUNCTUATION.test(after)) : right;
    const n0 = text(src.slice(start, pos));
    // Strikethrough is `~~` only: a single `~` means "about" in replies ("~5 minutes").
    if ((open || close) && (ch !== '~' || n === 2)) {
      const d: Delim = { node: n0, ch, n, orig: n, open, close, prev: delims, next: null };
      if (delims) delims.next = d;
      delims = d;
    }
  };

  const codeSpan = () => {
    const start = pos;
    while (src[pos] === '`') pos++;
    const n = pos - start;
    if (!ticks) {
      ticks = new Map();
      for (const m of src.matchAll(/`+/g)) {
        const list = ticks.get(m[0].length) ?? [];
        list.push(m.index);
        ticks.set(m[0].length, list);
      }
    }
    const list = ticks.get(n) ?? [];
    let k = tickSeen.get(n) ?? 0;
    while (k < list.length && list[k]! < pos) k++;
    tickSeen.set(n, k);
    const close = list[k];
    if (close === undefined) {
      text(src.slice(start, pos));
      return;
    }
    let v = src.slice(pos, close).replace(/\n/g, ' ');
    if (/^ .*[^ ].* $/s.test(v)) v = v.slice(1, -1);
    const code = append(node('code', v));
    code.depth = 0;
    pos = close + n;
  };

  const lineBreak = () => {
    pos++;
    const last = root.last;
    if (last?.k === 'text' && last.v.endsWith(' ')) {
      const hard = last.v.endsWith('  ');
      last.v = last.v.replace(/ +$/, '');
      if (hard) append(node('br'));
      else text('\n');
    } else text('\n');
    while (src[pos] === ' ') pos++;
  };

  while (pos < src.length) {
    const c = src[pos]!;
    if (c === '\n') lineBreak();
    else if (c === '\\') {
      if (src[pos + 1] === '\n') {
        pos += 2;
        append(node('br'));
        while (src[pos] === ' ') pos++;
      } else if (PUNCT.test(src[pos + 1] ?? '')) {
        text(src[pos + 1]!);
        pos += 2;
      } else text(src[pos++]!);
    } else if (c === '`') codeSpan();
    else if (c === '*' || c === '_' || c === '~') delimRun();
    else if (c === '[' || (c === '!' && src[pos + 1] === '[')) {
      const image = c === '!';
      pos += image ? 2 : 1;
      if (brackets) brackets.bracketAfter = true;
      brackets = { node: text(image ? '![' : '['), image, index: pos, prev: brackets, delims, active: true, bracketAfter: false };
    } else if (c === ']') closeBracket();
    else if (c === '<') {
      AUTOLINK.lastIndex = EMAIL_AUTOLINK.lastIndex = pos;
      const m = AUTOLINK.exec(src);
      const e = m ? null : EMAIL_AUTOLINK.exec(src);
      if (m || e) {
        const link = append(node('a', (m ?? e)![1]));
        link.href = m ? m[1] : `mailto:${e![1]}`;
        link.first = link.last = node('text', link.v);
        link.depth = 1;
        pos += (m ?? e)![0].length;
      } else text(src[pos++]!);
    } else if (c === '&') {
      ENTITY_AT.lastIndex = pos;
      const m = ENTITY_AT.exec(src);
      const decoded = m && decodeEntity(m);
      text(decoded ?? '&');
      pos += decoded ? m![0].length : 1;
    } else {
      TEXT.lastIndex = pos;
      const run = TEXT.exec(src);
      const end = run ? pos + run[0].length : pos + 1;
      const url = findUrl(src, pos, end);
      if (url) {
        if (url[0] > pos) text(src.slice(pos, url[0]));
        const link = append(node('a', src.slice(url[0], url[1])));
        link.href = url[2];
        link.auto = true;
        pos = url[1];
      } else {
        text(src.slice(pos, end));
        pos = end;
      }
    }
  }
  processEmphasis(delims, null, wrap);
  return toInlines(root);
}
