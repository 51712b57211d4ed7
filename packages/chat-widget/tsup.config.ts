import { defineConfig } from 'tsup';
import { inlineCss } from './build/inline-css.js';
import { exposeShared, useShared } from './build/panel-split.js';
import { define, scriptTagChunk } from './build/script-tag-chunk.js';

export default defineConfig([
  {
    // The component and the custom element for bundlers: Preact, the SDK, nanostores and React stay external.
    entry: { index: 'src/index.ts', element: 'src/element.ts', markdown: 'src/markdown.ts', react: 'src/react.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    external: [/^preact($|\/)/, '@app/async-tasks', 'nanostores', 'react'],
    esbuildPlugins: [inlineCss],
    define,
  },
  // The script-tag bundle in two chunks (docs/widget.md, "Two chunks"): chat-widget.js paints the
  // launcher and loads chat-widget-panel.js beside it when the panel is needed; the panel takes
  // Preact and the other shared modules from the first chunk, so each is on the page once.
  scriptTagChunk({ 'chat-widget': 'src/bundle/script-tag.ts' }, exposeShared),
  scriptTagChunk({ 'chat-widget-panel': 'src/bundle/panel-chunk.ts' }, useShared),
  // The script-tag bundle's types (`window.AsyncChat`), for the `./chat-widget.js` export.
  { entry: { 'chat-widget': 'src/script-tag-types.ts' }, format: ['esm', 'cjs'], dts: { only: true } },
]);
