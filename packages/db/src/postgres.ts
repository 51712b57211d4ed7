import pg from 'pg';
import type { Database, Sql } from './database.js';
import type { ExecSql } from './exec-sql.js';
import { pgTypes } from './pg-types.js';
import { PostgresListener } from './postgres-listener.js';
import { roleTransactions, type TransactionWith } from './role-transactions.js';

/** How many distinct worker statements are prepared (named) at most. */
const MAX_PREPARED = 100;

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
  // Connections whose session is async_worker, for asWorker and asWorkerStatement only (so the
  // role never reaches another caller): the worker's calls need no role set per transaction, and
  // a busy API never makes the runner wait for a connection, nor the runner the API.
  const workerPool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.workerMax ?? 6,
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

  const wrap = (client: pg.PoolClient | pg.Pool, prepare = false): ExecSql => ({
    query: async <T>(text: string, params?: unknown[]) => {
      const name = prepare ? preparedName(text, params) : undefined;
      const result = await (name ? client.query({ name, text, values: params ?? [] }) : client.query(text, params));
      return { rows: result.rows as T[] };
    },
    exec: async (sql: string) => {
      await client.query(sql);
    },
  });

  // The worker runs the same few statements all day (claims, history reads, batched writes):
  // named, each connection parses and plans one once instead of on every call. Only parameterised
  // statements, and a bounded number of texts, so a caller's ad-hoc SQL never grows the cache.
  const prepared = new Map<string, string>();
  const preparedName = (text: string, params?: unknown[]) => {
    if (!params?.length) return undefined;
    let name = prepared.get(text);
    if (!name && prepared.size < MAX_PREPARED) {
      name = `worker_${prepared.size + 1}`;
      prepared.set(text, name);
    }
    return name;
  };

  /**
   * Runs `fn` with a client of `from`, discarding a client whose connection broke (a checked-out
   * client whose connection dies emits 'error' on itself, not on the pool; unheard, Node would
   * crash the whole server) or, on the worker connections, that never got its role.
   */
  const withClient = async <T>(from: pg.Pool, fn: (client: pg.PoolClient, discard: (error: Error) => void) => Promise<T>): Promise<T> => {
    const client = await from.connect();
    let broken: Error | undefined;
    const discard = (error: Error) => {
      broken ??= error;
    };
    client.on('error', discard);
    try {
      const ready = workerReady.get(client);
      if (ready)
        await ready.catch((error: Error) => {
          discard(error);
          throw error;
        });
      return await fn(client, discard);
    } finally {
      client.off('error', discard);
      client.release(broken);
    }
  };

  const transactionOn =
    (from: pg.Pool): TransactionWith =>
    (prelude, fn) =>
      withClient(from, async (client, discard) => {
        try {
          // One round trip for begin and the prelude (the role and claims of role transactions).
          await client.query(prelude ? `begin; ${prelude}` : 'begin');
          const result = await fn(wrap(client, from === workerPool));
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch(discard);
          throw error;
        }
      });
  const transactionWith = transactionOn(pool);
  const workerTransaction = transactionOn(workerPool);
  const transaction = <T>(fn: (tx: Sql) => Promise<T>) => transactionWith('', fn);

  // Fail fast on a wrong URL instead of at the first request.
  await pool.query('select 1');

  return {
    engine: 'postgres',
    ...wrap(pool),
    transaction,
    ...roleTransactions(transactionWith),
    // The worker's transactions and statements on its own connections (the session role is
    // async_worker): the runner never waits behind requests and streams for a connection, and
    // sets no role per transaction.
    asWorker: (fn) => workerTransaction('', fn),
    asWorkerStatement: (text, params) => withClient(workerPool, (client) => wrap(client, true).query(text, params)),
    listen: (channel, onPayload, onReconnect) => listener.listen(channel, onReconnect ? { onPayload, onReconnect } : { onPayload }),
    close: async () => {
      await listener.close();
      await Promise.all([pool.end(), workerPool.end()]);
    },
  };
}
