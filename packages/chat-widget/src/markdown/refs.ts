import type { Refs } from './parse-inline.js';
import { normalizeLabel, scanDestination, scanLabel, scanTitle, skipSpaceNewline } from './scan.js';

/** After spaces and tabs, the end of a line (or of the text): the position after it, or -1. */
function lineEnd(s: string, p: number): number {
  while (s[p] === ' ' || s[p] === '\t') p++;
  return s[p] === '\n' ? p + 1 : p === s.length ? p : -1;
}

/**
 * A link reference definition (`[label]: destination "title"`) at the start of a paragraph's
 * text: records it (the first definition of a label wins) and returns how many characters it
 * took, or 0 when the text does not start with one.
 */
export function parseRefDef(s: string, refs: Refs): number {
  const labelEnd = scanLabel(s, 0);
  if (labelEnd < 0 || s[labelEnd] !== ':') return 0;
  const label = normalizeLabel(s.slice(1, labelEnd - 1));
  if (!label) return 0;
  const dest = scanDestination(s, skipSpaceNewline(s, labelEnd + 1));
  if (!dest) return 0;
  const p = skipSpaceNewline(s, dest[1]);
  const t = p > dest[1] ? scanTitle(s, p) : null;
  // A title that does not end its line is not part of the definition.
  let end = t ? lineEnd(s, t[1]) : -1;
  const title = end < 0 ? undefined : t?.[0];
  if (end < 0) end = lineEnd(s, dest[1]);
  if (end < 0) return 0;
  if (!refs.has(label)) refs.set(label, title === undefined ? { href: dest[0] } : { href: dest[0], title });
  return end;
}
