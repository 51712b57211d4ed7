import type { Block, Inline } from './ast.js';
import { type B, parseBlocks } from './block-parser.js';
import { parseInline, type Refs } from './parse-inline.js';
import { unescapeText } from './scan.js';
import { trimWs } from './table.js';

const TASK = /^\[([ xX])\][ \t]/;

function toBlocks(parent: B, refs: Refs, taskItem = false): Block[] {
  return parent.kids.map((b, i): Block => {
    switch (b.t) {
      case 'p': {
        const text = trimWs(b.text);
        // A GFM task list item: `[ ]` or `[x]` opening the item's first paragraph.
        const task = taskItem && i === 0 ? TASK.exec(text) : null;
        const c: Inline[] = parseInline(task ? text.slice(3) : text, refs);
        return { t: 'p', c: task ? [{ t: 'task', checked: task[1] !== ' ' }, ...c] : c };
      }
      case 'h':
        return { t: 'h', level: b.level!, c: parseInline(trimWs(b.text), refs) };
      case 'code':
        return { t: 'pre', lang: b.info === undefined ? '' : (unescapeText(trimWs(b.info)).split(/[ \t]/)[0] ?? ''), v: b.text };
      case 'hr':
        return { t: 'hr' };
      case 'quote':
        return { t: 'quote', c: toBlocks(b, refs) };
      case 'list': {
        const { ordered, start, tight } = b.list!;
        return { t: 'list', ordered, start, tight, items: b.kids.map((item) => toBlocks(item, refs, true)) };
      }
      default:
        return {
          t: 'table',
          align: b.align!,
          head: b.head!.map((cell) => parseInline(cell, refs)),
          rows: b.rows!.map((row) => b.head!.map((_, k) => parseInline(row[k] ?? '', refs))),
        };
    }
  });
}

/**
 * Parses markdown as CommonMark 0.31 with GFM tables, task list items, strikethrough (`~~`) and
 * extended autolinks, into a small AST: the block structure first (which also collects link
 * reference definitions), then each paragraph's inlines. Linear in the length of the input.
 * It never produces HTML: raw HTML in the source stays text.
 *
 * @example
 * parseMarkdown('# Hi\n\n- a\n- b') // [{ t: 'h', level: 1, … }, { t: 'list', … }]
 */
export function parseMarkdown(src: string): Block[] {
  const refs: Refs = new Map();
  const doc = parseBlocks(src.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD'), refs);
  return toBlocks(doc, refs);
}
