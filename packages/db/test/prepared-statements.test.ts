import { checkRequirement, postgresAdminUrl, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type Database, migrate, openPostgres } from '../src/index.js';

describe.skipIf(!checkRequirement(requirements.postgres))('the worker connections on PostgreSQL', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const testDb = await createTestDatabase(postgresAdminUrl());
    drop = testDb.drop;
    // One worker connection, so every statement below meets the same session.
    db = await openPostgres({ connectionString: testDb.url, max: 2, workerMax: 1 });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const preparedOnWorker = async (text: string) =>
    (await db.asWorkerStatement<{ name: string }>('select name from pg_prepared_statements where statement = $1', [text])).rows.map(
      (r) => r.name,
    );

  it('prepare a parameterised statement once per connection, in transactions and as single statements', async () => {
    const text = 'select $1::int + 1 as next';
    for (let i = 0; i < 3; i++) expect((await db.asWorkerStatement<{ next: number }>(text, [i])).rows).toEqual([{ next: i + 1 }]);
    expect(await db.asWorker((tx) => tx.query<{ next: number }>(text, [41]))).toEqual({ rows: [{ next: 42 }] });
    const names = await preparedOnWorker(text);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^worker_\d+$/);
  });

  it('leave statements without parameters, and the request connections, unprepared', async () => {
    const plain = 'select 7 as seven';
    await db.asWorkerStatement(plain);
    expect(await preparedOnWorker(plain)).toEqual([]);
    const asRequest = 'select $1::text as echoed';
    await db.query(asRequest, ['a']);
    await db.asService((tx) => tx.query(asRequest, ['b']));
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements where statement = $1', [
      asRequest,
    ]);
    expect(rows[0]!.n).toBe(0);
  });
});
