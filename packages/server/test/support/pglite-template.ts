import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openPglite } from '@app/db';
import { findWorkspaceRoot } from '../../src/workspace.js';

export const SQL_DIR = join(findWorkspaceRoot(), 'supabase');

/** A folder name that changes whenever the shim or a migration changes. */
function templateDir(): string {
  const hash = createHash('sha256');
  for (const sub of ['shim', 'migrations']) {
    const dir = join(SQL_DIR, sub);
    for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  }
  return join(tmpdir(), `async-chat-server-pglite-${hash.digest('hex').slice(0, 16)}`);
}

/**
 * A migrated PGlite data folder that test files copy instead of running initdb and the
 * migrations each time (several seconds per file on a busy machine). Built once per schema.
 */
export async function ensurePgliteTemplate(): Promise<string> {
  const dir = templateDir();
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const building = mkdtempSync(`${dir}-building-`);
  const db = await openPglite({ dataDir: building });
  await migrate(db, { sqlDir: SQL_DIR });
  await db.close();
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another run built it meanwhile
  }
  return dir;
}
