import type { Align } from './ast.js';

/** Spaces, tabs and line breaks off both ends, by index: a trimming regex is quadratic on long runs. */
export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === ' ' || s[a] === '\t' || s[a] === '\n')) a++;
  while (b > a && (s[b - 1] === ' ' || s[b - 1] === '\t' || s[b - 1] === '\n')) b--;
  return s.slice(a, b);
}

/** The cells of a GFM table row: outer pipes optional, `\|` is a pipe inside a cell. */
export function splitRow(row: string): string[] {
  let s = trimWs(row);
  if (s[0] === '|') s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cell += s[i + 1] === '|' ? '|' : c + s[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(trimWs(cell));
      cell = '';
    } else cell += c;
  }
  cells.push(trimWs(cell));
  return cells;
}

/** The alignments of a delimiter row (`| :-- | --: |`), or null when the line is not one. */
export function delimiterRow(line: string): Align[] | null {
  if (!/^[|:\- \t]+$/.test(line) || !line.includes('-')) return null;
  const cells = splitRow(line);
  if (!cells.every((c) => /^:?-+:?$/.test(c))) return null;
  // Without a pipe a single `---` is a setext underline or a rule, never a table.
  if (cells.length === 1 && !line.includes('|')) return null;
  return cells.map((c) => (c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : c.startsWith(':') ? 'left' : null));
}
