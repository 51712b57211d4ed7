import type { Inline } from './ast.js';

/** The characters a match can start with, the sticky regex, and the node it makes. */
type Rule = [string, RegExp, (m: RegExpExecArray, prev: string) => Inline | undefined];

// Link destinations allow one level of balanced parentheses: [x](https://en.wikipedia.org/wiki/A_(b)).
const DEST = String.raw`\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)`;

const rules: Rule[] = [
  ['\\', /\\([!-/:-@[-`{-~])/y, (m) => m[1]],
  ['`', /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/y, (m) => ({ t: 'code', v: m[2]!.replace(/\n/g, ' ').replace(/^ (.*) $/, '$1') })],
  ['<', /<((?:https?|mailto):[^\s<>]+)>/iy, (m) => ({ t: 'a', href: m[1]!, c: [m[1]!] })],
  ['!', new RegExp(String.raw`!\[([^\]]*)\]` + DEST, 'y'), (m) => ({ t: 'img', alt: m[1]!, src: m[2]! })],
  ['[', new RegExp(String.raw`\[((?:\[[^\]]*\]|[^[\]])*)\]` + DEST, 'y'), (m) => ({ t: 'a', href: m[2]!, c: parseInline(m[1]!) })],
  [
    '*_',
    /(\*\*|__)(?=\S)([\s\S]*?[^\s\\])\1(?!\*)/y,
    (m, prev) => (m[1] === '__' && /\w/.test(prev) ? undefined : { t: 'strong', c: parseInline(m[2]!) }),
  ],
  ['~', /~~(?=\S)([\s\S]*?\S)~~/y, (m) => ({ t: 'del', c: parseInline(m[1]!) })],
  [
    '*_',
    /([*_])(?=[^\s*_])([\s\S]*?[^\s\\])\1(?!\1)/y,
    (m, prev) => (m[1] === '_' && /\w/.test(prev) ? undefined : { t: 'em', c: parseInline(m[2]!) }),
  ],
  [
    'hHmM',
    /(?:https?:\/\/|mailto:)[^\s<>]*[^\s<>.,:;"')\]!?*_~]/iy,
    (m, prev) => (/\w/.test(prev) ? undefined : { t: 'a', href: m[0], c: [m[0]] }),
  ],
  [' \\', /(?: {2,}|\\)\n/y, () => ({ t: 'br' })],
];

// Sticky (`y`) regexes match at `lastIndex` without slicing the rest of the text at every step.
// Characters that may start a rule; everything else is consumed as plain text in one go.
const PLAIN = /(?:[^\\`<![*_~hHmM \n]| (?! +\n))+/y;

/**
 * Parses inline markdown into a tree of plain strings and elements. Raw HTML is not recognised:
 * it stays text, so it can never become markup.
 *
 * @example
 * parseInline('**hi** `x`') // [{ t: 'strong', c: ['hi'] }, ' ', { t: 'code', v: 'x' }]
 */
export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  let i = 0;
  const flush = () => {
    if (text) out.push(text);
    text = '';
  };
  outer: while (i < src.length) {
    const prev = i > 0 ? src[i - 1]! : ' ';
    for (const [first, re, make] of rules) {
      if (!first.includes(src[i]!)) continue;
      re.lastIndex = i;
      const m = re.exec(src);
      if (!m) continue;
      const node = make(m, prev);
      if (node === undefined) continue;
      if (typeof node === 'string') text += node;
      else {
        flush();
        out.push(node);
      }
      i += m[0].length;
      continue outer;
    }
    PLAIN.lastIndex = i;
    const plain = PLAIN.exec(src);
    const step = plain ? plain[0].length : 1;
    text += src.slice(i, i + step);
    i += step;
  }
  flush();
  return out;
}
