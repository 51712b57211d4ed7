import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRequirement, postgresAdminUrl, requirements } from '@app/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  type Database,
  defaultSqlDir,
  listMigrations,
  migrate,
  migrationStatus,
  openPglite,
  openPostgres,
  UnreleasedSchemaError,
} from '../src/index.js';

const allVersions = async () => (await listMigrations()).map((m) => m.version);

/**
 * A schema folder like one of an earlier, unreleased checkout: other versions, creating tables
 * the current migrations create too (so applying those over it would fail with "already exists").
 */
async function earlierSchemaDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'app-db-earlier-'));
  await cp(join(defaultSqlDir, 'shim'), join(dir, 'shim'), { recursive: true });
  await mkdir(join(dir, 'migrations'));
  await writeFile(
    join(dir, 'migrations', '20261128000000_async_tasks.sql'),
    'create sequence public.app_change_seq as bigint; create table public.conversations (id uuid primary key, title text);',
  );
  await writeFile(join(dir, 'migrations', '20261128000100_async_tasks_triggers.sql'), 'create schema app_internal;');
  return dir;
}

/** Migrating with the current folder refuses, names the foreign versions, and changes nothing. */
async function expectRefusedAsEarlierSchema(db: Database, startFresh: RegExp) {
  const error = await migrate(db).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnreleasedSchemaError);
  expect((error as UnreleasedSchemaError).unknown).toEqual(['20261128000000', '20261128000100']);
  expect((error as UnreleasedSchemaError).changed).toEqual([]);
  expect((error as Error).message).toMatch(/made by an unreleased schema/);
  expect((error as Error).message).toContain('20261128000000, 20261128000100');
  expect((error as Error).message).toMatch(startFresh);
  const history = await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations order by version');
  expect(history.rows.map((r) => r.version)).toEqual(['20261128000000', '20261128000100']);
  const tables = await db.query<{ tasks: string | null }>(`select to_regclass('public.async_tasks')::text as tasks`);
  expect(tables.rows).toEqual([{ tasks: null }]);
}

