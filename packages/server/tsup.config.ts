import { defineConfig } from 'tsup';

// Workspace packages (@app/db, @app/async-tasks) are bundled in; npm dependencies stay external
// and are resolved from node_modules — the repository's, or the standalone server's own (built by
// scripts/build-artifact.mjs with only the production dependencies).
// `workspace` is its own entry: a tool can ask where the server's files are (serverFiles) without
// starting the server.
export default defineConfig({
  entry: { main: 'src/main.ts', workspace: 'src/workspace.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  noExternal: [/^@app\//],
});
