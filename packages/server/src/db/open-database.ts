import { mkdirSync } from 'node:fs';
import { migrate, migrationStatus, openPglite, openPostgres, type Database } from '@app/db';
import type { Config } from '../config.js';

/**
 * Opens PostgreSQL (`DATABASE_URL`) or PGlite in `DATA_DIR`, and applies the migrations from the
 * repository's `supabase/` folder.
 *
 * @example
 * const { db, applied } = await openDatabase(config);
 */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'migrationsDir'>, { inMemory = false } = {}) {
  let db: Database;
  if (config.databaseUrl) {
    db = await openPostgres({ connectionString: config.databaseUrl });
  } else if (inMemory) {
    db = await openPglite({});
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    db = await openPglite({ dataDir: config.dataDir });
  }
  try {
    const { applied } = await migrate(db, { sqlDir: config.migrationsDir });
    return { db, applied };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** Database reachable and every migration applied (for `/readyz`). */
export async function isReady(db: Database, migrationsDir: string): Promise<boolean> {
  await db.query('select 1');
  const { pending } = await migrationStatus(db, { sqlDir: migrationsDir });
  return pending.length === 0;
}
