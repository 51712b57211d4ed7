import { AsyncTaskError, hasMarker, type AsyncTaskErrorOptions } from './async-task-error.js';

const MARKER = 'app.async-tasks.error.NetworkError';
const SYMBOL = Symbol.for(MARKER);

/**
 * The request never got an answer: offline, DNS, connection reset, or the stream was cut. Always retryable.
 *
 * @example
 * if (NetworkError.isInstance(error)) showProblem(error.message);
 */
export class NetworkError extends AsyncTaskError {
  private readonly [SYMBOL] = true;

  constructor(options: AsyncTaskErrorOptions) {
    super({ retryable: true, ...options });
    this.name = 'NetworkError';
  }

  static override isInstance(error: unknown): error is NetworkError {
    return hasMarker(error, MARKER);
  }
}
