/** What a `DATABASE_URL` points at, without its password. */
export interface DatabaseTarget {
  /** `host:port` (the port PostgreSQL's default, 5432, when the URL names none). */
  address: string;
  database: string;
  user: string | null;
  /**
   * The URL looks like a transaction-mode pooler: Supabase's pooler port 6543, or
   * `pgbouncer=true` (the flag ORMs set for PgBouncer in transaction mode).
   */
  transactionPooler: boolean;
}

/**
 * Reads a `postgres://` URL (already validated by config.ts) into what may be logged: never the
 * password or the other parameters.
 *
 * @example
 * databaseTarget('postgres://app:secret@db.internal:6543/app?pgbouncer=true');
 * // { address: 'db.internal:6543', database: 'app', user: 'app', transactionPooler: true }
 */
export function databaseTarget(url: string): DatabaseTarget {
  const parsed = new URL(url);
  const port = parsed.port || '5432';
  const host = parsed.hostname || (parsed.searchParams.get('host') ?? 'localhost');
  return {
    address: `${host}:${port}`,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres',
    user: parsed.username ? decodeURIComponent(parsed.username) : null,
    transactionPooler: port === '6543' || parsed.searchParams.get('pgbouncer')?.toLowerCase() === 'true',
  };
}
