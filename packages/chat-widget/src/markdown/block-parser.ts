import type { Align } from './ast.js';
import type { Refs } from './parse-inline.js';
import { parseRefDef } from './refs.js';
import { delimiterRow, splitRow } from './table.js';

/** A block while the document is being read: containers hold `kids`, leaves collect `text`. */
export interface B {
  t: 'doc' | 'quote' | 'list' | 'item' | 'p' | 'h' | 'code' | 'hr' | 'table';
  parent: B | null;
  kids: B[];
  open: boolean;
  /** First and last line, for telling tight lists from loose ones (a gap is a blank line). */
  start: number;
  end: number;
  text: string;
  level?: number;
  fence?: string;
  fenceOffset?: number;
  info?: string;
  list?: ListData;
  align?: Align[];
  head?: string[];
  rows?: string[][];
}

interface ListData {
  ordered: boolean;
  marker: string;
  start: number;
  markerOffset: number;
  padding: number;
  tight: boolean;
}

/** Deeper nesting of quotes and lists is kept as text: bounds recursion for hostile input. */
const MAX_DEPTH = 16;
const ATX = /#{1,6}(?:[ \t]+|$)/y;
const FENCE = /`{3,}(?!.*`)|~{3,}/y;
const CLOSING_FENCE = /(`{3,}|~{3,})[ \t]*$/y;
const SETEXT = /(?:=+|-+)[ \t]*$/y;
const RULE = /(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/y;
const BULLET = /[*+-]/y;
const ORDERED = /(\d{1,9})([.)])/y;
const MAYBE_SPECIAL = /[#`~*+_=>0-9|:-]/;

const test = (re: RegExp, s: string, at: number) => {
  re.lastIndex = at;
  return re.exec(s);
};
const spaceOrTab = (c: string | undefined) => c === ' ' || c === '\t';
const canContain = (parent: B['t'], t: B['t']) =>
  parent === 'list' ? t === 'item' : (parent === 'doc' || parent === 'quote' || parent === 'item') && t !== 'item';

/**
 * CommonMark's block structure (spec appendix "A parsing strategy"), one pass over the lines:
 * each line continues the open containers it can, may open new blocks, and its rest goes to the
 * innermost open block (or lazily continues a paragraph). Linear in the input; HTML blocks are
 * not recognised (their lines are paragraphs), GFM tables are.
 */
