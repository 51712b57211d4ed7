import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRequirement, postgresAdminUrl, requirements } from '@app/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, defaultSqlDir, listMigrations, migrate, migrationStatus, openPglite, openPostgres } from '../src/index.js';

const allVersions = async () => (await listMigrations()).map((m) => m.version);

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
});
