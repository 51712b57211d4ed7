import type { ComponentChildren } from 'preact';
import type { Block, Inline } from './ast.js';
import { CodeBlock, type CodeLabels } from './CodeBlock.js';
import { parseMarkdown } from './parse.js';
import { IMAGE_PROTOCOLS, safeUrl } from './safe-url.js';

export interface MarkdownProps {
  source: string;
  /** Load images from replies (https only). Off by default: an image URL can leak data. */
  allowImages?: boolean;
  /** Text shown for an image that is not loaded; `{alt}` is replaced. */
  imageLabel?: string;
  /** The code blocks' copy button and its confirmation. */
  codeLabels?: CodeLabels;
}

interface Ctx {
  allowImages: boolean;
  imageLabel: string;
  codeLabels: CodeLabels;
}

const CODE_LABELS: CodeLabels = { copy: 'Copy', copied: 'Copied' };

const LINK = { target: '_blank', rel: 'noopener noreferrer' } as const;

function inline(nodes: Inline[], ctx: Ctx): ComponentChildren[] {
  return nodes.map((n) => inlineNode(n, ctx));
}

function inlineNode(n: Inline, ctx: Ctx): ComponentChildren {
  if (typeof n === 'string') return n;
  switch (n.t) {
    case 'em':
      return <em>{inline(n.c, ctx)}</em>;
    case 'strong':
      return <strong>{inline(n.c, ctx)}</strong>;
    case 'del':
      return <del>{inline(n.c, ctx)}</del>;
    case 'code':
      return <code>{n.v}</code>;
    case 'br':
      return <br />;
    case 'task':
      return <input type="checkbox" checked={n.checked} disabled />;
    case 'a': {
      const href = safeUrl(n.href);
      return href ? (
        <a href={href} title={n.title} {...LINK}>
          {inline(n.c, ctx)}
        </a>
      ) : (
        <span>{inline(n.c, ctx)}</span>
      );
    }
    case 'img': {
      const label = ctx.imageLabel.replace('{alt}', n.alt || n.src);
      const src = ctx.allowImages ? safeUrl(n.src, IMAGE_PROTOCOLS) : null;
      if (src) return <img src={src} alt={n.alt} title={n.title} loading="lazy" referrerpolicy="no-referrer" />;
      const href = safeUrl(n.src);
      return href ? (
        <a href={href} {...LINK}>
          {label}
        </a>
      ) : (
        <span>{label}</span>
      );
    }
  }
}

function block(b: Block, ctx: Ctx, tight = false): ComponentChildren {
  switch (b.t) {
    case 'p': {
      // A task item's checkbox is named by the item's text: the label holds both.
      const first = b.c[0];
      const task = typeof first === 'object' && first.t === 'task';
      // biome-ignore lint/a11y/noLabelWithoutControl: the checkbox is the label's first child, rendered by inline().
      const content = task ? <label class="acw-task">{inline(b.c, ctx)}</label> : inline(b.c, ctx);
      return tight ? content : <p>{content}</p>;
    }
    case 'h':
      // Always h3 under the panel's h2: replies pick levels freely and a skipped level is an a11y error.
      return <h3 data-level={b.level}>{inline(b.c, ctx)}</h3>;
    case 'pre':
      return <CodeBlock code={b.v} lang={b.lang} labels={ctx.codeLabels} />;
    case 'hr':
      return <hr />;
    case 'quote':
      return <blockquote>{blocks(b.c, ctx)}</blockquote>;
    case 'list': {
      const items = b.items.map((item) => <li>{blocks(item, ctx, b.tight)}</li>);
      return b.ordered ? <ol start={b.start === 1 ? undefined : b.start}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'table':
      return (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls, and keyboard users must be able to focus it to scroll it.
        <div class="acw-table" tabIndex={0}>
          <table>
            <thead>
              <tr>
                {b.head.map((c, k) => (
                  <th style={b.align[k] ? { textAlign: b.align[k]! } : undefined}>{inline(c, ctx)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r) => (
                <tr>
                  {r.map((c, k) => (
                    <td style={b.align[k] ? { textAlign: b.align[k]! } : undefined}>{inline(c, ctx)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

function blocks(list: Block[], ctx: Ctx, tight = false): ComponentChildren[] {
  return list.map((b) => block(b, ctx, tight));
}

/**
 * Renders markdown as Preact elements built from a parsed tree — never through innerHTML — so
 * no HTML from the source can reach the DOM. Links open in a new tab and only when http(s) or
 * mailto; images become links unless `allowImages`; code blocks get a copy button and, once the
 * highlighter set with `setHighlighter` has loaded, syntax highlighting.
 *
 * @example
 * <Markdown source={reply} />
 */
export function Markdown({ source, allowImages = false, imageLabel = 'Image: {alt}', codeLabels = CODE_LABELS }: MarkdownProps) {
  return <>{blocks(parseMarkdown(source), { allowImages, imageLabel, codeLabels })}</>;
}
