import { afterEach, describe, expect, it, vi } from 'vitest';
import { xssVectors } from '../../test/fixtures/xss-vectors.js';
import { highlight } from './highlight/lowlight.js';
import { renderMarkdown } from './render-dom.js';

const html = (source: string, options = {}) => {
  const div = document.createElement('div');
  div.append(renderMarkdown(source, options));
  return div;
};

describe('renderMarkdown', () => {
  afterEach(() => vi.restoreAllMocks());

  it('builds the same structure as the widget: blocks, inlines, tables, tasks', () => {
    const div = html(
      '# Title\n\nHello *world* **bold** `code`\n\n- [x] done\n- two\n\n3. three\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n> quote\n\n---',
    );
    expect(div.querySelector('h1')?.textContent).toBe('Title');
    expect(div.querySelector('p em')?.textContent).toBe('world');
    expect(div.querySelector('p strong')?.textContent).toBe('bold');
    expect(div.querySelector('p code')?.textContent).toBe('code');
    expect(div.querySelector('li > label > input[type=checkbox]:checked:disabled')).not.toBeNull();
    expect(div.querySelector('ol')?.getAttribute('start')).toBe('3');
    expect((div.querySelector('td:last-child') as HTMLElement).style.textAlign).toBe('right');
    expect(div.querySelector('blockquote p')?.textContent).toBe('quote');
    expect(div.querySelector('hr')).not.toBeNull();
  });

  it('keeps only http(s) and mailto links, opening in a new tab, and does not load images', () => {
    const div = html('[a](https://x.org/a "T") [b](javascript:alert(1)) [c](/rel) ![cat](https://x.org/c.png)');
    const links = [...div.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://x.org/a', 'https://x.org/c.png']);
    expect(links[0]!.getAttribute('title')).toBe('T');
    expect(links.every((a) => a.target === '_blank' && a.rel === 'noopener noreferrer')).toBe(true);
    expect(links[1]!.textContent).toBe('Image: cat');
    expect(div.querySelector('img')).toBeNull();
    expect(html('![cat](https://x.org/c.png)', { allowImages: true }).querySelector('img')?.getAttribute('referrerpolicy')).toBe(
      'no-referrer',
    );
  });

  it('highlights code with the highlighter given, as spans', () => {
    const code = html('```ts\nconst a: number = 1;\n```', { highlight }).querySelector('pre code')!;
    expect(code.getAttribute('data-lang')).toBe('ts');
    expect(code.querySelector('.hljs-keyword')?.textContent).toBe('const');
    expect(code.textContent).toBe('const a: number = 1;');
  });

  it('never parses HTML: the XSS corpus gives no active markup and no HTML sink is used', () => {
    const sinks = [
      vi.spyOn(Element.prototype, 'innerHTML', 'set'),
      vi.spyOn(Element.prototype, 'outerHTML', 'set'),
      vi.spyOn(Element.prototype, 'insertAdjacentHTML'),
    ];
    for (const vector of xssVectors) {
      const div = html(vector, { highlight });
      expect(
        div.querySelector('script, iframe, object, embed, img, svg, style, form, button, [onerror], [onclick], [onload]'),
        vector,
      ).toBeNull();
      for (const a of div.querySelectorAll('a')) expect(['http:', 'https:', 'mailto:']).toContain(new URL(a.href).protocol);
      for (const input of div.querySelectorAll('input')) expect(input.matches('label > input[type=checkbox][disabled]'), vector).toBe(true);
    }
    for (const sink of sinks) expect(sink).not.toHaveBeenCalled();
  });

  it('creates nodes in the document it is given', () => {
    const other = document.implementation.createHTMLDocument('other');
    const fragment = renderMarkdown('**x**', { document: other });
    expect(fragment.ownerDocument).toBe(other);
    expect(fragment.querySelector('strong')?.ownerDocument).toBe(other);
  });
});
