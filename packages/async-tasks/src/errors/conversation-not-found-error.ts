import { AsyncTaskError, hasMarker, type AsyncTaskErrorOptions } from './async-task-error.js';

const MARKER = 'app.async-tasks.error.ConversationNotFoundError';
const SYMBOL = Symbol.for(MARKER);

/**
 * The conversation does not exist or belongs to someone else (HTTP 404).
 *
 * @example
 * if (ConversationNotFoundError.isInstance(error)) showProblem(error.message);
 */
export class ConversationNotFoundError extends AsyncTaskError {
  private readonly [SYMBOL] = true;

  constructor(options: AsyncTaskErrorOptions) {
    super({ retryable: false, ...options });
    this.name = 'ConversationNotFoundError';
  }

  static override isInstance(error: unknown): error is ConversationNotFoundError {
    return hasMarker(error, MARKER);
  }
}
