/**
 * A failure a handler knows how to describe: the runner records it as `task_fail(code, message,
 * retryable)` as it is, where an unexpected error would become `internal_error`.
 *
 * @example
 * throw new TaskFailure('reply_too_long', 'the reply passed 16000 characters', false);
 */
export class TaskFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}
