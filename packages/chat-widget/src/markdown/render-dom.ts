import type { Block, Inline } from './ast.js';
import type { Highlighter, Token } from './highlight/registry.js';
import { parseMarkdown } from './parse.js';
import { IMAGE_PROTOCOLS, safeUrl } from './safe-url.js';

export interface RenderMarkdownOptions {
  /** The document to create nodes in (default: the global `document`). */
  document?: Document;
  /** Load `https:` images; off by default: an image URL can leak data. */
  allowImages?: boolean;
  /** Text of an image that is not loaded; `{alt}` is replaced. */
  imageLabel?: string;
  /** Highlights code blocks that name a language (e.g. from `loadDefaultHighlighter()`). */
  highlight?: Highlighter | null;
}

/**
 * Renders markdown into a `DocumentFragment` with the widget's parser and safety rules, for
 * custom UIs in any framework: nodes are made with `createElement` and `createTextNode` only,
 * never from an HTML string, so nothing in the text can become markup. Links are kept only when
 * http(s) or mailto and open in a new tab; images are links unless `allowImages`.
 *
 * @example
 * element.replaceChildren(renderMarkdown(message.content));
 */
export function renderMarkdown(source: string, options: RenderMarkdownOptions = {}): DocumentFragment {
  const { document: doc = document, allowImages = false, imageLabel = 'Image: {alt}', highlight = null } = options;

  const el = (tag: string, attrs: Record<string, string | undefined> = {}, ...kids: (Node | string)[]) => {
    const e = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.setAttribute(k, v);
    e.append(...kids);
    return e;
  };
  const link = (href: string, title: string | undefined, kids: (Node | string)[]) =>
    el('a', { href, title, target: '_blank', rel: 'noopener noreferrer' }, ...kids);
  const tokens = (list: Token[]): (Node | string)[] =>
    list.map((t) => (typeof t === 'string' ? t : el('span', { class: t.className || undefined }, ...tokens(t.children))));

  const inline = (nodes: Inline[]): (Node | string)[] =>
    nodes.map((n) => {
      if (typeof n === 'string') return n;
      switch (n.t) {
        case 'em':
        case 'strong':
        case 'del':
          return el(n.t, {}, ...inline(n.c));
        case 'code':
          return el('code', {}, n.v);
        case 'br':
          return el('br');
        case 'task': {
          const box = el('input', { type: 'checkbox', disabled: '' }) as HTMLInputElement;
          box.checked = n.checked;
          return box;
        }
        case 'a': {
          const href = safeUrl(n.href);
          return href ? link(href, n.title, inline(n.c)) : el('span', {}, ...inline(n.c));
        }
        default: {
          const src = allowImages ? safeUrl(n.src, IMAGE_PROTOCOLS) : null;
          if (src) return el('img', { src, alt: n.alt, title: n.title, loading: 'lazy', referrerpolicy: 'no-referrer' });
          const label = imageLabel.replace('{alt}', n.alt || n.src);
          const href = safeUrl(n.src);
          return href ? link(href, undefined, [label]) : el('span', {}, label);
        }
      }
    });

  const blocks = (list: Block[], tight = false): (Node | string)[] =>
    list.flatMap((b): (Node | string)[] => {
      switch (b.t) {
        case 'p': {
          const first = b.c[0];
          const content = typeof first === 'object' && first.t === 'task' ? [el('label', {}, ...inline(b.c))] : inline(b.c);
          return tight ? content : [el('p', {}, ...content)];
        }
        case 'h':
          return [el(`h${b.level}`, {}, ...inline(b.c))];
        case 'pre': {
          const text = b.v.endsWith('\n') ? b.v.slice(0, -1) : b.v;
          const highlighted = b.lang && highlight ? highlight(text, b.lang) : null;
          return [el('pre', {}, el('code', { 'data-lang': b.lang || undefined }, ...(highlighted ? tokens(highlighted) : [text])))];
        }
        case 'hr':
          return [el('hr')];
        case 'quote':
          return [el('blockquote', {}, ...blocks(b.c))];
        case 'list': {
          const items = b.items.map((item) => el('li', {}, ...blocks(item, b.tight)));
          return [el(b.ordered ? 'ol' : 'ul', { start: b.ordered && b.start !== 1 ? String(b.start) : undefined }, ...items)];
        }
        default: {
          const cell = (tag: string, k: number, c: Inline[]) => {
            const e = el(tag, {}, ...inline(c));
            if (b.align[k]) e.style.textAlign = b.align[k]!;
            return e;
          };
          const head = el('tr', {}, ...b.head.map((c, k) => cell('th', k, c)));
          const rows = b.rows.map((r) => el('tr', {}, ...r.map((c, k) => cell('td', k, c))));
          return [el('table', {}, el('thead', {}, head), ...(rows.length ? [el('tbody', {}, ...rows)] : []))];
        }
      }
    });

  const fragment = doc.createDocumentFragment();
  fragment.append(...blocks(parseMarkdown(source)));
  return fragment;
}
