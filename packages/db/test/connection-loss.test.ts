import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedPostgres, type OpenedEngine } from './engines.js';

describe.skipIf(!checkRequirement(requirements.postgres))('a PostgreSQL connection lost mid-transaction', () => {
  let opened: OpenedEngine;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  beforeAll(async () => {
    opened = await openMigratedPostgres(2);
    process.on('uncaughtException', onUncaught);
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await opened?.close();
  });

  it('fails that transaction only: no crash, and the pool serves the next ones', async () => {
    const { db } = opened;
    await expect(
      db.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
        // Killed from another connection while this client is checked out and idle between
        // queries: the FATAL message arrives with no query to reject, as an 'error' event.
        await db.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.query('select 1');
      }),
    ).rejects.toThrow();
    expect(uncaught).toEqual([]);
    for (let i = 0; i < 4; i++) {
      expect((await db.transaction((tx) => tx.query<{ ok: number }>('select 1 as ok'))).rows).toEqual([{ ok: 1 }]);
    }
  });
});
