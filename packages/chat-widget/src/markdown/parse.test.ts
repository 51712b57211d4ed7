import { describe, expect, it } from 'vitest';
import type { Block, Inline } from './ast.js';
import { parseMarkdown } from './parse.js';
import { parseInline } from './parse-inline.js';

describe('parseInline', () => {
  it('parses emphasis, strong, strikethrough and code', () => {
    expect(parseInline('a *b* **c** ~~d~~ `e`')).toEqual([
      'a ',
      { t: 'em', c: ['b'] },
      ' ',
      { t: 'strong', c: ['c'] },
      ' ',
      { t: 'del', c: ['d'] },
      ' ',
      { t: 'code', v: 'e' },
    ]);
  });
  it('keeps underscores inside words as text', () => {
    expect(parseInline('snake_case_name and __init__')).toEqual(['snake_case_name and ', { t: 'strong', c: ['init'] }]);
  });
  it('parses links with nested brackets and balanced parentheses', () => {
    expect(parseInline('[see [x]](https://en.wikipedia.org/wiki/A_(b))')).toEqual([
      { t: 'a', href: 'https://en.wikipedia.org/wiki/A_(b)', c: ['see [x]'] },
    ]);
  });
  it('parses bare and angle-bracket links, leaving trailing punctuation out', () => {
    expect(parseInline('Go to https://x.org/a. Or <mailto:a@b.c>')).toEqual([
      'Go to ',
      { t: 'a', href: 'https://x.org/a', c: ['https://x.org/a'] },
      '. Or ',
      { t: 'a', href: 'mailto:a@b.c', c: ['mailto:a@b.c'] },
    ]);
  });
  it('parses images', () => {
    expect(parseInline('![a cat](https://x.org/c.png "t")')).toEqual([{ t: 'img', alt: 'a cat', src: 'https://x.org/c.png', title: 't' }]);
  });
  it('keeps raw HTML as text', () => {
    expect(parseInline('<b>hi</b><script>x</script>')).toEqual(['<b>hi</b><script>x</script>']);
  });
  it('treats escaped markers as text', () => {
    expect(parseInline(String.raw`\*not em\* \[x\]`)).toEqual(['*not em* [x]']);
  });
  it('does not let code spans contain markup', () => {
    expect(parseInline('`**x** <i>`')).toEqual([{ t: 'code', v: '**x** <i>' }]);
  });
  it('makes hard line breaks from two trailing spaces or a backslash', () => {
    expect(parseInline('a  \nb\\\nc\nd')).toEqual(['a', { t: 'br' }, 'b', { t: 'br' }, 'c\nd']);
  });
  it('leaves unclosed markers as text', () => {
    expect(parseInline('2 * 3 and **open')).toEqual(['2 * 3 and **open']);
  });
});

describe('parseMarkdown', () => {
  it('splits paragraphs on blank lines', () => {
    expect(parseMarkdown('one\ntwo\n\nthree')).toEqual([
      { t: 'p', c: ['one\ntwo'] },
      { t: 'p', c: ['three'] },
    ]);
  });
  it('parses headings, rules and quotes', () => {
    expect(parseMarkdown('## Title ##\n---\n> quoted\n> more')).toEqual([
      { t: 'h', level: 2, c: ['Title'] },
      { t: 'hr' },
      { t: 'quote', c: [{ t: 'p', c: ['quoted\nmore'] }] },
    ]);
  });
  it('parses fenced code verbatim with its language', () => {
    expect(parseMarkdown('```ts\nconst a = 1 < 2;\n\n**no**\n```\nafter')).toEqual([
      { t: 'pre', lang: 'ts', v: 'const a = 1 < 2;\n\n**no**\n' },
      { t: 'p', c: ['after'] },
    ]);
  });
  it('runs an unclosed fence to the end', () => {
    expect(parseMarkdown('~~~\ncode')).toEqual([{ t: 'pre', lang: '', v: 'code\n' }]);
  });
  it('parses tight and loose, ordered and nested lists', () => {
    expect(parseMarkdown('- a\n- b\n  - c\n\n3. x\n\n4. y')).toEqual([
      {
        t: 'list',
        ordered: false,
        start: 1,
        tight: true,
        items: [
          [{ t: 'p', c: ['a'] }],
          [
            { t: 'p', c: ['b'] },
            { t: 'list', ordered: false, start: 1, tight: true, items: [[{ t: 'p', c: ['c'] }]] },
          ],
        ],
      },
      { t: 'list', ordered: true, start: 3, tight: false, items: [[{ t: 'p', c: ['x'] }], [{ t: 'p', c: ['y'] }]] },
    ]);
  });
  it('parses GFM tables with alignment and missing cells', () => {
    expect(parseMarkdown('| a | b |\n|:--|--:|\n| 1 | `\\|` |\n| 2 |')).toEqual([
      {
        t: 'table',
        align: ['left', 'right'],
        head: [['a'], ['b']],
        rows: [
          [['1'], [{ t: 'code', v: '|' }]],
          [['2'], []],
        ],
      },
    ]);
  });
  it('bounds nesting depth for hostile input, keeping the deeper content as text', () => {
    const blockDepth = (blocks: Block[]): number =>
      Math.max(
        0,
        ...blocks.map((b) => (b.t === 'quote' ? 1 + blockDepth(b.c) : b.t === 'list' ? 1 + Math.max(0, ...b.items.map(blockDepth)) : 0)),
      );
    const inlineDepth = (nodes: Inline[]): number =>
      Math.max(0, ...nodes.map((n) => (typeof n === 'object' && 'c' in n ? 1 + inlineDepth(n.c) : 0)));
    const quotes = parseMarkdown(`${'>'.repeat(5000)} x`);
    expect(blockDepth(quotes)).toBe(16);
    expect(JSON.stringify(quotes)).toContain('x');
    const list = parseMarkdown(Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n'));
    expect(blockDepth(list)).toBeLessThanOrEqual(16);
    const emphasis = parseInline(`${'*'.repeat(5000)}a${'*'.repeat(5000)}`);
    expect(inlineDepth(emphasis)).toBeLessThanOrEqual(24);
    expect(JSON.stringify(emphasis)).toContain('a');
  });
});
