/** Socket errors Node raises when the database cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs of a server that is restarting, shutting down or out of connections (class 08 is handled below). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres says, without a code, when a connection died or never came. */
const LOST_CONNECTION =
  /connection terminated|terminating connection|connection error|timeout exceeded when trying to connect|client was closed|not queryable/i;

/**
 * Whether `error` (or one of its causes) means "the database could not be reached", as opposed
 * to a query the database refused: the first kind is worth trying again shortly.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e !== 'object') return false;
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
    if (!code && typeof e.message === 'string' && LOST_CONNECTION.test(e.message)) return true;
  }
  return false;
}
