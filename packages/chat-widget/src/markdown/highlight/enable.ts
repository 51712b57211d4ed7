import { setDefaultHighlighter } from './registry.js';

/**
 * Highlights code blocks with the built-in highlighter, a chunk of its own that the first reply
 * with a fenced language loads. The component and element entries call this (a call rather than
 * an import for its side effect, so bundlers keep it); the script-tag bundle does not. A host's
 * own `setHighlighter` (or `null`), called before, stays.
 */
export const enableBuiltInHighlighter = () => setDefaultHighlighter(() => import('./lowlight.js').then((m) => m.highlight));