describe('migrate on PGlite', () => {
  it('applies the shim and every migration once; a second run is a no-op', async () => {
    const db = await openPglite({});
    try {
      expect(await migrationStatus(db)).toEqual({ pending: await allVersions() });
      expect(await migrate(db)).toEqual({ applied: await allVersions() });
      expect(await migrate(db)).toEqual({ applied: [] });
      expect(await migrationStatus(db)).toEqual({ pending: [] });
      const history = await db.query<{ version: string; name: string }>(
        'select version, name from supabase_migrations.schema_migrations order by version',
      );
      expect(history.rows.map((r) => r.version)).toEqual(await allVersions());
    } finally {
      await db.close();
    }
  });

  it('keeps schema and rows in a dataDir across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-db-pglite-'));
    try {
      const first = await openPglite({ dataDir: dir });
      await migrate(first);
      await first.asService((tx) => tx.query(`insert into public.conversations (owner_id, title) values (gen_random_uuid(), 'kept')`));
      await first.close();
      const second = await openPglite({ dataDir: dir });
      try {
        expect(await migrate(second)).toEqual({ applied: [] });
        const { rows } = await second.query<{ title: string }>('select title from public.conversations');
        expect(rows).toEqual([{ title: 'kept' }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the SQL from an override folder (a built bundle ships its own copy)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-db-sql-'));
    const db = await openPglite({});
    try {
      await cp(join(defaultSqlDir, 'shim'), join(dir, 'shim'), { recursive: true });
      await cp(join(defaultSqlDir, 'migrations'), join(dir, 'migrations'), { recursive: true });
      await migrate(db, { sqlDir: dir });
      await writeFile(join(dir, 'migrations', '29991231000000_extra.sql'), 'create table public.extra_probe (id int);');
      expect(await migrationStatus(db, { sqlDir: dir })).toEqual({ pending: ['29991231000000'] });
      expect(await migrate(db, { sqlDir: dir })).toEqual({ applied: ['29991231000000'] });
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rolls back everything when a migration fails, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-db-sql-'));
    const db = await openPglite({});
    try {
      await cp(join(defaultSqlDir, 'shim'), join(dir, 'shim'), { recursive: true });
      await cp(join(defaultSqlDir, 'migrations'), join(dir, 'migrations'), { recursive: true });
      await writeFile(join(dir, 'migrations', '29991231000000_broken.sql'), 'select no_such_function();');
      await expect(migrate(db, { sqlDir: dir })).rejects.toThrow(/migration 29991231000000_broken failed/);
      expect((await migrationStatus(db, { sqlDir: dir })).pending).toHaveLength((await allVersions()).length + 1);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database made before a baseline file was edited in place; a comment edit is no change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-db-sql-'));
    const db = await openPglite({});
    try {
      await cp(join(defaultSqlDir, 'shim'), join(dir, 'shim'), { recursive: true });
      await cp(join(defaultSqlDir, 'migrations'), join(dir, 'migrations'), { recursive: true });
      await migrate(db, { sqlDir: dir });
      const [tables] = await listMigrations(dir);
      const original = await readFile(tables!.path, 'utf8');

      await writeFile(tables!.path, `-- a reworded header\n${original}\n-- and a closing remark\n`);
      expect(await migrate(db, { sqlDir: dir })).toEqual({ applied: [] });

      await writeFile(tables!.path, original.replace('title text null,', 'title text null,\n  subtitle text null,'));
      const error = await migrate(db, { sqlDir: dir }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnreleasedSchemaError);
      expect((error as UnreleasedSchemaError).changed).toEqual([tables!.version]);
      expect((error as UnreleasedSchemaError).unknown).toEqual([]);
      expect((error as Error).message).toMatch(/made by an unreleased schema: 20261201000000 was applied with other contents/);
      expect((error as Error).message).toMatch(/delete its PGlite data folder/);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a data folder made by an earlier, unreleased schema, saying to delete the folder', async () => {
    const earlier = await earlierSchemaDir();
    const dataDir = await mkdtemp(join(tmpdir(), 'app-db-pglite-'));
    try {
      const before = await openPglite({ dataDir });
      await migrate(before, { sqlDir: earlier });
      await before.close();
      const db = await openPglite({ dataDir });
      try {
        await expectRefusedAsEarlierSchema(db, /delete its PGlite data folder/);
      } finally {
        await db.close();
      }
    } finally {
      await rm(earlier, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!checkRequirement(requirements.postgres))('migrate on PostgreSQL', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('two processes starting at once: one applies, the other finds nothing to do', async () => {
    const testDb = await createTestDatabase(postgresAdminUrl());
    cleanups.push(testDb.drop);
    const a = await openPostgres({ connectionString: testDb.url, max: 2 });
    const b = await openPostgres({ connectionString: testDb.url, max: 2 });
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
    expect([...ra.applied, ...rb.applied].sort()).toEqual(await allVersions());
    expect(Math.min(ra.applied.length, rb.applied.length)).toBe(0);
    expect(await migrate(a)).toEqual({ applied: [] });
    expect(await migrationStatus(b)).toEqual({ pending: [] });
  });

  it('refuses a database made by an earlier, unreleased schema, saying to recreate it', async () => {
    const earlier = await earlierSchemaDir();
    cleanups.push(() => rm(earlier, { recursive: true, force: true }));
    const testDb = await createTestDatabase(postgresAdminUrl());
    cleanups.push(testDb.drop);
    const db = await openPostgres({ connectionString: testDb.url, max: 2 });
    cleanups.push(() => db.close());
    await migrate(db, { sqlDir: earlier });
    await expectRefusedAsEarlierSchema(db, /drop and create the database again/);
  });
});
