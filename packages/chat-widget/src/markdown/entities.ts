// Named character references. The HTML5 table has 2,125 names (about 9 KB brotli), more than
// the whole parser, so only the ones replies use are built in; the rest are decoded by the
// browser's own HTML tokenizer (see `decodeNamed`), and stay literal where there is no DOM.
const COMMON: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  bull: '•',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  euro: '€',
  pound: '£',
  sect: '§',
  rarr: '→',
  larr: '←',
  le: '≤',
  ge: '≥',
  ne: '≠',
};

const decoded = new Map<string, string | null>();

/**
 * The text of `&name;`, or null when it is not an HTML5 character reference. A name outside the
 * built-in set is given to an inert `DOMParser` document as exactly `&name;` (the name is
 * letters and digits only, so nothing but one reference can be parsed); the answer is cached.
 */
function decodeNamed(name: string): string | null {
  if (name in COMMON) return COMMON[name]!;
  let text = decoded.get(name);
  if (text === undefined) {
    text = null;
    if (typeof DOMParser !== 'undefined') {
      const out = new DOMParser().parseFromString(`&${name};`, 'text/html').body.textContent ?? '';
      // The tokenizer also knows legacy names without `;` (`&notit;` → `¬it;`): only a whole match counts.
      if (out.length <= 2 && out !== `&${name};`) text = out;
    }
    decoded.set(name, text);
  }
  return text;
}

/** `&…;` references: named, decimal, hexadecimal. */
export const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]{0,31}));/;

/** The text of a reference matched by {@link ENTITY}, or null to keep it literal. */
export function decodeEntity(m: RegExpExecArray | RegExpMatchArray): string | null {
  if (m[3]) return decodeNamed(m[3]);
  const code = Number.parseInt(m[1] ?? m[2]!, m[1] ? 16 : 10);
  // NUL, surrogates and values past Unicode become U+FFFD, as HTML does.
  return String.fromCodePoint(code === 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff ? 0xfffd : code);
}
