import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { ApiError } from './api-error.js';

/**
 * A request that failed because the database is down or restarting is not a bug of the server:
 * the client should wait and try again (with the same idempotency key). Returns the 503 to answer,
 * or null for any other error.
 */
export function databaseUnavailableToApiError(error: unknown): ApiError | null {
  if (!isDatabaseUnavailable(error)) return null;
  return new ApiError(
    503,
    'database_unavailable',
    'the database is unavailable; try again shortly',
    { 'Retry-After': '2' },
    { cause: error },
  );
}
