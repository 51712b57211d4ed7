import { AsyncTaskError, hasMarker, type AsyncTaskErrorOptions } from './async-task-error.js';

const MARKER = 'app.async-tasks.error.AuthError';
const SYMBOL = Symbol.for(MARKER);

/**
 * The caller is not (or no longer) allowed: HTTP 401 after one token refresh, or 403.
 *
 * @example
 * if (AuthError.isInstance(error)) showProblem(error.message);
 */
export class AuthError extends AsyncTaskError {
  private readonly [SYMBOL] = true;

  constructor(options: AsyncTaskErrorOptions) {
    super({ retryable: false, ...options });
    this.name = 'AuthError';
  }

  static override isInstance(error: unknown): error is AuthError {
    return hasMarker(error, MARKER);
  }
}
