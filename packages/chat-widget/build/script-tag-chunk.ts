import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';
import { inlineCss } from './inline-css.js';
import { sdkSource } from './sdk-source.js';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Compile-time constants of every build. */
export const define = { __VERSION__: JSON.stringify(version) };

/** One chunk of the script-tag bundle: a classic script (IIFE) with everything it does not share inside. */
export function scriptTagChunk(entry: Record<string, string>, ...plugins: EsbuildPlugin[]): Options {
  return {
    entry,
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    platform: 'browser',
    target: 'es2022',
    // terser packs ~1% tighter than esbuild's minifier here, which matters against a 20 KB budget.
    minify: 'terser',
    // ascii_only: the text stays right even where a host serves the file without a UTF-8 charset.
    terserOptions: { ecma: 2020, module: false, toplevel: true, compress: { passes: 2, pure_getters: true }, format: { ascii_only: true } },
    noExternal: [/.*/],
    esbuildPlugins: [inlineCss, ...plugins],
    // Production builds of the dependencies: nanostores keeps dev-only checks and warnings behind
    // NODE_ENV, which esbuild sets only when it minifies itself (terser minifies here).
    define: { ...define, 'process.env.NODE_ENV': '"production"' },
    // The SDK from source: the bundle does not depend on the SDK having been built first.
    esbuildOptions(options) {
      options.alias = sdkSource;
    },
  };
}