export function parseBlocks(src: string, refs: Refs): B {
  const mk = (t: B['t'], parent: B | null, start: number): B => ({ t, parent, kids: [], open: true, start, end: start, text: '' });
  const doc = mk('doc', null, 0);
  let tip = doc;
  let oldtip = doc;
  let lastMatched = doc;
  let allClosed = true;
  let lineNo = 0;
  let line = '';
  let offset = 0;
  let column = 0;
  let nextNonspace = 0;
  let nextNonspaceColumn = 0;
  let indent = 0;
  let indented = false;
  let blank = false;
  let partialTab = false;
  let depth = 0;

  const findNextNonspace = () => {
    let i = offset;
    let cols = column;
    for (; spaceOrTab(line[i]); i++) cols += line[i] === ' ' ? 1 : 4 - (cols % 4);
    blank = i >= line.length;
    nextNonspace = i;
    nextNonspaceColumn = cols;
    indent = cols - column;
    indented = indent >= 4;
  };
  const advanceNextNonspace = () => {
    offset = nextNonspace;
    column = nextNonspaceColumn;
    partialTab = false;
  };
  // Tabs count to the next multiple of 4 columns; `columns` lets a tab be consumed in part.
  const advance = (count: number, columns = false) => {
    while (count > 0 && offset < line.length) {
      if (line[offset] === '\t') {
        const toTab = 4 - (column % 4);
        if (columns) {
          partialTab = toTab > count;
          const n = Math.min(toTab, count);
          column += n;
          offset += partialTab ? 0 : 1;
          count -= n;
        } else {
          partialTab = false;
          column += toTab;
          offset++;
          count--;
        }
      } else {
        partialTab = false;
        offset++;
        column++;
        count--;
      }
    }
  };

  const finalize = (b: B, at: number) => {
    const above = b.parent!;
    b.open = false;
    b.end = at;
    if (b.t === 'p') {
      takeRefDefs(b, refs);
      if (!/[^ \t\n]/.test(b.text)) above.kids.splice(above.kids.lastIndexOf(b), 1);
    } else if (b.t === 'code') {
      if (b.fence) {
        const nl = b.text.indexOf('\n');
        b.info = b.text.slice(0, nl);
        b.text = b.text.slice(nl + 1);
      } else {
        // Trailing blank lines are not part of indented code.
        let i = b.text.length - 1;
        while (i >= 0 && (b.text[i] === '\n' || spaceOrTab(b.text[i]))) i--;
        b.text = b.text.slice(0, b.text.indexOf('\n', i) + 1);
      }
    } else if (b.t === 'item' || b.t === 'list') {
      const last = b.kids[b.kids.length - 1];
      b.end = last ? last.end : b.start;
      if (b.t === 'list') {
        // Loose when a blank line separates two items, or two blocks inside an item.
        const gap = (list: B[]) => list.some((k, i) => i < list.length - 1 && k.end !== list[i + 1]!.start - 1);
        b.list!.tight = !gap(b.kids) && !b.kids.some((item) => gap(item.kids));
      }
    }
    if (b.t === 'quote' || b.t === 'item') depth--;
    tip = above;
  };

  const closeUnmatched = () => {
    if (allClosed) return;
    while (oldtip !== lastMatched) {
      const parent = oldtip.parent!;
      finalize(oldtip, lineNo - 1);
      oldtip = parent;
    }
    allClosed = true;
  };

  const addChild = (t: B['t']) => {
    while (!canContain(tip.t, t)) finalize(tip, lineNo - 1);
    const b = mk(t, tip, lineNo);
    tip.kids.push(b);
    tip = b;
    if (t === 'quote' || t === 'item') depth++;
    return b;
  };

  const addLine = () => {
    if (partialTab) {
      offset++;
      tip.text += ' '.repeat(4 - (column % 4));
    }
    const rest = line.slice(offset);
    if (tip.t !== 'table') tip.text += `${rest}\n`;
    else if (rest) tip.rows!.push(splitRow(rest));
  };

  /** Continues an open block with the current line: 0 matched, 1 not, 2 matched and line used up. */
  const cont = (b: B): 0 | 1 | 2 => {
    switch (b.t) {
      case 'quote':
        if (indented || line[nextNonspace] !== '>') return 1;
        advanceNextNonspace();
        advance(1);
        if (spaceOrTab(line[offset])) advance(1, true);
        return 0;
      case 'item': {
        const { markerOffset, padding } = b.list!;
        if (blank) {
          // An item can start with at most one blank line.
          if (!b.kids.length) return 1;
          advanceNextNonspace();
        } else if (indent >= markerOffset + padding) advance(markerOffset + padding, true);
        else return 1;
        return 0;
      }
      case 'code': {
        if (!b.fence) {
          if (indent >= 4) advance(4, true);
          else if (blank) advanceNextNonspace();
          else return 1;
          return 0;
        }
        const m = indent <= 3 && line[nextNonspace] === b.fence[0] && test(CLOSING_FENCE, line, nextNonspace);
        if (m && m[1]!.length >= b.fence.length) {
          finalize(b, lineNo);
          return 2;
        }
        for (let i = b.fenceOffset!; i > 0 && spaceOrTab(line[offset]); i--) advance(1, true);
        return 0;
      }
      case 'h':
      case 'hr':
        return 1;
      case 'p':
      case 'table':
        return blank ? 1 : 0;
      default:
        return 0;
    }
  };

  /** Opens a block at the current line if one starts here: 0 none, 1 a container, 2 a leaf. */
  const start = (container: B): 0 | 1 | 2 => {
    const at = nextNonspace;
    const c = line[at];
    if (!indented && c === '>' && depth < MAX_DEPTH) {
      advanceNextNonspace();
      advance(1);
      if (spaceOrTab(line[offset])) advance(1, true);
      closeUnmatched();
      addChild('quote');
      return 1;
    }
    let m = indented ? null : test(ATX, line, at);
    if (m) {
      advanceNextNonspace();
      advance(m[0].length);
      closeUnmatched();
      const h = addChild('h');
      h.level = m[0].trim().length;
      h.text = closingHashes(line.slice(offset));
      advance(line.length - offset);
      return 2;
    }
    m = indented ? null : test(FENCE, line, at);
    if (m) {
      closeUnmatched();
      const code = addChild('code');
      code.fence = m[0];
      code.fenceOffset = indent;
      advanceNextNonspace();
      advance(m[0].length);
      return 2;
    }
    m = !indented && container.t === 'p' ? test(SETEXT, line, at) : null;
    if (m) {
      closeUnmatched();
      takeRefDefs(container, refs);
      if (container.text) {
        const h = mk('h', container.parent, container.start);
        h.level = m[0][0] === '=' ? 1 : 2;
        h.text = container.text;
        const kids = container.parent!.kids;
        kids[kids.lastIndexOf(container)] = h;
        tip = h;
        advance(line.length - offset);
        return 2;
      }
    }
    const align = !indented && container.t === 'p' ? delimiterRow(line.slice(at)) : null;
    if (align) {
      const cut = container.text.lastIndexOf('\n', container.text.length - 2);
      const head = splitRow(container.text.slice(cut + 1));
      if (head.length === align.length) {
        closeUnmatched();
        container.text = container.text.slice(0, cut + 1);
        const table = addChild('table');
        Object.assign(table, { align, head, rows: [] });
        advance(line.length - offset);
        return 2;
      }
    }
    if (!indented && test(RULE, line, at)) {
      closeUnmatched();
      addChild('hr');
      advance(line.length - offset);
      return 2;
    }
    const list = (!indented || container.t === 'list') && depth < MAX_DEPTH ? listMarker(container) : null;
    if (list) {
      closeUnmatched();
      const data = tip.t === 'list' ? tip.list! : null;
      if (!data || data.ordered !== list.ordered || data.marker !== list.marker) addChild('list').list = list;
      addChild('item').list = list;
      return 1;
    }
    if (indented && tip.t !== 'p' && !blank) {
      advance(4, true);
      closeUnmatched();
      addChild('code');
      return 2;
    }
    return 0;
  };

  const listMarker = (container: B): ListData | null => {
    if (indent >= 4) return null;
    const at = nextNonspace;
    const bullet = test(BULLET, line, at);
    const ordered = bullet ? null : test(ORDERED, line, at);
    const m = bullet ?? ordered;
    // Only a list starting at 1 can interrupt a paragraph, and not with an empty item.
    if (!m || (ordered && container.t === 'p' && ordered[1] !== '1')) return null;
    const after = line[at + m[0].length];
    if (after !== undefined && !spaceOrTab(after)) return null;
    if (container.t === 'p' && !/[^ \t]/.test(line.slice(at + m[0].length))) return null;
    const data: ListData = {
      ordered: !!ordered,
      marker: ordered ? ordered[2]! : m[0],
      start: ordered ? Number(ordered[1]) : 1,
      markerOffset: indent,
      padding: 0,
      tight: true,
    };
    advanceNextNonspace();
    advance(m[0].length, true);
    const col = column;
    const off = offset;
    do advance(1, true);
    while (column - col < 5 && spaceOrTab(line[offset]));
    const spaces = column - col;
    // Five or more spaces after the marker: the item starts with indented code, one space belongs to the marker.
    if (spaces >= 5 || spaces < 1 || line[offset] === undefined) {
      data.padding = m[0].length + 1;
      column = col;
      offset = off;
      partialTab = false;
      if (spaceOrTab(line[offset])) advance(1, true);
    } else data.padding = m[0].length + spaces;
    return data;
  };

  const incorporate = (text: string) => {
    let container = doc;
    oldtip = tip;
    offset = column = 0;
    blank = partialTab = false;
    lineNo++;
    line = text;
    for (let last = container.kids.at(-1); last?.open; last = container.kids.at(-1)) {
      findNextNonspace();
      const r = cont(last);
      if (r === 2) return;
      if (r === 1) break;
      container = last;
    }
    allClosed = container === oldtip;
    lastMatched = container;
    let leaf = container.t === 'code';
    while (!leaf) {
      findNextNonspace();
      if (!indented && !MAYBE_SPECIAL.test(line[nextNonspace] ?? '')) {
        advanceNextNonspace();
        break;
      }
      const r = start(container);
      if (!r) {
        advanceNextNonspace();
        break;
      }
      container = tip;
      leaf = r === 2;
    }
    if (!allClosed && !blank && tip.t === 'p') addLine();
    else {
      closeUnmatched();
      if (container.t === 'code' || container.t === 'table' || container.t === 'p') addLine();
      else if (offset < line.length && !blank) {
        addChild('p');
        advanceNextNonspace();
        addLine();
      }
    }
  };

  const lines = src.split('\n');
  if (src.endsWith('\n')) lines.pop();
  for (const l of lines) incorporate(l);
  while (tip !== doc) finalize(tip, lineNo);
  return doc;
}

/** Link reference definitions at the start of a paragraph go to `refs`, out of its text. */
function takeRefDefs(p: B, refs: Refs) {
  while (p.text[0] === '[') {
    const n = parseRefDef(p.text, refs);
    if (!n) return;
    p.text = p.text.slice(n);
  }
}

/** An ATX heading's text without its closing `#`s (by index: a trailing-run regex is quadratic). */
function closingHashes(s: string): string {
  let end = s.length;
  while (end > 0 && spaceOrTab(s[end - 1])) end--;
  let h = end;
  while (h > 0 && s[h - 1] === '#') h--;
  if (h < end && (h === 0 || spaceOrTab(s[h - 1]))) end = h;
  return s.slice(0, end);
}
