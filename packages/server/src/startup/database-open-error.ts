import type { Config } from '../config.js';
import { databaseTarget } from './database-url.js';

/** Words an operator can act on for the usual network failures (Node's error codes). */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS did not answer)',
  ETIMEDOUT: 'no answer (timed out)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
};

/**
 * The message of a failed connection attempt. A host name with several addresses (`localhost`:
 * ::1 and 127.0.0.1) fails with an AggregateError whose own message is empty: its parts are named.
 */
export function connectFailureMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return [...new Set(error.errors.map(connectFailureMessage))].join('; ');
  }
  const e = error as { message?: unknown; code?: unknown };
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(error);
  const reason = typeof e?.code === 'string' ? NETWORK_REASONS[e.code] : undefined;
  return reason && !message.includes(reason) ? `${message} (${reason})` : message;
}

/**
 * The database could not be opened at start. The message names the setting to look at
 * (`DATABASE_URL` with its host:port, database and user — never the password — or `DATA_DIR`)
 * and what went wrong, so `The server could not start: …` is enough to act on.
 *
 * @example
 * throw new DatabaseOpenError(config, error);
 * // DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1 (database "app", user "app"): connect ECONNREFUSED 127.0.0.1:1 (connection refused)
 */
export class DatabaseOpenError extends Error {
  /** The setting that chose this database. */
  readonly variable: 'DATABASE_URL' | 'DATA_DIR';

  constructor(config: Pick<Config, 'databaseUrl' | 'dataDir'>, cause: unknown) {
    let reason = connectFailureMessage(cause);
    // No driver message is known to quote it, but one that did must not put it in a log.
    const password = config.databaseUrl ? decodeURIComponent(new URL(config.databaseUrl).password) : '';
    if (password) reason = reason.replaceAll(password, '***');
    let message: string;
    if (config.databaseUrl) {
      const target = databaseTarget(config.databaseUrl);
      const who = `database "${target.database}"${target.user ? `, user "${target.user}"` : ''}`;
      message = `DATABASE_URL: cannot connect to PostgreSQL at ${target.address} (${who}): ${reason}`;
    } else {
      message = `DATA_DIR: cannot open the embedded database (PGlite) in ${config.dataDir}: ${reason}`;
    }
    super(message, { cause });
    this.name = 'DatabaseOpenError';
    this.variable = config.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR';
  }
}
