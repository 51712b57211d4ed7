import type { Database } from './database.js';
import type { MigrationFile } from './sql-files.js';

/** A row of `supabase_migrations.schema_migrations`, as `migrate()` and the Supabase CLI write it. */
export interface RecordedMigration {
  version: string;
  /** `migrate()` records the file's whole text; the CLI its statements, without the `;`. */
  statements: string[] | null;
}

const START_FRESH: Record<Database['engine'], string> = {
  pglite: 'stop the server and delete its PGlite data folder (DATA_DIR, .data/pglite by default); the next start creates it anew',
  postgres: 'drop and create the database again (or point DATABASE_URL at an empty one), then start the server',
};

const listed = (versions: string[]) =>
  versions.length > 5 ? `${versions.slice(0, 5).join(', ')}, … (${versions.length} versions)` : versions.join(', ');

/**
 * The database was made by a schema these migrations do not continue: its history records
 * versions the migrations folder does not have (an earlier checkout's chain), or migrations
 * applied with other contents than their files have now (a baseline edited in place before the
 * first release). An unreleased schema is not upgraded: nothing was changed, and the message
 * says how to start from an empty database.
 */
export class UnreleasedSchemaError extends Error {
  constructor(
    /** Recorded versions that the folder does not have. */
    readonly unknown: string[],
    /** Recorded versions whose file has changed since they were applied. */
    readonly changed: string[],
    engine: Database['engine'],
    migrationsDir: string,
  ) {
    const found = [
      unknown.length ? `its migration history records ${listed(unknown)}, which ${migrationsDir} does not have` : null,
      changed.length
        ? `${listed(changed)} ${changed.length === 1 ? 'was' : 'were'} applied with other contents than the files in ${migrationsDir} have now`
        : null,
    ].filter(Boolean);
    super(
      `this database was made by an unreleased schema: ${found.join('; ')}. ` +
        `An unreleased schema is not upgraded; start from an empty database: ${START_FRESH[engine]}.`,
    );
    this.name = 'UnreleasedSchemaError';
  }
}

// What both ways of recording a migration keep of its text: the CLI splits a file into its
// statements and drops the `;` and the whitespace around them; migrate() keeps the whole text.
// Comments are left out too, so editing one does not make a database "another schema".
const fingerprint = (sql: string) => sql.replace(/--[^\n]*/g, '').replace(/[\s;]+/g, '');

/**
 * Compares the recorded history with the migrations folder. History rows without statements
 * (written by hand, or by tools that keep none) are compared by version only.
 *
 * @example
 * const { unknown, changed } = await compareHistory(rows, await listMigrations(), readSqlFile);
 */
export async function compareHistory(
  recorded: RecordedMigration[],
  migrations: MigrationFile[],
  readText: (path: string) => Promise<string>,
): Promise<{ unknown: string[]; changed: string[] }> {
  const files = new Map(migrations.map((m) => [m.version, m]));
  const unknown: string[] = [];
  const changed: string[] = [];
  for (const row of recorded) {
    const file = files.get(row.version);
    if (!file) unknown.push(row.version);
    else if (row.statements?.length && fingerprint(row.statements.join('\n')) !== fingerprint(await readText(file.path))) {
      changed.push(row.version);
    }
  }
  return { unknown: unknown.sort(), changed: changed.sort() };
}
