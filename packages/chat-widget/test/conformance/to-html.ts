import type { Block, Inline } from '../../src/markdown/ast.js';

// The AST as the HTML the CommonMark reference implementation writes, so spec examples can be
// compared with it. Test-only: the widget renders the AST as Preact elements, never as HTML.

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Percent-encodes a destination as commonmark.js does, keeping `%XX` escapes already there. */
function encodeHref(href: string): string {
  try {
    return encodeURI(href).replace(/%25([0-9a-fA-F]{2})/g, '%$1');
  } catch {
    return href;
  }
}

const plain = (nodes: Inline[]): string =>
  nodes.map((n) => (typeof n === 'string' ? n : 'c' in n ? plain(n.c) : n.t === 'code' ? n.v : n.t === 'img' ? n.alt : '')).join('');

function inline(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      if (typeof n === 'string') return esc(n);
      switch (n.t) {
        case 'em':
        case 'strong':
        case 'del':
          return `<${n.t}>${inline(n.c)}</${n.t}>`;
        case 'code':
          return `<code>${esc(n.v)}</code>`;
        case 'br':
          return '<br />\n';
        case 'a':
          return `<a href="${esc(encodeHref(n.href))}"${n.title ? ` title="${esc(n.title)}"` : ''}>${inline(n.c)}</a>`;
        case 'img':
          return `<img src="${esc(encodeHref(n.src))}" alt="${esc(n.alt)}"${n.title ? ` title="${esc(n.title)}"` : ''} />`;
        default:
          return `<input${n.checked ? ' checked=""' : ''} disabled="" type="checkbox">`;
      }
    })
    .join('');
}

function cell(tag: string, align: string | null, c: Inline[]) {
  return `<${tag}${align ? ` align="${align}"` : ''}>${inline(c)}</${tag}>\n`;
}

export function toHtml(blocks: Block[], tight = false): string {
  return blocks
    .map((b) => {
      switch (b.t) {
        case 'p':
          return tight ? inline(b.c) : `<p>${inline(b.c)}</p>\n`;
        case 'h':
          return `<h${b.level}>${inline(b.c)}</h${b.level}>\n`;
        case 'pre':
          return `<pre><code${b.lang ? ` class="language-${esc(b.lang)}"` : ''}>${esc(b.v)}</code></pre>\n`;
        case 'hr':
          return '<hr />\n';
        case 'quote':
          return `<blockquote>\n${toHtml(b.c)}</blockquote>\n`;
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          const start = b.ordered && b.start !== 1 ? ` start="${b.start}"` : '';
          return `<${tag}${start}>\n${b.items.map((item) => `<li>${toHtml(item, b.tight)}</li>\n`).join('')}</${tag}>\n`;
        }
        default: {
          const head = `<thead>\n<tr>\n${b.head.map((c, k) => cell('th', b.align[k]!, c)).join('')}</tr>\n</thead>\n`;
          const rows = b.rows.map((r) => `<tr>\n${r.map((c, k) => cell('td', b.align[k]!, c)).join('')}</tr>\n`).join('');
          return `<table>\n${head}${rows ? `<tbody>\n${rows}</tbody>\n` : ''}</table>\n`;
        }
      }
    })
    .join(tight ? '\n' : '');
}

export { plain as plainText };

const BLOCK_TAG = String.raw`<\/?(?:p|h[1-6]|pre|blockquote|ul|ol|li|hr|table|thead|tbody|tr|th|td)\b[^>]*>`;

/**
 * HTML made comparable across renderers: whitespace next to block tags dropped, void tags
 * without the slash, markdown-it's `<s>` as `<del>` and its `style="text-align:…"` as `align`.
 */
export function normalizeHtml(html: string): string {
  return html
    .replace(/ \/>/g, '>')
    .replace(/<(\/?)s>/g, '<$1del>')
    .replace(/ style="text-align:(left|center|right)"/g, ' align="$1"')
    .replace(new RegExp(String.raw`\s*(${BLOCK_TAG})\s*`, 'g'), '$1')
    .trim();
}
