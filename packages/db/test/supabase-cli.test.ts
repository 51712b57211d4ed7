import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkRequirement, postgresAdminUrl, requirements, type SystemRequirement } from '@app/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type Database, defaultSqlDir, listMigrations, migrate, migrationStatus, openPostgres } from '../src/index.js';
import { compareHistory, type RecordedMigration } from '../src/schema-history.js';
import { readShim, readSqlFile } from '../src/sql-files.js';

// The pinned CLI (npm supabase@2.117.0) is a JavaScript bundle: no binary download, works offline.
const cliPath = fileURLToPath(new URL('../node_modules/supabase/dist/supabase.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const supabaseCli: SystemRequirement = {
  name: 'Supabase CLI 2.117.0 (npm supabase, devDependency of @app/db)',
  available: () =>
    existsSync(cliPath) &&
    spawnSync(process.execPath, [cliPath, '--version'], { encoding: 'utf8', timeout: 60_000 }).stdout?.trim() === '2.117.0',
  install: 'pnpm install (the npm package ships the CLI as dist/supabase.js)',
};

const runnable = checkRequirement(requirements.postgres) && checkRequirement(supabaseCli);

describe.skipIf(!runnable)('supabase migration up --db-url (the real CLI)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('applies the migrations to a PostgreSQL database that had the shim, and agrees with migrate()', async () => {
    const testDb = await createTestDatabase(postgresAdminUrl());
    cleanups.push(testDb.drop);
    const db: Database = await openPostgres({ connectionString: testDb.url, max: 2 });
    cleanups.push(() => db.close());
    await db.exec(await readShim());

    const dbUrl = new URL(testDb.url);
    dbUrl.searchParams.set('sslmode', 'disable'); // the CLI insists on TLS unless told otherwise
    const cli = spawnSync(process.execPath, [cliPath, 'migration', 'up', '--db-url', dbUrl.toString(), '--workdir', repoRoot], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, DO_NOT_TRACK: '1', SUPABASE_TELEMETRY_DISABLED: '1' },
    });
    expect(cli.status, `${cli.stdout}\n${cli.stderr}`).toBe(0);
    expect(`${cli.stdout}${cli.stderr}`).toContain('Applying migration 20261201000000_tables.sql');

    expect(await migrationStatus(db)).toEqual({ pending: [] });
    // The CLI records each file as its statements: migrate() compares them with the files (an
    // edited file would make this "another schema"), and finds them unchanged.
    const recorded = (await db.query<RecordedMigration>('select version, statements from supabase_migrations.schema_migrations')).rows;
    const migrations = await listMigrations();
    expect(await compareHistory(recorded, migrations, readSqlFile)).toEqual({ unknown: [], changed: [] });
    const edited = (path: string) => readSqlFile(path).then((text) => (path === migrations[0]!.path ? `${text}\nselect 1;` : text));
    expect(await compareHistory(recorded, migrations, edited)).toEqual({ unknown: [], changed: [migrations[0]!.version] });
    expect(await migrate(db)).toEqual({ applied: [] });
    const sent = await db.asUser({ sub: '5a5a5a5a-0000-4000-8000-000000000001', role: 'authenticated' }, (tx) =>
      tx.query<{ r: { task: { status: string } } }>(`select public.send_chat_message(null, 'via the CLI schema', 'cli-1') as r`),
    );
    expect(sent.rows[0]!.r.task.status).toBe('pending');
    expect(defaultSqlDir.startsWith(repoRoot)).toBe(true);
  });
});
