import { join } from 'node:path';
import type { Database } from './database.js';
import type { ExecSql } from './exec-sql.js';
import { defaultSqlDir, listMigrations, readShim, readSqlFile } from './sql-files.js';

export interface MigrateOptions {
  /** Apply `supabase/shim/supabase-shim.sql` first (default true; it is a no-op on Supabase). */
  shim?: boolean;
  /** Folder holding `shim/` and `migrations/` (default: the repository's `supabase/`). */
  sqlDir?: string;
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

const START_FRESH: Record<Database['engine'], string> = {
  pglite: 'stop the server and delete its PGlite data folder (DATA_DIR, .data/pglite by default); the next start creates it anew',
  postgres: 'drop and create the database again (or point DATABASE_URL at an empty one), then start the server',
};

/**
 * The database's migration history records versions that the migrations folder does not have:
 * it was made by another, unreleased schema (an earlier checkout), which these migrations do not
 * continue. Nothing was changed; the message says how to start from an empty database.
 */
export class UnknownSchemaError extends Error {
  constructor(
    /** The recorded versions missing from the folder. */
    readonly versions: string[],
    engine: Database['engine'],
    migrationsDir: string,
  ) {
    const listed = versions.length > 5 ? `${versions.slice(0, 5).join(', ')}, … (${versions.length} versions)` : versions.join(', ');
    super(
      `this database was made by an unreleased schema: its migration history records ${listed}, which ${migrationsDir} does not have. ` +
        `An unreleased schema is not upgraded; start from an empty database: ${START_FRESH[engine]}.`,
    );
    this.name = 'UnknownSchemaError';
  }
}

/**
 * Applies the shim, then every migration not yet recorded in
 * `supabase_migrations.schema_migrations`, in name order, in one transaction. Two processes
 * starting at once are safe: the second waits on an advisory lock, then finds nothing to do.
 * A database whose history records a version the folder does not have was made by another
 * schema: {@link UnknownSchemaError}, and nothing is applied.
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
    const done = new Set(
      (await sql.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map((row) => row.version),
    );
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done].filter((version) => !known.has(version)).sort();
    if (unknown.length) throw new UnknownSchemaError(unknown, db.engine, join(opts.sqlDir ?? defaultSqlDir, 'migrations'));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
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
