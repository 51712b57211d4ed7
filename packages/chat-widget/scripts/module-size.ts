// Builds one module the way the script-tag chunks are built (terser, production dependencies),
// with Preact outside, and returns its bytes: how much of a chunk that module is, or what a lazy
// chunk costs where the bundler of an app emits it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Options } from 'tsup';
import { scriptTagChunk } from '../build/script-tag-chunk.js';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

// Preact is in every chunk already; what a module adds is its own code.
const preactOutside: EsbuildPlugin = {
  name: 'preact-outside',
  setup(build) {
    build.onResolve({ filter: /^preact($|\/)/ }, (args) => ({ path: args.path, external: true }));
  },
};

export async function buildModule(entry: string): Promise<Buffer> {
  const outDir = mkdtempSync(join(tmpdir(), 'chat-widget-module-'));
  try {
    // globalName keeps the module's exports, which an IIFE without one would tree-shake away.
    await build({ ...scriptTagChunk({ module: entry }, preactOutside), config: false, outDir, silent: true, globalName: 'module' });
    return readFileSync(join(outDir, 'module.js'));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
