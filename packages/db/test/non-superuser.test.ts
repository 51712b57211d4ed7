import { randomBytes } from 'node:crypto';
import { checkRequirement, postgresAdminUrl, requirements } from '@app/test-support';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openPostgres, type Database } from '../src/index.js';
import { readShim } from '../src/sql-files.js';
import { claimOnly, send } from './fixtures.js';

// Like Supabase: the database is prepared by a superuser (there: supabase_admin; here: the
// shim), and the migrations and the server run as a CREATEROLE, non-superuser owner (`postgres`
// on Supabase). The shim must then be a no-op and every role switch must still work.
describe.skipIf(!checkRequirement(requirements.postgres))('as a non-superuser database owner (Supabase-like)', () => {
  const suffix = randomBytes(4).toString('hex');
  const owner = `app_owner_${suffix}`;
  const dbName = `app_test_owner_${suffix}`;
  const admin = (sql: string, database?: string) => asAdmin(sql, database);
  let db: Database | undefined;

  afterAll(async () => {
    await db?.close();
    await admin(`drop database if exists ${dbName} with (force)`);
    await admin(`drop role if exists ${owner}`);
  });

  it('migrates (shim included) and runs visitor, worker and service transactions', async () => {
    await admin(`create role ${owner} login createrole`);
    await admin(`create database ${dbName} owner ${owner}`);
    await admin(await readShim(), dbName);
    await admin(`grant anon, authenticated, service_role to ${owner}`);

    const url = new URL(postgresAdminUrl());
    url.username = owner;
    url.pathname = `/${dbName}`;
    db = await openPostgres({ connectionString: url.toString(), max: 3 });
    const { applied } = await migrate(db);
    expect(applied.length).toBeGreaterThan(0);
    expect(await migrate(db)).toEqual({ applied: [] });

    const superuser = await db.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
    expect(superuser.rows[0]!.rolsuper).toBe(false);

    const user = { sub: '0b0b0b0b-0000-4000-8000-000000000001', role: 'authenticated' };
    const sent = await send(db, user, 'as the owner', 'owner-1');
    await claimOnly(db, sent.task.id);
    const done = await db.asWorker((tx) =>
      tx.query<{ ok: boolean }>('select public.task_complete($1, 1, $2) as ok', [sent.task.id, { content: 'fine' }]),
    );
    expect(done.rows[0]!.ok).toBe(true);
    const count = await db.asService((tx) => tx.query<{ n: number }>('select count(*)::int as n from public.chat_messages'));
    expect(count.rows[0]!.n).toBe(2);
  });
});

async function asAdmin(sql: string, database?: string) {
  const url = new URL(postgresAdminUrl());
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
