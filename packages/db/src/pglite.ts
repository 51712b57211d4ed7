import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Sql } from './database.js';
import type { ExecSql } from './exec-sql.js';
import { roleTransactions, type TransactionWith } from './role-transactions.js';

const int8AsNumber = { [types.INT8]: (value: string) => Number(value) };

/**
 * PGlite (PostgreSQL in WASM, in this process). `dataDir` undefined = in memory.
 *
 * @example
 * const db = await openPglite({ dataDir: './data/pglite' });
 */
export async function openPglite(opts: { dataDir?: string } = {}): Promise<Database> {
  const pg = await PGlite.create({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), parsers: int8AsNumber });

  const query: Sql['query'] = async <T>(text: string, params?: unknown[]) => {
    const result = await pg.query<T>(text, params);
    return { rows: result.rows };
  };
  const transactionWith: TransactionWith = (prelude, fn) =>
    pg.transaction(async (tx) => {
      const sql: ExecSql = {
        query: async <T>(text: string, params?: unknown[]) => ({ rows: (await tx.query<T>(text, params)).rows }),
        exec: async (sql: string) => {
          await tx.exec(sql);
        },
      };
      if (prelude) await tx.exec(prelude);
      return fn(sql);
    });
  const transaction: Database['transaction'] = (fn) => transactionWith('', fn);

  return {
    engine: 'pglite',
    query,
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction,
    ...roleTransactions(transactionWith),
    listen: async (channel, onPayload) => {
      const unlisten = await pg.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => pg.close(),
  };
}
