import { AsyncTaskError, hasMarker, type AsyncTaskErrorOptions } from './async-task-error.js';

const MARKER = 'app.async-tasks.error.ValidationError';
const SYMBOL = Symbol.for(MARKER);

/**
 * The server rejected the input (HTTP 400/422), e.g. a message over 16,000 characters. Never retried.
 *
 * @example
 * if (ValidationError.isInstance(error)) showProblem(error.message);
 */
export class ValidationError extends AsyncTaskError {
  private readonly [SYMBOL] = true;

  constructor(options: AsyncTaskErrorOptions) {
    super({ retryable: false, ...options });
    this.name = 'ValidationError';
  }

  static override isInstance(error: unknown): error is ValidationError {
    return hasMarker(error, MARKER);
  }
}
