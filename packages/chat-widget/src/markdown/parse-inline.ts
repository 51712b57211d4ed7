import type { Inline } from './ast.js';

type Rule = [RegExp, (m: RegExpExecArray, prev: string) => Inline | undefined];

// Link destinations allow one level of balanced parentheses: [x](https://en.wikipedia.org/wiki/A_(b)).
const DEST = String.raw`\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)`;

const rules: Rule[] = [
  [/^\\([!-/:-@[-`{-~])/, (m) => m[1]],
  [/^(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/, (m) => ({ t: 'code', v: m[2]!.replace(/\n/g, ' ').replace(/^ (.*) $/, '$1') })],
  [/^<((?:https?|mailto):[^\s<>]+)>/i, (m) => ({ t: 'a', href: m[1]!, c: [m[1]!] })],
  [new RegExp(String.raw`^!\[([^\]]*)\]` + DEST), (m) => ({ t: 'img', alt: m[1]!, src: m[2]! })],
  [new RegExp(String.raw`^\[((?:\[[^\]]*\]|[^[\]])*)\]` + DEST), (m) => ({ t: 'a', href: m[2]!, c: parseInline(m[1]!) })],
  [/^(\*\*|__)(?=\S)([\s\S]*?[^\s\\])\1(?!\*)/, (m, prev) => (m[1] === '__' && /\w/.test(prev) ? undefined : { t: 'strong', c: parseInline(m[2]!) })],
  [/^~~(?=\S)([\s\S]*?\S)~~/, (m) => ({ t: 'del', c: parseInline(m[1]!) })],
  [/^([*_])(?=[^\s*_])([\s\S]*?[^\s\\])\1(?!\1)/, (m, prev) => (m[1] === '_' && /\w/.test(prev) ? undefined : { t: 'em', c: parseInline(m[2]!) })],
  [/^(?:https?:\/\/|mailto:)[^\s<>]*[^\s<>.,:;"')\]!?*_~]/i, (m, prev) => (/\w/.test(prev) ? undefined : { t: 'a', href: m[0], c: [m[0]] })],
  [/^(?: {2,}|\\)\n/, () => ({ t: 'br' })],
];

// Characters that may start a rule; everything else is consumed as plain text in one go.
const PLAIN = /^[^\\`<![*_~hHmM \n]+/;

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
    const rest = src.slice(i);
    const prev = i > 0 ? src[i - 1]! : ' ';
    for (const [re, make] of rules) {
      const m = re.exec(rest);
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
    const plain = PLAIN.exec(rest);
    const step = plain ? plain[0].length : 1;
    text += src.slice(i, i + step);
    i += step;
  }
  flush();
  return out;
}
