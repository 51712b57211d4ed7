import { AsyncTaskError, hasMarker, type AsyncTaskErrorOptions } from './async-task-error.js';

const MARKER = 'app.async-tasks.error.HttpError';
const SYMBOL = Symbol.for(MARKER);

/**
 * The server answered with an error status not covered by a more specific class (5xx, 429, 409, …). Retryable for 5xx and 429.
 *
 * @example
 * if (HttpError.isInstance(error)) showProblem(error.message);
 */
export class HttpError extends AsyncTaskError {
  private readonly [SYMBOL] = true;

  constructor(options: AsyncTaskErrorOptions) {
    const status = options.status ?? 0;
    super({ retryable: status >= 500 || status === 429, ...options });
    this.name = 'HttpError';
  }

  static override isInstance(error: unknown): error is HttpError {
    return hasMarker(error, MARKER);
  }
}
