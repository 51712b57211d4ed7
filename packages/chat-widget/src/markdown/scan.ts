import { decodeEntity, ENTITY } from './entities.js';

// Scanners shared by the block parser (link reference definitions, info strings) and the inline
// parser (inline links). Each reads `s` from `pos` and returns where it stopped, or -1.

/** ASCII punctuation: what a backslash can escape. */
export const PUNCT = /[!-/:-@[-`{-~]/;
const UNESCAPE = new RegExp(String.raw`\\([!-/:-@[-\`{-~])|${ENTITY.source}`, 'g');

/** Backslash escapes and character references resolved (destinations, titles, info strings). */
export function unescapeText(s: string): string {
  return s.includes('\\') || s.includes('&')
    ? s.replace(UNESCAPE, (all, esc: string | undefined, ...m) => esc ?? decodeEntity([all, ...m]) ?? all)
    : s;
}

/** A link label as references are matched: case-folded, inner whitespace collapsed. */
export const normalizeLabel = (label: string) =>
  label
    .trim()
    .replace(/[ \t\r\n]+/g, ' ')
    .toLowerCase()
    .toUpperCase();

/** Spaces or tabs, then at most one line ending, then spaces or tabs. */
export function skipSpaceNewline(s: string, pos: number): number {
  while (s[pos] === ' ' || s[pos] === '\t') pos++;
  if (s[pos] === '\n') pos++;
  while (s[pos] === ' ' || s[pos] === '\t') pos++;
  return pos;
}

/** `[label]` starting at `pos` (at most 999 characters inside, no unescaped brackets): its end, or -1. */
export function scanLabel(s: string, pos: number): number {
  if (s[pos] !== '[') return -1;
  const end = Math.min(s.length, pos + 1001);
  for (let i = pos + 1; i < end; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') return -1;
    else if (c === ']') return i + 1;
  }
  return -1;
}

/** A link destination: `<…>` or raw with balanced parentheses. Returns [destination, end] or null. */
export function scanDestination(s: string, pos: number): [string, number] | null {
  if (s[pos] === '<') {
    for (let i = pos + 1; i < s.length; i++) {
      const c = s[i];
      if (c === '\\' && PUNCT.test(s[i + 1] ?? '')) i++;
      else if (c === '>') return [unescapeText(s.slice(pos + 1, i)), i + 1];
      else if (c === '<' || c === '\n') return null;
    }
    return null;
  }
  let depth = 0;
  let i = pos;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && PUNCT.test(s[i + 1] ?? '')) i++;
    else if (c === '(') {
      // Nesting is bounded, as in cmark, so a run of `(` cannot make every later link rescan it.
      if (++depth > 32) return null;
    } else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (c <= ' ' || c === '\x7f') break;
  }
  if (i === pos || depth !== 0) return null;
  return [unescapeText(s.slice(pos, i)), i];
}

/** A link title in `"…"`, `'…'` or `(…)`, possibly over several lines (paragraph text has no blank lines). Returns [title, end] or null. */
export function scanTitle(s: string, pos: number): [string, number] | null {
  const open = s[pos];
  const close = open === '(' ? ')' : open;
  if (open !== '"' && open !== "'" && open !== '(') return null;
  for (let i = pos + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && PUNCT.test(s[i + 1] ?? '')) i++;
    else if (c === close) return [unescapeText(s.slice(pos + 1, i)), i + 1];
    else if (open === '(' && c === '(') return null;
  }
  return null;
}
