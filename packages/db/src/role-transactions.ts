import type { Database, Sql } from './database.js';

type Transaction = Database['transaction'];

/**
 * asUser / asService / asWorker on top of a plain transaction. Only `SET LOCAL` and
 * `set_config(…, true)`: the role and claims end with the transaction, so a pooled connection
 * never carries them into the next request.
 */
export function roleTransactions(transaction: Transaction): Pick<Database, 'asUser' | 'asService' | 'asWorker'> {
  const as = <T>(role: string, claims: Record<string, unknown> | null, fn: (tx: Sql) => Promise<T>) =>
    transaction(async (tx) => {
      await tx.query(`set local role ${role}`);
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [claims ? JSON.stringify(claims) : '']);
      return fn(tx);
    });
  return {
    asUser: (claims, fn) => as('authenticated', { role: 'authenticated', ...claims }, fn),
    asService: (fn) => as('service_role', { role: 'service_role' }, fn),
    asWorker: (fn) => as('async_worker', null, fn),
  };
}
