// The part of @app/db's `Database` the server uses. Kept as a structural type so the server's
// own fakes and the real package both fit. Queries name the row type they return (tables.ts).

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface JwtClaims {
  sub: string;
  role: string;
  [claim: string]: unknown;
}

export interface ServerDatabase extends Queryable {
  asUser<T>(claims: JwtClaims, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  asService<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  asWorker<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** One statement as the worker, its own commit, in one round trip (@app/db). */
  asWorkerStatement?<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
