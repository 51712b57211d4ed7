import pg from 'pg';
import type { Database, Sql } from './database.js';
import type { ExecSql } from './exec-sql.js';
import { pgTypes } from './pg-types.js';
import { PostgresListener } from './postgres-listener.js';
import { roleTransactions, type TransactionWith } from './role-transactions.js';

/**
 * PostgreSQL through a `pg` Pool (≥ 15, the shim and migrations applied — see `migrate`).
 *
 * @example
 * const db = await openPostgres({ connectionString: process.env.DATABASE_URL!, max: 10 });
 */
export async function openPostgres(opts: { connectionString: string; max?: number; workerMax?: number }): Promise<Database> {
  // A database that does not answer (network partition) fails the request after 10 s instead of hanging it.
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    types: pgTypes,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its connection emits here; without a handler Node would crash.
  pool.on('error', () => undefined);
  const listener = new PostgresListener(opts.connectionString);
  // Connections whose session is async_worker, for the runner's single statements (asWorkerStatement):
  // one round trip each, no transaction to set the role. Only that method uses them, so the
  // role never reaches another caller.
  const workerPool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.workerMax ?? 4,
    types: pgTypes,
    connectionTimeoutMillis: 10_000,
  });
  workerPool.on('error', () => undefined);
  // A connection whose role could not be set is never used (it would act as the login role).
  const workerReady = new WeakMap<pg.PoolClient, Promise<unknown>>();
  workerPool.on('connect', (client) => {
    const ready = client.query('set role async_worker');
    ready.catch(() => undefined);
    workerReady.set(client as pg.PoolClient, ready);
  });

  const wrap = (client: pg.PoolClient | pg.Pool): ExecSql => ({
    query: async <T>(text: string, params?: unknown[]) => {
      const result = await client.query(text, params);
      return { rows: result.rows as T[] };
    },
    exec: async (sql: string) => {
      await client.query(sql);
    },
  });

  const transactionWith: TransactionWith = async (prelude, fn) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A checked-out client whose connection dies (server restart, pg_terminate_backend) emits
    // 'error' on itself, not on the pool; unheard, Node would crash the whole server. Record it
    // so the client is discarded on release; the query in flight rejects on its own.
    const onClientError = (error: Error) => {
      broken = error;
    };
    client.on('error', onClientError);
    try {
      // One round trip for begin and the prelude (the role and claims of role transactions).
      await client.query(prelude ? `begin; ${prelude}` : 'begin');
      const result = await fn(wrap(client));
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.off('error', onClientError);
      client.release(broken);
    }
  };

  const transaction = <T>(fn: (tx: Sql) => Promise<T>) => transactionWith('', fn);

  // Fail fast on a wrong URL instead of at the first request.
  await pool.query('select 1');

  return {
    engine: 'postgres',
    ...wrap(pool),
    transaction,
    ...roleTransactions(transactionWith),
    asWorkerStatement: async <T>(text: string, params?: unknown[]) => {
      const client = await workerPool.connect();
      let broken: Error | undefined;
      const onClientError = (error: Error) => {
        broken = error;
      };
      client.on('error', onClientError);
      try {
        await workerReady.get(client);
        const result = await client.query(text, params);
        return { rows: result.rows as T[] };
      } catch (error) {
        // A failed statement leaves the session as it was (its own transaction rolled back),
        // except a connection that broke or never got its role: that one is discarded.
        if (
          !broken &&
          (await workerReady.get(client)?.then(
            () => false,
            () => true,
          ))
        )
          broken = error as Error;
        throw error;
      } finally {
        client.off('error', onClientError);
        client.release(broken);
      }
    },
    listen: (channel, onPayload, onReconnect) => listener.listen(channel, onReconnect ? { onPayload, onReconnect } : { onPayload }),
    close: async () => {
      await listener.close();
      await Promise.all([pool.end(), workerPool.end()]);
    },
  };
}
