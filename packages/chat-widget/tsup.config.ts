import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { inlineCss } from './build/inline-css.js';
import { sdkSource } from './build/sdk-source.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __VERSION__: JSON.stringify(version) };

export default defineConfig([
  {
    // The component and the custom element for bundlers: Preact, the SDK and nanostores stay external.
    entry: { index: 'src/index.ts', element: 'src/element.ts', markdown: 'src/markdown.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    external: [/^preact($|\/)/, '@app/async-tasks', 'nanostores'],
    esbuildPlugins: [inlineCss],
    define,
  },
  {
    // The script-tag bundle: everything inside, mounts itself.
    entry: { 'chat-widget': 'src/bundle/script-tag.ts' },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    platform: 'browser',
    target: 'es2022',
    // terser packs ~1% tighter than esbuild's minifier here, which matters against a 20 KB budget.
    minify: 'terser',
    // ascii_only: the text stays right even where a host serves the file without a UTF-8 charset.
    terserOptions: { ecma: 2020, module: false, toplevel: true, compress: { passes: 2, pure_getters: true }, format: { ascii_only: true } },
    noExternal: [/.*/],
    esbuildPlugins: [inlineCss],
    // Production builds of the dependencies: nanostores keeps dev-only checks and warnings behind
    // NODE_ENV, which esbuild sets only when it minifies itself (terser minifies here).
    define: { ...define, 'process.env.NODE_ENV': '"production"' },
    // The SDK from source: the bundle does not depend on the SDK having been built first.
    esbuildOptions(options) {
      options.alias = sdkSource;
    },
  },
]);
