import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { checkRequirement, freePort, postgresAdminUrl, requirements } from '@app/test-support';
import { databaseUnavailableToApiError } from './database-unavailable.js';

/** The error node-postgres really raises for `run`, or fails the test if there is none. */
async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('a database that cannot be reached answers 503, anything else is not this error', () => {
  it('connection refused (the server is down) → 503 database_unavailable with Retry-After', async () => {
    const port = await freePort();
    const error = await errorOf(() => new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` }).connect());
    const api = databaseUnavailableToApiError(error);
    expect(api).toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(Number(api?.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('a plain programming error is not mistaken for an outage', () => {
    expect(databaseUnavailableToApiError(new TypeError('cannot read properties of undefined'))).toBeNull();
    expect(databaseUnavailableToApiError(null)).toBeNull();
  });

  describe.runIf(checkRequirement(requirements.postgres))('on real PostgreSQL', () => {
    it('the connection terminated by the server (restart, failover) → 503', async () => {
      const victim = new pg.Client({ connectionString: postgresAdminUrl() });
      const killer = new pg.Client({ connectionString: postgresAdminUrl() });
      victim.on('error', () => undefined);
      await victim.connect();
      await killer.connect();
      try {
        const { rows } = await victim.query<{ pid: number }>('select pg_backend_pid() as pid');
        await killer.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        const error = await errorOf(() => victim.query('select 1'));
        expect(databaseUnavailableToApiError(error)).toMatchObject({ status: 503, code: 'database_unavailable' });
      } finally {
        await victim.end().catch(() => undefined);
        await killer.end();
      }
    });

    it('a query error from a healthy server (unique violation, syntax) → null', async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl() });
      await client.connect();
      try {
        expect(databaseUnavailableToApiError(await errorOf(() => client.query('selec 1')))).toBeNull();
        expect(databaseUnavailableToApiError(await errorOf(() => client.query('select 1/0')))).toBeNull();
      } finally {
        await client.end();
      }
    });
  });
});
