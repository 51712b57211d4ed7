import type { TaskError, TaskStatus } from '@app/async-tasks/contract';
import { createTestDatabase, type Database, migrate, openPostgres } from '@app/db';
import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { memoryDatabase, testConfig } from '../../test/support/test-app.js';
import { type AsyncTaskJson, type AsyncTaskRow, type ChatMessageRow, TABLES } from './tables.js';

/** A table's columns as information_schema states them, in the column maps' notation (`uuid null`). */
async function columnsOf(db: Database, table: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ column_name: string; data_type: string; is_nullable: 'YES' | 'NO' }>(
    `select column_name, data_type, is_nullable from information_schema.columns
      where table_schema = 'public' and table_name = $1`,
    [table],
  );
  return Object.fromEntries(rows.map((c) => [c.column_name, c.is_nullable === 'YES' ? `${c.data_type} null` : c.data_type]));
}

/** Every column map against the migrated schema of the database `open` gives. */
function describeSchema(engine: string, open: () => Promise<{ db: Database; dispose(): Promise<void> }>) {
  describe(`the column maps match the migrated schema on ${engine}`, () => {
    let opened: Awaited<ReturnType<typeof open>>;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(() => opened?.dispose());

    it.each(Object.entries(TABLES))('%s: the same column names, types and nullability', async (table, columns) => {
      expect(await columnsOf(opened.db, table)).toEqual(columns);
    });
  });
}

describeSchema('PGlite', async () => {
  const db = await memoryDatabase();
  return { db, dispose: () => db.close() };
});

describe.runIf(checkRequirement(requirements.postgres))('on real PostgreSQL', () => {
  describeSchema('PostgreSQL', async () => {
    const database = await createTestDatabase();
    const db = await openPostgres({ connectionString: database.url });
    await migrate(db, { sqlDir: testConfig().migrationsDir });
    return {
      db,
      dispose: async () => {
        await db.close();
        await database.drop();
      },
    };
  });
});

// Checked by the typecheck, not at run time: the row types keep each column's type and nullability.
expectTypeOf<AsyncTaskRow['id']>().toEqualTypeOf<string>();
expectTypeOf<AsyncTaskRow['seq']>().toEqualTypeOf<number>();
expectTypeOf<AsyncTaskRow['deadline_at']>().toEqualTypeOf<Date | null>();
expectTypeOf<AsyncTaskRow['status']>().toEqualTypeOf<TaskStatus>();
expectTypeOf<AsyncTaskRow['error']>().toEqualTypeOf<TaskError | null>();
expectTypeOf<AsyncTaskJson['created_at']>().toEqualTypeOf<string>();
expectTypeOf<AsyncTaskJson['finished_at']>().toEqualTypeOf<string | null>();
expectTypeOf<ChatMessageRow['async_task_id']>().toEqualTypeOf<string | null>();
