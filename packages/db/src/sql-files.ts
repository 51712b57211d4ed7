import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's `supabase/` folder (holding `shim/` and `migrations/`), next to this package.
 *
 * @example
 * // a bundle copies `${defaultSqlDir}/shim` and `/migrations` next to itself, then:
 * await migrate(db, { sqlDir: new URL('./sql/', import.meta.url).pathname });
 */
export const defaultSqlDir = fileURLToPath(new URL('../../../supabase/', import.meta.url));

export interface MigrationFile {
  /** The timestamp before the first `_`, as the Supabase CLI records it. */
  version: string;
  name: string;
  path: string;
}

/**
 * `<sqlDir>/migrations/<version>_<name>.sql` in name order.
 *
 * @example
 * (await listMigrations()).map((m) => m.version); // ['20261201000000', …]
 */
export async function listMigrations(sqlDir = defaultSqlDir): Promise<MigrationFile[]> {
  const dir = join(sqlDir, 'migrations');
  const files = (await readdir(dir)).filter((file) => /^\d+_.+\.sql$/.test(file)).sort();
  return files.map((file) => {
    const [, version = '', name = ''] = /^(\d+)_(.+)\.sql$/.exec(file) ?? [];
    return { version, name, path: join(dir, file) };
  });
}

export const readShim = (sqlDir = defaultSqlDir) => readFile(join(sqlDir, 'shim', 'supabase-shim.sql'), 'utf8');
export const readSqlFile = (path: string) => readFile(path, 'utf8');
