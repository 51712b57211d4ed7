/** Anything that runs one SQL statement with `$1…` parameters. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * A PGlite or PostgreSQL database with role-scoped transactions, as the server and the built-in
 * runner use it. int8 columns (`version`, `seq`) come back as numbers on both engines.
 *
 * @example
 * const db = await openPglite({});
 * await migrate(db);
 * const task = await db.asUser({ sub: userId, role: 'authenticated' }, (tx) =>
 *   tx.query('select * from create_task($1, $2, $3)', ['demo', {}, 'key-1']));
 */
export interface Database extends Sql {
  readonly engine: 'pglite' | 'postgres';
  /** Runs several statements separated by `;` (no parameters): migrations, scripts. */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Transaction as `authenticated` with `request.jwt.claims` set (exactly like PostgREST: set local role + set_config(..., true)). */
  asUser<T>(claims: Record<string, unknown>, fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Transaction as `service_role`. */
  asService<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Transaction as `async_worker` (what the built-in runner uses). */
  asWorker<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * One statement as `async_worker`, committed on its own, in one round trip: PostgreSQL keeps a
   * few connections whose session role is async_worker for these, so no transaction has to set it.
   */
  asWorkerStatement<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /**
   * LISTEN on a channel; resolves once listening; returns an unlisten function. Postgres: one
   * dedicated client per Database, re-established after a connection loss (then `onReconnect`
   * is called so callers can re-read state they may have missed).
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
