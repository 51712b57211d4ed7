// `@app/chat-widget/markdown`: the widget's markdown parser and safe renderer without the widget,
// for chat UIs of your own (React, Vue, plain DOM). Framework-free: it returns DOM nodes.
export type { Align, Block, Inline } from './markdown/ast.js';
export { setHighlighter, type Highlighter, type HighlighterLoader, type Token } from './markdown/highlight/registry.js';
export { parseMarkdown } from './markdown/parse.js';
export { renderMarkdown, type RenderMarkdownOptions } from './markdown/render-dom.js';

/**
 * Loads the built-in highlighter (highlight.js grammars for JavaScript, TypeScript, Python,
 * shell, JSON, HTML/XML, CSS, YAML and diffs), a chunk of its own.
 *
 * @example
 * const highlight = await loadDefaultHighlighter();
 * el.replaceChildren(renderMarkdown(text, { highlight }));
 */
export const loadDefaultHighlighter = () => import('./markdown/highlight/lowlight.js').then((m) => m.highlight);
