import type { Database, Sql } from './database.js';

/**
 * A transaction that first runs `prelude` (statements without parameters, `;`-separated).
 * PostgreSQL sends it with `begin` as one simple query: the role and claims cost no round trip
 * of their own.
 */
export type TransactionWith = <T>(prelude: string, fn: (tx: Sql) => Promise<T>) => Promise<T>;

/** A SQL string literal for any text (backslashes in the `E''` form, whatever standard_conforming_strings says). */
export function sqlLiteral(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/**
 * asUser / asService / asWorker on top of a transaction. Only `SET LOCAL` and
 * `set_config(…, true)`: the role and claims end with the transaction, so a pooled connection
 * never carries them into the next request. The claims are JSON text (JSON.stringify escapes
 * every control character), passed as a literal so both settings ride along with `begin`.
 */
export function roleTransactions(
  transactionWith: TransactionWith,
): Pick<Database, 'asUser' | 'asService' | 'asWorker' | 'asWorkerStatement'> {
  const as = <T>(role: string, claims: Record<string, unknown> | null, fn: (tx: Sql) => Promise<T>) =>
    transactionWith(
      `set local role ${role}; select set_config('request.jwt.claims', ${sqlLiteral(claims ? JSON.stringify(claims) : '')}, true)`,
      fn,
    );
  return {
    asUser: (claims, fn) => as('authenticated', { role: 'authenticated', ...claims }, fn),
    asService: (fn) => as('service_role', { role: 'service_role' }, fn),
    asWorker: (fn) => as('async_worker', null, fn),
    asWorkerStatement: (text, params) => as('async_worker', null, (tx) => tx.query(text, params)),
  };
}
