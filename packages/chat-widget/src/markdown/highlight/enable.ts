import { setHighlighter } from './registry.js';

/**
 * Highlights code blocks with the built-in highlighter, a chunk of its own that the first reply
 * with a fenced language loads. The component and element entries call this (a call rather than
 * an import for its side effect, so bundlers keep it); the script-tag bundle does not.
 */
export const enableBuiltInHighlighter = () => setHighlighter(() => import('./lowlight.js').then((m) => m.highlight));
