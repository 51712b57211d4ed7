import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const holdsSchema = (dir: string) => existsSync(join(dir, 'supabase', 'migrations'));

/**
 * The server's root: the nearest folder above this module (or above `start`) that holds the
 * schema, `supabase/migrations`. Data, the widget bundle and the migrations are found relative
 * to it whatever the current directory is. Two layouts have one:
 *
 * - the repository checkout (`packages/server/{src,dist}` → the repository root);
 * - the standalone server (`<folder>/dist/main.js` → `<folder>`, which carries its own copy of
 *   `supabase/shim` and `supabase/migrations`, see `scripts/build-artifact.mjs`).
 *
 * The package's own folder is met first, so a standalone server installed inside another
 * project never takes that project's `supabase/` for its own. Falls back to the cwd.
 *
 * @example
 * const dataDir = join(findWorkspaceRoot(), '.data', 'pglite');
 */
export function findWorkspaceRoot(start: string = here): string {
  let dir = resolve(start);
  for (;;) {
    if (holdsSchema(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** Which of the two layouts a root has. */
export type ServerLayout = 'workspace' | 'standalone';

/** Where the server's files are under a root. */
export interface ServerFiles {
  layout: ServerLayout;
  /** The folder holding `shim/` and `migrations/`. */
  sqlDir: string;
  /**
   * The widget's script-tag bundle served at `/widget/chat-widget.js`; the chunk it loads,
   * `chat-widget-panel.js`, is served from beside it.
   */
  widgetBundle: string;
  /** The default PGlite data folder. */
  dataDir: string;
}

/**
 * The server's files under `root` (from {@link findWorkspaceRoot}). In the repository the widget
 * bundle is the chat-widget package's build output; a standalone server carries a copy beside
 * its own bundle, in `dist/`.
 *
 * @example
 * const { widgetBundle, sqlDir } = serverFiles(findWorkspaceRoot());
 */
export function serverFiles(root: string = findWorkspaceRoot()): ServerFiles {
  const layout: ServerLayout = existsSync(join(root, 'pnpm-workspace.yaml')) ? 'workspace' : 'standalone';
  return {
    layout,
    sqlDir: join(root, 'supabase'),
    widgetBundle:
      layout === 'workspace' ? join(root, 'packages', 'chat-widget', 'dist', 'chat-widget.js') : join(root, 'dist', 'chat-widget.js'),
    dataDir: join(root, '.data', 'pglite'),
  };
}
