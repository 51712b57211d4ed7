import { AsyncTaskError, hasMarker, type AsyncTaskErrorOptions } from './async-task-error.js';

const MARKER = 'app.async-tasks.error.TaskNotFoundError';
const SYMBOL = Symbol.for(MARKER);

/**
 * The task does not exist or belongs to someone else (HTTP 404; the server does not tell which).
 *
 * @example
 * if (TaskNotFoundError.isInstance(error)) showProblem(error.message);
 */
export class TaskNotFoundError extends AsyncTaskError {
  private readonly [SYMBOL] = true;

  constructor(options: AsyncTaskErrorOptions) {
    super({ retryable: false, ...options });
    this.name = 'TaskNotFoundError';
  }

  static override isInstance(error: unknown): error is TaskNotFoundError {
    return hasMarker(error, MARKER);
  }
}
