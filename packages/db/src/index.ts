export type { Database, Sql } from './database.js';
export { openPglite } from './pglite.js';
export { openPostgres } from './postgres.js';
export { migrate, migrationStatus, type MigrateOptions, type MigrationProgress } from './migrate.js';
export { UnreleasedSchemaError } from './schema-history.js';
export { createTestDatabase } from './test-database.js';
export { defaultSqlDir, listMigrations, type MigrationFile } from './sql-files.js';
