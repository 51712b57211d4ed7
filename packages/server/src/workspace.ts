import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest folder above this module (or above `start`) that holds
 * `pnpm-workspace.yaml`. The server runs from the checkout, so data, the widget bundle and the
 * migrations are found relative to it whatever the current directory is. Falls back to the cwd.
 *
 * @example
 * const dataDir = join(findWorkspaceRoot(), '.data', 'pglite');
 */
export function findWorkspaceRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
