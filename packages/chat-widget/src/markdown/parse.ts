import type { Align, Block } from './ast.js';
import { parseInline } from './parse-inline.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( {0,3})([-*+]|(\d{1,9})[.)])([ \t]+|$)/;
const DELIM = /^ *\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$/;
const BLANK = /^\s*$/;
/** Deeper nesting of quotes and lists is kept as text: bounds recursion for hostile input. */
const MAX_DEPTH = 12;

const startsBlock = (line: string) => FENCE.test(line) || HEADING.test(line) || HR.test(line) || QUOTE.test(line) || ITEM.test(line);

function cells(row: string): string[] {
  const s = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return s.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

function parseBlocks(lines: string[], depth: number): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      i = parseFence(lines, i, fence, out);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ t: 'h', level: heading[1]!.length, c: parseInline(heading[2] ?? '') });
      i++;
    } else if (HR.test(line)) {
      out.push({ t: 'hr' });
      i++;
    } else if (depth < MAX_DEPTH && QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(lines[i++]!.replace(QUOTE, ''));
      out.push({ t: 'quote', c: parseBlocks(body, depth + 1) });
    } else if (depth < MAX_DEPTH && ITEM.test(line)) {
      i = parseList(lines, i, depth, out);
    } else if (line.includes('|') && i + 1 < lines.length && DELIM.test(lines[i + 1]!) && lines[i + 1]!.includes('-')) {
      const head = cells(line);
      const align: Align[] = cells(lines[i + 1]!).map((c) =>
        c.startsWith(':') ? (c.endsWith(':') ? 'center' : 'left') : c.endsWith(':') ? 'right' : null,
      );
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && !BLANK.test(lines[i]!) && lines[i]!.includes('|')) rows.push(cells(lines[i++]!));
      out.push({
        t: 'table',
        align: head.map((_, k) => align[k] ?? null),
        head: head.map((c) => parseInline(c)),
        rows: rows.map((r) => head.map((_, k) => parseInline(r[k] ?? ''))),
      });
    } else {
      const body = [line];
      i++;
      while (i < lines.length && !BLANK.test(lines[i]!) && !startsBlock(lines[i]!)) body.push(lines[i++]!);
      out.push({
        t: 'p',
        c: parseInline(
          body
            .map((l) => l.replace(/^ +/, ''))
            .join('\n')
            .trimEnd(),
        ),
      });
    }
  }
  return out;
}

/** A fenced code block starting at `start`; returns the index after its closing fence. */
function parseFence(lines: string[], start: number, open: RegExpExecArray, out: Block[]): number {
  const fence = open[1]!;
  const line = lines[start]!;
  const indent = line.length - line.trimStart().length;
  const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
  const body: string[] = [];
  let i = start + 1;
  while (i < lines.length && !close.test(lines[i]!)) {
    body.push(lines[i]!.replace(new RegExp(`^ {0,${indent}}`), ''));
    i++;
  }
  out.push({ t: 'pre', lang: open[2]!, v: body.join('\n') });
  return i + 1;
}

function parseList(lines: string[], start: number, depth: number, out: Block[]): number {
  const first = ITEM.exec(lines[start]!)!;
  const ordered = !!first[3];
  const marker = ordered ? first[2]!.slice(-1) : first[2]!;
  const items: Block[][] = [];
  let tight = true;
  let i = start;
  const sameList = (m: RegExpExecArray | null): m is RegExpExecArray =>
    !!m && !!m[3] === ordered && (ordered ? m[2]!.slice(-1) : m[2]) === marker;
  while (i < lines.length) {
    const m = ITEM.exec(lines[i]!);
    if (!sameList(m)) break;
    const width = m[0].length === lines[i]!.length ? m[1]!.length + m[2]!.length + 1 : m[0].length;
    const body = [lines[i]!.slice(m[0].length)];
    i++;
    let sawBlank = false;
    while (i < lines.length) {
      const l = lines[i]!;
      if (BLANK.test(l)) {
        sawBlank = true;
        body.push('');
        i++;
        continue;
      }
      const indent = l.length - l.trimStart().length;
      if (indent >= width) body.push(l.slice(width));
      else if (!sawBlank && !startsBlock(l))
        body.push(l.trimStart()); // lazy continuation
      else break;
      sawBlank = false;
      i++;
    }
    while (body.length && body[body.length - 1] === '') body.pop();
    if (body.includes('')) tight = false;
    items.push(parseBlocks(body, depth + 1));
    if (sawBlank && i < lines.length && sameList(ITEM.exec(lines[i]!))) tight = false;
  }
  out.push({ t: 'list', ordered, start: ordered ? Number(first[3]) : 1, tight, items });
  return i;
}

/**
 * Parses the markdown an assistant writes (CommonMark's common subset plus GFM tables,
 * strikethrough and bare links) into a small AST. It never produces HTML: raw HTML in the
 * source stays text.
 *
 * @example
 * parseMarkdown('# Hi\n\n- a\n- b') // [{ t: 'h', level: 1, … }, { t: 'list', … }]
 */
export function parseMarkdown(src: string): Block[] {
  return parseBlocks(src.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n'), 0);
}
