import { join } from 'node:path';
import type { Database } from './database.js';
import type { ExecSql } from './exec-sql.js';
import { compareHistory, type RecordedMigration, UnreleasedSchemaError } from './schema-history.js';
import { defaultSqlDir, listMigrations, readShim, readSqlFile } from './sql-files.js';

export interface MigrateOptions {
  /** Apply `supabase/shim/supabase-shim.sql` first (default true; it is a no-op on Supabase). */
  shim?: boolean;
  /** Folder holding `shim/` and `migrations/` (default: the repository's `supabase/`). */
  sqlDir?: string;
  /**
   * Told about each migration it applies, as it starts (`ms` null) and once applied (`ms` its
   * duration): a first start can take a while, and a server says what it is doing meanwhile.
   */
  onMigration?: (progress: MigrationProgress) => void;
}

/** One migration being applied: the `index`-th (from 1) of the `total` still pending. */
export interface MigrationProgress {
  version: string;
  name: string;
  index: number;
  total: number;
  ms: number | null;
}

// The Supabase CLI's history table, so `supabase migration list/up` and this agree.
const HISTORY_DDL = `
  create schema if not exists supabase_migrations;
  create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
  alter table supabase_migrations.schema_migrations add column if not exists statements text[];
  alter table supabase_migrations.schema_migrations add column if not exists name text;
`;

// Any constant: serialises concurrent `migrate` calls on one PostgreSQL database.
const MIGRATE_LOCK_KEY = 7_305_291_128;

/**
 * Applies the shim, then every migration not yet recorded in
 * `supabase_migrations.schema_migrations`, in name order, in one transaction. Two processes
 * starting at once are safe: the second waits on an advisory lock, then finds nothing to do.
 * A database made by another, unreleased schema (its history records a version the folder does
 * not have, or a migration whose file has changed since) is refused with
 * {@link UnreleasedSchemaError}, and nothing is applied.
 *
 * @example
 * const { applied } = await migrate(db); // ['20261201000000', …] the first time, [] after
 */
export async function migrate(db: Database, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = await listMigrations(opts.sqlDir);
  const shim = opts.shim === false ? null : await readShim(opts.sqlDir);
  return db.transaction(async (tx) => {
    const sql = tx as ExecSql;
    await sql.query('select pg_advisory_xact_lock($1)', [MIGRATE_LOCK_KEY]);
    if (shim) await sql.exec(shim);
    await sql.exec(HISTORY_DDL);
    const recorded = (await sql.query<RecordedMigration>('select version, statements from supabase_migrations.schema_migrations')).rows;
    const { unknown, changed } = await compareHistory(recorded, migrations, readSqlFile);
    if (unknown.length || changed.length) {
      throw new UnreleasedSchemaError(unknown, changed, db.engine, join(opts.sqlDir ?? defaultSqlDir, 'migrations'));
    }
    const done = new Set(recorded.map((row) => row.version));
    const pending = migrations.filter((migration) => !done.has(migration.version));
    const applied: string[] = [];
    for (const [at, migration] of pending.entries()) {
      const step = { version: migration.version, name: migration.name, index: at + 1, total: pending.length };
      const started = performance.now();
      opts.onMigration?.({ ...step, ms: null });
      const text = await readSqlFile(migration.path);
      try {
        await sql.exec(text);
      } catch (error) {
        throw new Error(`migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await sql.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
        migration.version,
        migration.name,
        [text],
      ]);
      applied.push(migration.version);
      opts.onMigration?.({ ...step, ms: Math.round(performance.now() - started) });
    }
    return { applied };
  });
}

/**
 * Migrations not yet applied (all of them on an empty database).
 *
 * @example
 * const { pending } = await migrationStatus(db);
 * if (pending.length) throw new Error(`run migrations: ${pending.join(', ')}`);
 */
export async function migrationStatus(db: Database, opts: Pick<MigrateOptions, 'sqlDir'> = {}): Promise<{ pending: string[] }> {
  const migrations = await listMigrations(opts.sqlDir);
  const { rows } = await db.query<{ exists: boolean }>(`select to_regclass('supabase_migrations.schema_migrations') is not null as exists`);
  const done = new Set<string>();
  if (rows[0]?.exists) {
    const history = await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
    for (const row of history.rows) done.add(row.version);
  }
  return { pending: migrations.filter((m) => !done.has(m.version)).map((m) => m.version) };
}
