import { defineConfig } from 'tsup';

// The server runs from the repository checkout: workspace packages (@app/db) are bundled in,
// npm dependencies stay external and are resolved from node_modules.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  noExternal: [/^@app\//],
});
