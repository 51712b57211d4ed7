import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const SUFFIX = '?inline';

/**
 * `import css from './widget.css?inline'` for tsup, as Vite reads it in tests and stories: the
 * stylesheet as a string, here minified by esbuild (comments and whitespace go, values get their
 * shortest spelling: `0.5em` → `.5em`). Custom property values are kept as written.
 */
export const inlineCss: EsbuildPlugin = {
  name: 'inline-css',
  setup(build) {
    // The path keeps its `?inline`: tsup's own CSS loader claims every path that ends in `.css`.
    build.onResolve({ filter: /\.css\?inline$/ }, (args) => ({ path: resolve(args.resolveDir, args.path), namespace: 'inline-css' }));
    build.onLoad({ filter: /.*/, namespace: 'inline-css' }, async (args) => {
      const file = args.path.slice(0, -SUFFIX.length);
      const source = await readFile(file, 'utf8');
      const { code } = await build.esbuild.transform(source, { loader: 'css', minify: true, logLevel: 'error' });
      return { contents: code.trim(), loader: 'text', watchFiles: [file] };
    });
  },
};
