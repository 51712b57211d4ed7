// @vitest-environment node
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, type PackedInstall } from './packed-install.js';

/**
 * The side-effect entries through a production bundler (Vite, which honours the package's
 * `sideEffects` list and tree-shakes the rest): `import '@app/chat-widget/element'` (or `/react`)
 * alone must keep the registration of <async-chat>, wherever the build split the shared code.
 */
describe('the packed entries in a production bundle', () => {
  let packed: PackedInstall;
  beforeAll(() => {
    packed = installPacked();
  });
  afterAll(() => packed?.remove());

  it.each(['@app/chat-widget/element', '@app/chat-widget/react'])(
    'import %s keeps the registration',
    { timeout: 120_000 },
    async (entry) => {
      writeFileSync(join(packed.dir, 'entry.js'), `import '${entry}';\n`);
      const output = (await build({
        root: packed.dir,
        logLevel: 'silent',
        configFile: false,
        build: { write: false, minify: false, rollupOptions: { input: join(packed.dir, 'entry.js'), external: ['react', 'react-dom'] } },
      })) as Rollup.RollupOutput;
      const code = output.output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
      expect(code).toContain('customElements.define(');
    },
  );
});
