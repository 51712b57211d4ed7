import { defineError } from './define-error.js';

/**
 * The task does not exist or belongs to someone else (HTTP 404; the server does not tell which). Never retried.
 *
 * @example
 * if (TaskNotFoundError.isInstance(error)) showProblem(error.message);
 */
export const TaskNotFoundError = defineError('TaskNotFoundError', () => false);
export type TaskNotFoundError = InstanceType<typeof TaskNotFoundError>;
